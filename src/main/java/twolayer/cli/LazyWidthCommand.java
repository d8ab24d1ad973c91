package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.lazy.LazyWidthSweep;
import twolayer.dynamics.GradientDescent;
import twolayer.model.Parallelism;
import twolayer.run.LazyRun;
import twolayer.run.LazyTask;

/**
 * {@code twolayer experiment lazy-width}: the lazy chapter's width sweep ({@link LazyWidthSweep}) unit by unit, one
 * {@link LazyRun} per (variant, width, initialisation), made by {@link LazyWidthSweep#runConfig} so that its bits
 * are the chapter's; the defaults are the site's setting ({@link LazyWidthSweep.Config#site}).
 */
@Command(name = "lazy-width",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Lazy training against width: RD, linearisation gap and kernel drift per (variant, m, init).",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every variant (ntk: the ntk preset with tanh units; mean-field: the mean-field scaling; positive:",
            "the ntk preset with a >= 0, a centred output and softplus units), width m and initialisation, train the",
            "net and its linearisation by full-batch gradient descent on the classification (or regression) task and",
            "record at the end the relative displacements RD_a, RD_w, the gap f - f_lin and the drift of the NTK.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/variant=<v>,m=<m>,init=<i>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example:",
            "  twolayer experiment lazy-width --widths 32,128,512,2048 --inits 3 --out lazy"})
final class LazyWidthCommand extends SweepCommand {

    @Option(names = "--variants", paramLabel = "V", defaultValue = "ntk,mean-field,positive",
            description = "nets, a list of ntk, mean-field, positive; default ${DEFAULT-VALUE}.")
    String variants;

    @Option(names = "--widths", paramLabel = "WIDTHS", defaultValue = "32,64,128,256,512,1024,2048",
            description = "widths m >= 2 (at least two): a list or a range LO..HI; default ${DEFAULT-VALUE}.")
    String widths;

    @Option(names = "--inits", paramLabel = "k", defaultValue = "3",
            description = "initialisations per width, >= 1; default ${DEFAULT-VALUE}.")
    int inits;

    @Option(names = "--task", paramLabel = "T", defaultValue = "classification",
            description = "classification or regression; default ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--n", paramLabel = "n", defaultValue = "100", description = "training points; default ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--probes", paramLabel = "n", defaultValue = "100", description = "probe points; default ${DEFAULT-VALUE}.")
    int probes;

    @Option(names = "--d", paramLabel = "d", defaultValue = "40", description = "input dimension; default ${DEFAULT-VALUE}.")
    int d;

    @Option(names = "--eta", paramLabel = "eta", defaultValue = "4", description = "step size; default ${DEFAULT-VALUE}.")
    double eta;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "8", description = "steps (T = K eta); default ${DEFAULT-VALUE}.")
    long steps;

    @Option(names = "--observations", paramLabel = "k", defaultValue = "1",
            description = "observations per run; default ${DEFAULT-VALUE}.")
    int observations;

    @Option(names = "--seed", paramLabel = "s", defaultValue = "" + LazyRun.SITE_SEED,
            description = "seed of the data and of the initialisations; default ${DEFAULT-VALUE}.")
    long seed;

    @Override
    String experiment() {
        return "lazy-width";
    }

    @Override
    Map<String, String> settings() {
        require(task.equals("classification") || task.equals("regression"), "--task", "classification or regression",
                task);
        require(eta > 0 && Double.isFinite(eta), "--eta", "finite and > 0", eta);
        require(steps >= 1, "--steps", ">= 1", steps);
        require(Double.isFinite(eta * steps), "--eta", "such that the final time --steps * --eta is finite", eta);
        require(observations >= 1, "--observations", ">= 1", observations);
        require(inits >= 1, "--inits", ">= 1", inits);
        return settingsOf("--task", task, "--n", n, "--probes", probes, "--d", d, "--eta", eta, "--steps", steps,
                "--observations", observations, "--seed", seed);
    }

    @Override
    List<Sweep.Unit> units() {
        List<String> names = List.of(variants.split(",")).stream().map(String::trim).toList();
        List<LazyWidthSweep.Variant> vs = new ArrayList<>();
        for (String v : names) {
            vs.add(switch (v) {
                case "ntk" -> LazyWidthSweep.ntk();
                case "mean-field" -> LazyWidthSweep.meanField();
                case "positive" -> LazyWidthSweep.positiveOutputWeights();
                default -> throw CliException.usage("--variants: each must be ntk, mean-field or positive, got " + v);
            });
        }
        require(names.stream().distinct().count() == names.size(), "--variants", "distinct", variants);
        int[] ws = Sweep.ints("--widths", widths, 2);
        LazyTask t = parse("--n", () -> task.equals("regression") ? LazyTask.regression(n, probes, d)
                : LazyTask.classification(n, probes, d));
        LazyWidthSweep.Config c = parse("--widths", () -> new LazyWidthSweep.Config(t, seed, ws, inits, vs,
                GradientDescent.Config.plain(eta), steps, observations));
        List<Sweep.Unit> units = new ArrayList<>();
        for (int v = 0; v < vs.size(); v++) {
            for (int m : ws) {
                for (int i = 0; i < inits; i++) {
                    LazyRun.Config run = LazyWidthSweep.runConfig(c, v, m, i);
                    units.add(new Sweep.Unit(keyOf("variant", names.get(v), "m", m, "init", i),
                            () -> result(LazyRun.run(run, Parallelism.sequential()))));
                }
            }
        }
        return units;
    }

    private static Map<String, Object> result(LazyRun.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rd_a", r.finalRdA());
        m.put("rd_w", r.finalRdW());
        m.put("gap", r.finalGap());
        m.put("gap_rms", r.finalGapRms());
        m.put("drift", r.finalDrift());
        m.put("train_loss", r.finalTrainLoss());
        m.put("train_loss_linear", r.finalTrainLossLinear());
        m.put("times", r.times());
        m.put("train_loss_series", r.trainLoss());
        m.put("probe_loss_series", r.probeLoss());
        return m;
    }
}
