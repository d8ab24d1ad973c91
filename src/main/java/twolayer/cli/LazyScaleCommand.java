package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.lazy.LazyScaleSweep;
import twolayer.dynamics.GradientDescent;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.run.LazyRun;
import twolayer.run.LazyTask;

/**
 * {@code twolayer experiment lazy-scale}: the lazy chapter's output-scale sweep ({@link LazyScaleSweep}) unit by
 * unit, one {@link LazyRun} per (width, initialisation kind, exponent p of alpha = m^p, initialisation), made by
 * {@link LazyScaleSweep#runConfig} so that its bits are the chapter's; the defaults are the site's setting
 * ({@link LazyScaleSweep.Config#site}). See the baseline chapter, section "Experiments as commands".
 */
@Command(name = "lazy-scale",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Lazy training against the output scale alpha = m^p: RD and kernel drift per (m, init kind, p, init).",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every width m, with and without the antisymmetric initialisation (neurons in pairs (a, w), (-a, w),",
            "so that f(x; theta0) = 0), every exponent p and initialisation, train f = (alpha/m) sum_j a_j tanh(...)",
            "with alpha = m^p and rates m / alpha^2 by full-batch gradient descent to the same time T = K eta, and",
            "record at the end the relative displacements RD_a, RD_w and the drift of the NTK (RD ~ 1/alpha).",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/m=<m>,antisymmetric=<b>,p=<p>,init=<i>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example (the chapter's sweep at two widths):",
            "  twolayer experiment lazy-scale --widths 1024,4096 --exponents 0,0.3,0.5,0.7 --inits 3 --out scale"})
final class LazyScaleCommand extends SweepCommand {

    @Option(names = "--widths", paramLabel = "WIDTHS", defaultValue = "1024",
            description = "widths m, even and >= 2: a list or a range LO..HI; default ${DEFAULT-VALUE}.")
    String widths;

    @Option(names = "--exponents", paramLabel = "P", defaultValue = "0,0.3,0.5,0.7",
            description = "exponents p >= -100 of alpha = m^p, at least two; default ${DEFAULT-VALUE}.")
    String exponents;

    @Option(names = "--inits", paramLabel = "k", defaultValue = "3",
            description = "initialisations per point, >= 1; default ${DEFAULT-VALUE}.")
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

    @Option(names = "--seed", paramLabel = "s", defaultValue = "" + LazyRun.SITE_SEED,
            description = "seed of the data and of the initialisations; default ${DEFAULT-VALUE}.")
    long seed;

    @Override
    String experiment() {
        return "lazy-scale";
    }

    @Override
    Map<String, String> settings() {
        require(task.equals("classification") || task.equals("regression"), "--task", "classification or regression",
                task);
        require(eta > 0 && Double.isFinite(eta), "--eta", "finite and > 0", eta);
        require(steps >= 1, "--steps", ">= 1", steps);
        require(Double.isFinite(eta * steps), "--eta", "such that the final time --steps * --eta is finite", eta);
        require(inits >= 1, "--inits", ">= 1", inits);
        return settingsOf("--task", task, "--n", n, "--probes", probes, "--d", d, "--eta", eta, "--steps", steps,
                "--seed", seed);
    }

    @Override
    List<Sweep.Unit> units() {
        int[] ws = Sweep.ints("--widths", widths, 2);
        for (int m : ws) {
            require(m % 2 == 0, "--widths", "even (the antisymmetric initialisation pairs the neurons)", m);
        }
        double[] ps = Sweep.doubles("--exponents", exponents, -100);
        require(ps.length >= 2, "--exponents", "at least two values", exponents);
        LazyTask t = parse("--n", () -> task.equals("regression") ? LazyTask.regression(n, probes, d)
                : LazyTask.classification(n, probes, d));
        List<Sweep.Unit> units = new ArrayList<>();
        for (int m : ws) {
            LazyScaleSweep.Config c = new LazyScaleSweep.Config(t, seed, m, ps, inits, Activation.TANH,
                    GradientDescent.Config.plain(eta), steps);
            // the chapter's order: without the antisymmetric pairs first
            for (boolean antisymmetric : new boolean[] {false, true}) {
                for (int k = 0; k < ps.length; k++) {
                    for (int i = 0; i < inits; i++) {
                        LazyRun.Config run = LazyScaleSweep.runConfig(c, k, antisymmetric, i);
                        double alpha = c.alpha(k);
                        units.add(new Sweep.Unit(keyOf("m", m, "antisymmetric", antisymmetric, "p", ps[k], "init", i),
                                () -> result(alpha, LazyRun.run(run, Parallelism.sequential()))));
                    }
                }
            }
        }
        return units;
    }

    private static Map<String, Object> result(double alpha, LazyRun.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", alpha);
        m.put("rd_a", r.finalRdA());
        m.put("rd_w", r.finalRdW());
        m.put("drift", r.finalDrift());
        m.put("train_loss", r.finalTrainLoss());
        m.put("probe_loss", r.probeLoss()[r.probeLoss().length - 1]);
        m.put("times", r.times());
        m.put("train_loss_series", r.trainLoss());
        m.put("probe_loss_series", r.probeLoss());
        return m;
    }
}
