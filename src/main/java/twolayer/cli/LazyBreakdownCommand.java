package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.lazy.LazyBreakdown;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.run.LazyRun;
import twolayer.run.LazyTask;

/**
 * {@code twolayer experiment lazy-breakdown}: the lazy chapter's three ways to break linearisation
 * ({@link LazyBreakdown}: step size, momentum, initial scale) unit by unit, one {@link LazyRun} per (setting,
 * initialisation), made by {@link LazyBreakdown#runConfig} so that its bits are the chapter's; the defaults are the
 * site's setting ({@link LazyBreakdown.Config#site}). See the baseline chapter, section "Experiments as commands".
 */
@Command(name = "lazy-breakdown",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Breaking linearisation by step size, momentum and initial scale: the gap f - f_lin per run.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "Train a width-m net of the ntk preset and its linearisation by the same optimiser from the same theta0",
            "for K steps, and record the gap max |f - f_lin| over the probes along training, for: every step size in",
            "--etas (sweep=eta; and at the fixed time T = K * base-eta, sweep=eta-fixed-time), every heavy-ball",
            "momentum in --momenta at eta = base-eta (sweep=mu), and ReLU units with w ~ N(0, I) against w ~ N(0, I/d)",
            "(sweep=init-std, value = s_W). Every setting runs from the same --inits initialisations.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/sweep=<s>,value=<v>,init=<i>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example (the study's width, five initialisations, as 4 shards of a job array):",
            "  twolayer experiment lazy-breakdown --width 5000 --inits 5 --shard $SLURM_ARRAY_TASK_ID/4 --out breakdown"})
final class LazyBreakdownCommand extends SweepCommand {

    @Option(names = "--width", paramLabel = "m", defaultValue = "512", description = "width m, >= 1; default ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--inits", paramLabel = "k", defaultValue = "3",
            description = "initialisations per setting, >= 1; default ${DEFAULT-VALUE}.")
    int inits;

    @Option(names = "--etas", paramLabel = "ETAS", defaultValue = "1,4,16",
            description = "step sizes, at least two, increasing; default ${DEFAULT-VALUE}.")
    String etas;

    @Option(names = "--momenta", paramLabel = "MU", defaultValue = "0,0.5,0.9",
            description = "heavy-ball coefficients in [0, 1), at least two, increasing; default ${DEFAULT-VALUE}.")
    String momenta;

    @Option(names = "--base-eta", paramLabel = "eta", defaultValue = "4",
            description = "step size of the momentum and init-scale runs; default ${DEFAULT-VALUE}.")
    double baseEta;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "8", description = "the budget K of steps; default ${DEFAULT-VALUE}.")
    long steps;

    @Option(names = "--no-fixed-time", description = "Skip the step-size sweep at the fixed time T = K * base-eta.")
    boolean noFixedTime;

    @Option(names = "--observations", paramLabel = "k", defaultValue = "4",
            description = "observations per run after t = 0; default ${DEFAULT-VALUE}.")
    int observations;

    @Option(names = "--task", paramLabel = "T", defaultValue = "classification",
            description = "classification or regression; default ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--n", paramLabel = "n", defaultValue = "100", description = "training points; default ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--probes", paramLabel = "n", defaultValue = "100", description = "probe points; default ${DEFAULT-VALUE}.")
    int probes;

    @Option(names = "--d", paramLabel = "d", defaultValue = "40", description = "input dimension; default ${DEFAULT-VALUE}.")
    int d;

    @Option(names = "--seed", paramLabel = "s", defaultValue = "" + LazyRun.SITE_SEED,
            description = "seed of the data and of the initialisations; default ${DEFAULT-VALUE}.")
    long seed;

    private static final String[] SWEEPS = {"eta", "eta-fixed-time", "mu", "init-std"};

    @Override
    String experiment() {
        return "lazy-breakdown";
    }

    @Override
    Map<String, String> settings() {
        require(task.equals("classification") || task.equals("regression"), "--task", "classification or regression",
                task);
        require(width >= 1, "--width", ">= 1", width);
        require(inits >= 1, "--inits", ">= 1", inits);
        require(steps >= 1, "--steps", ">= 1", steps);
        require(observations >= 1, "--observations", ">= 1", observations);
        require(baseEta > 0 && Double.isFinite(baseEta * steps), "--base-eta",
                "> 0 with a finite time --steps * --base-eta", baseEta);
        return settingsOf("--width", width, "--base-eta", baseEta, "--steps", steps,
                "--fixed-time", !noFixedTime, "--observations", observations, "--task", task, "--n", n,
                "--probes", probes, "--d", d, "--seed", seed);
    }

    private static double[] increasing(String option, double[] v) {
        require(v.length >= 2, option, "at least two values", v.length);
        for (int k = 1; k < v.length; k++) {
            require(v[k] > v[k - 1], option, "increasing", v[k - 1] + " then " + v[k]);
        }
        return v;
    }

    @Override
    List<Sweep.Unit> units() {
        double[] es = increasing("--etas", Sweep.doubles("--etas", etas, 0));
        for (double eta : es) {
            require(eta > 0 && Double.isFinite(eta * steps), "--etas", "> 0 with a finite time --steps * eta", eta);
        }
        double[] mu = increasing("--momenta", Sweep.doubles("--momenta", momenta, 0));
        for (double v : mu) {
            require(v < 1, "--momenta", "in [0, 1)", v);
        }
        LazyTask t = parse("--n", () -> task.equals("regression") ? LazyTask.regression(n, probes, d)
                : LazyTask.classification(n, probes, d));
        // the only check left to the chapter's Config: that K base-eta / eta is a whole number of steps
        LazyBreakdown.Config c = parse("--etas", () -> new LazyBreakdown.Config(t, seed, width, inits,
                Activation.TANH, es, mu, Activation.RELU, baseEta, steps, !noFixedTime, observations));
        List<Sweep.Unit> units = new ArrayList<>();
        for (LazyBreakdown.Setting s : LazyBreakdown.settings(c)) {
            for (int i = 0; i < inits; i++) {
                LazyRun.Config run = LazyBreakdown.runConfig(c, s, i);
                units.add(new Sweep.Unit(keyOf("sweep", SWEEPS[s.group()], "value", s.value(), "init", i),
                        () -> result(s, LazyRun.run(run, Parallelism.sequential()))));
            }
        }
        return units;
    }

    private static Map<String, Object> result(LazyBreakdown.Setting s, LazyRun.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", s.label());
        m.put("steps", s.steps());
        m.put("gap", r.finalGap());
        m.put("gap_rms", r.finalGapRms());
        m.put("rd_a", r.finalRdA());
        m.put("rd_w", r.finalRdW());
        m.put("train_loss", r.finalTrainLoss());
        m.put("train_loss_linear", r.finalTrainLossLinear());
        m.put("times", r.times());
        m.put("gap_series", r.gap());
        m.put("train_loss_series", r.trainLoss());
        m.put("train_loss_linear_series", r.trainLossLinear());
        return m;
    }
}
