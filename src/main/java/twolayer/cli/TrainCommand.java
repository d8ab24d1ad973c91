package twolayer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import twolayer.data.Dataset;
import twolayer.data.Npy;
import twolayer.data.NpyArray;
import twolayer.dynamics.Conventions;
import twolayer.dynamics.DivergenceException;
import twolayer.dynamics.Dynamics;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.GradientFlow;
import twolayer.dynamics.MeanFieldLangevin;
import twolayer.dynamics.TwoTimescale;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Offset;
import twolayer.run.Descent;
import twolayer.run.Flow;
import twolayer.run.Langevin;
import twolayer.run.RandomStreams;
import twolayer.run.RunDescription;
import twolayer.run.Schedule;
import twolayer.run.TrainingRun;
import twolayer.run.TwoTimescales;

/**
 * {@code twolayer train}: trains one net on one data set by gradient descent, gradient flow or mean-field
 * Langevin dynamics and writes the loss and the relative weight change RD_g of each parameter group at evenly
 * spaced times ({@link TrainingRun}), for MFLD also the regularised energy and, where it applies, the certified
 * free-energy gap, as {@code history.csv} plus a {@code run.json} that records every option, the seeds, the final
 * loss, the version and the conventions.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Train one net by gradient descent, flow, MFLD or two-timescale; write its history.",
        abbreviateSynopsis = true,
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "Train a two-layer net by gradient descent (gd), gradient flow (flow), mean-field Langevin",
            "dynamics (mfld) or two-timescale training (two-timescale) and record, at N+1 evenly spaced times t,",
            "the loss L and the relative weight change",
            "RD_g(t) = |theta_g(t) - theta_g(0)| / |theta_g(0)| of each parameter group g in {a, w, b, c};",
            "mfld also records its free energy, two-timescale its objective and intrinsic kernel (see Files).",
            "t is gradient-flow time: gd, mfld or two-timescale after k steps of size eta is at t = k*eta.",
            "The same options and seeds give the same bits, for any --threads."},
        footer = {
            "",
            "Files:",
            "  history.csv  header time,step,loss,rd_a,rd_w[,rd_b,rd_c] (rd_b, rd_c with --sigma-b; rd_b with",
            "               --hidden-bias), one row per observation; numbers as Java's Double.toString, which",
            "               parses back to the same double; step = steps taken (gd, mfld, two-timescale) or",
            "               accepted integrator steps (flow); rd_g = NaN if theta_g(0) = 0.",
            "               mfld adds energy = L + (lambda_a/2) E a^2 + (lambda_w/2) E |w|^2 (the particles' free",
            "               energy without the entropy, which is infinite for particles) and, where",
            "               the certificate applies (squared loss, d = 1, tanh|erf|sigmoid, every lambda > 0), the",
            "               bounds f_star_lower <= F* <= f_star_upper = F(p_mu) on the optimal free energy",
            "               F* = min F, F = L + (lambda_a/2) E a^2 + (lambda_w/2) E |w|^2 + lambda Ent, and",
            "               gap = f_star_upper - f_star_lower; run.json says why when it does not apply.",
            "               two-timescale adds energy = G - lambda Ent = (lambda_a/2) y^T (K + n lambda_a I)^-1 y",
            "               + (lambda_w/2) E |w|^2, the intrinsic kernel K = E_mu[h h^T]'s",
            "               alignment = y^T K y / (|K|_F |y|^2) and df = tr(K (K + n lambda_a I)^-1), and at a",
            "               finite --ratio joint_energy = L + (lambda_a/2) E a^2 + (lambda_w/2) E |w|^2 >= energy.",
            "  run.json     every option value, the command's arguments, the seeds, the input files' SHA-256,",
            "               the files written, the final time and loss, the version, the conventions.",
            "  params/      with --save-params: a.npy (T+1, m), w.npy (T+1, m, d), b.npy (T+1, m), c.npy (T+1,)",
            "               (those the net has) and times.npy (T+1,), raw parameters at the history's rows.",
            "  f_train.npy, f_test.npy  with --test-x: the model's outputs (T+1, n) and (T+1, n') at those rows.",
            "  noise.npy, batches.npy, label_noise.npy  with --save-noise, --save-batches, --save-label-noise:",
            "               every random draw, one row per step; the --*-in options read them back.",
            "  All are written atomically into --out DIR after the run; a run that fails writes nothing. DIR must",
            "  be new, empty or hold an earlier train run's files (those this run does not write are removed).",
            "  'twolayer replay DIR' reruns the run and checks that it reproduces the files.",
            "",
            "Conventions (run.json repeats them):",
            "  model   " + Conventions.MODEL,
            "  loss    " + Conventions.LOSS,
            "  time    " + Conventions.TIME,
            "  mfld    " + Conventions.MFLD + "; needs --parameterization mean-field",
            "  two-timescale  " + Conventions.TWO_TIMESCALE + " (Takakura-Suzuki 2024); needs mean-field",
            "",
            "Exit codes: 0 done, 1 the run failed (divergence, unreadable data, failed write), 2 invalid options.",
            "",
            "Examples:",
            "  twolayer train --data teacher --n 200 --d 10 --width 1024 --eta 0.5 --time 50 --out runs/ntk",
            "  twolayer train --dynamics flow --parameterization mean-field --activation tanh --width 100 --time 20 > h.csv",
            "  twolayer train --dynamics mfld --parameterization mean-field --activation tanh --data teacher --d 1 \\",
            "    --n 20 --width 200 --eta 0.05 --time 20 --lambda 0.01 --lambda-a 0.2 --lambda-w 0.2 --out runs/mfld",
            "  twolayer train --dynamics two-timescale --parameterization mean-field --hidden-bias --activation tanh \\",
            "    --data teacher --d 2 --n 50 --width 100 --eta 0.2 --steps 200 --out runs/tt"})
final class TrainCommand extends Subcommand {

    /** The most steps a run may take: past 2^53 the double k*eta no longer tells step k from k + 1. */
    private static final long MAX_STEPS = 1L << 53;

    /** The most observation intervals: one history row each, and 1e7 rows already make a 1 GB history.csv. */
    private static final int MAX_OBSERVATIONS = 10_000_000;

    /** T when neither --time nor --steps is given. */
    private static final double DEFAULT_TIME = 10.0;

    @ArgGroup(validate = false, heading = "%nData set:%n", order = 1)
    DataOptions data = new DataOptions();

    @ArgGroup(validate = false, heading = "%nNetwork:%n", order = 2)
    ModelOptions model = new ModelOptions();

    @ArgGroup(validate = false, heading = "%nTraining:%n", order = 3)
    TrainingOptions training = new TrainingOptions();

    @ArgGroup(validate = false, heading = "%nExport and replay (baseline chapter, \"Exporting and replaying a run\"):%n",
            order = 4)
    ExportOptions export = new ExportOptions();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 5)
    OutputOptions output = new OutputOptions();

    /** Loss, dynamics, schedule and threads. */
    static final class TrainingOptions {
        @Option(names = "--loss", paramLabel = "NAME", defaultValue = "squared",
                description = {"squared | logistic (default: ${DEFAULT-VALUE}); L = (1/n) sum_i l(f(x_i), y_i):",
                    "squared: l = (f - y)^2 / 2, so L = 1/(2n) sum_i (f(x_i) - y_i)^2;",
                    "logistic: l = log(1 + exp(-y f)), needs labels y = +-1 (e.g. --data mixture)."})
        String loss;

        @Option(names = "--dynamics", paramLabel = "NAME", defaultValue = "gd",
                description = {"gd | flow | mfld | two-timescale (default: ${DEFAULT-VALUE}):",
                    "gd: gradient descent theta_g <- theta_g - eta rho_g grad_g L (with optional",
                    "  heavy-ball momentum and mini-batches);",
                    "flow: gradient flow d theta_g/dt = -rho_g grad_g L, integrated by the adaptive",
                    "  Dormand-Prince 8(5,3) method with error control (relu's kink forces small steps:",
                    "  for long flows use a smooth activation or looser tolerances);",
                    "mfld: mean-field Langevin dynamics, full-batch noisy gradient descent of the free",
                    "  energy F = L + (lambda_a/2) E a^2 + (lambda_w/2) E |w|^2 + lambda Ent over the",
                    "  neurons (a_j, w_j) as particles; needs --parameterization mean-field;",
                    "two-timescale: the second layer infinitely fast (at its ridge optimum after",
                    "  every step) and MFLD on the particles w_j; needs mean-field and the squared loss."})
        String dynamics;

        @Option(names = "--linearized",
                description = {"gd, flow: train the net's first-order Taylor model at theta0,",
                    "f_lin(x; theta) = f(x; theta0) + <grad_theta f(x; theta0), theta - theta0> (Lee et al. 2019),",
                    "by the same step or integrator; its loss, RD and outputs are the model's (for the",
                    "squared loss, flow's outputs are the closed form of 'twolayer predict --empirical')."})
        boolean linearized;

        @Option(names = "--time", paramLabel = "T",
                description = {"Gradient-flow time T > 0 to train for (default: 10). flow integrates to t = T;",
                    "gd, mfld and two-timescale run T/eta steps, so T must be a whole multiple of --eta."})
        Double time;

        @Option(names = "--steps", paramLabel = "k",
                description = {"gd, mfld, two-timescale, instead of --time: number of steps k >= 1; the run ends",
                    "at t = k*eta."})
        Long steps;

        @Option(names = "--eta", paramLabel = "eta", defaultValue = "0.1",
                description = {"gd, mfld, two-timescale: step size eta > 0; each step advances t by eta",
                    "(default: ${DEFAULT-VALUE})."})
        double eta;

        @Option(names = "--lambda", paramLabel = "LAMBDA", defaultValue = "0.01",
                description = {"mfld, two-timescale: entropy temperature lambda >= 0; the noise is",
                    "sqrt(2 eta lambda) xi, and 0 gives noiseless dynamics (default: ${DEFAULT-VALUE})."})
        double lambda;

        @Option(names = "--lambda-a", paramLabel = "LAMBDA", defaultValue = "0.2",
                description = {"mfld, two-timescale: L2 strength lambda_a >= 0 on the output weights a; for",
                    "two-timescale the inner ridge, > 0 (default: ${DEFAULT-VALUE})."})
        double lambdaA;

        @Option(names = "--lambda-w", paramLabel = "LAMBDA", defaultValue = "0.2",
                description = {"mfld, two-timescale: L2 strength lambda_w >= 0 on the input weights w (and",
                    "biases b) (default: ${DEFAULT-VALUE})."})
        double lambdaW;

        @Option(names = "--noise-seed", paramLabel = "SEED", defaultValue = "4",
                description = "mfld, two-timescale: seed of the Langevin noise xi (default: ${DEFAULT-VALUE}).")
        long noiseSeed;

        @Option(names = "--hidden-bias",
                description = {"mfld, two-timescale: neurons sigma(<w_j,x> + b_j) with their own bias",
                    "b_j ~ N(0,1), a particle coordinate like w_j (the mean-field preset has none;",
                    "a bias-free odd sigma fits only odd targets)."})
        boolean hiddenBias;

        @Option(names = "--ratio", paramLabel = "r", defaultValue = "inf",
                description = {"two-timescale: the second layer's rate relative to the first's: inf solves",
                    "its ridge problem exactly every step; a finite r >= 1 trains it by gradient",
                    "descent at r times the first layer's rate (joint training) (default: ${DEFAULT-VALUE})."})
        String ratio;

        @Option(names = "--label-noise", paramLabel = "SIGMA", defaultValue = "0",
                description = {"two-timescale with --ratio inf: the label-noise procedure, fresh",
                    "eps ~ U[-SIGMA, SIGMA]^n every step, whose mean drift is that of",
                    "G + (SIGMA^2 / 6n) df (two-timescale chapter); 0 = off (default: ${DEFAULT-VALUE})."})
        double labelNoise;

        @Option(names = "--label-noise-seed", paramLabel = "SEED", defaultValue = "5",
                description = "two-timescale: seed of the label noise eps (default: ${DEFAULT-VALUE}).")
        long labelNoiseSeed;

        @Option(names = "--momentum", paramLabel = "mu", defaultValue = "0",
                description = {"gd: heavy-ball coefficient mu in [0, 1): v <- mu v - eta rho_g grad_g L,",
                    "theta <- theta + v (default: ${DEFAULT-VALUE})."})
        double momentum;

        @Option(names = "--batch-size", paramLabel = "B", defaultValue = "0",
                description = {"gd: points per step, 0 <= B <= n, drawn without replacement afresh each step;",
                    "0 = all n, full batch (default: ${DEFAULT-VALUE})."})
        int batchSize;

        @Option(names = "--sgd-seed", paramLabel = "SEED", defaultValue = "3",
                description = "gd: seed of the mini-batch draws (default: ${DEFAULT-VALUE}).")
        long sgdSeed;

        @Option(names = "--abs-tol", paramLabel = "TOL", defaultValue = "1e-8",
                description = {"flow: absolute tolerance > 0; a step is accepted when the local error of each",
                    "theta_i is below abs-tol + rel-tol*|theta_i| (default: ${DEFAULT-VALUE})."})
        double absTol;

        @Option(names = "--rel-tol", paramLabel = "TOL", defaultValue = "1e-8",
                description = "flow: relative tolerance >= 0 (default: ${DEFAULT-VALUE}).")
        double relTol;

        @Option(names = "--max-evaluations", paramLabel = "COUNT", defaultValue = "10000000",
                description = "flow: gradient evaluations >= 1 allowed before giving up (default: ${DEFAULT-VALUE}).")
        int maxEvaluations;

        @Option(names = "--observe", paramLabel = "N", defaultValue = "100",
                description = {"Observation intervals N >= 1 (default: ${DEFAULT-VALUE}): flow has a row at each",
                    "t = j*T/N, j = 0..N; gd, mfld and two-timescale after each step floor(j*k/N), so",
                    "min(N, k) + 1 rows."})
        int observe;

        @Option(names = "--threads", paramLabel = "COUNT",
                description = "Worker threads >= 1 (default: all cores); the results do not depend on it.")
        Integer threads;
    }

    /** Where the results go. */
    static final class OutputOptions {
        @Option(names = "--out", paramLabel = "DIR",
                description = {"Write DIR/history.csv and DIR/run.json (DIR is created if missing).",
                    "Without --out the history is printed to stdout and no file is written."})
        Path out;

        @Option(names = "--no-progress",
                description = "No progress bar (there is one on stderr only on an interactive terminal).")
        boolean noProgress;
    }

    @Override
    int run() {
        // Check the options and build the data set, the model and the schedule; --init-params fixes the width
        if (export.initParams != null) {
            int m = export.initWidth();
            if (given("--width") && model.width != m) {
                throw CliException.usage("--width: " + model.width + " does not match --init-params '"
                        + export.initParams.resolve("a.npy") + "', which has " + m + " neurons; drop --width (the"
                        + " width comes from the files) or give files of width " + model.width);
            }
            model.width = m;
        }
        ModelOptions.Model net = model.build(this);
        Loss loss = parse("--loss", () -> Loss.parse(training.loss));
        DataOptions.Loaded loaded = data.load(this, net.activation());
        Dataset set = loaded.dataset();
        if (loss == Loss.LOGISTIC) {
            for (int i = 0; i < set.n(); i++) {
                if (set.y(i) != 1.0 && set.y(i) != -1.0) {
                    throw CliException.usage("--loss: logistic needs labels in {-1, +1}, but target " + i + " of --data "
                            + loaded.description().get("kind") + " is " + set.y(i)
                            + " (use --data mixture, or csv labels +-1)");
                }
            }
        }
        Schedule schedule = schedule(set.n());
        if (langevin(schedule.name())) {
            net = checkLangevinModel(net, loss, schedule.name());
        }
        require(training.observe >= 1 && training.observe <= MAX_OBSERVATIONS, "--observe",
                "an integer in [1, " + MAX_OBSERVATIONS + "] (one history row each)", training.observe);
        requireMemory(net.m(), set.n(), set.d());
        int threads = training.threads == null ? Runtime.getRuntime().availableProcessors() : training.threads;
        require(threads >= 1, "--threads", "an integer >= 1", threads);
        checkExportOptions(schedule, set.n());
        java.util.Optional<double[]> theta0 = initialParameters(net, set.d());
        double[] testX = testInputs(set.d());
        RandomStreams streams = RandomStreams.of(export.given("--noise-in", export.noiseIn),
                export.given("--batches-in", export.batchesIn), export.given("--label-noise-in", export.labelNoiseIn),
                export.saveNoise, export.saveBatches, export.saveLabelNoise);
        TrainingRun.Config config = new TrainingRun.Config(set, net.m(), net.activation(), net.parameterization(),
                model.initSeed, loss, schedule, training.observe, threads, training.linearized, theta0, streams,
                new TrainingRun.Exports(export.saveParams, testX));

        // Make sure the results can be written before spending time on the run
        if (output.out != null) {
            OutputDir.requireOnly(output.out, "--out", ExportOptions::isOutputName, "a twolayer train run; give a new"
                    + " or empty directory, or one that holds only an earlier train run's files");
        }
        OutputDir dir = output.out == null ? null : OutputDir.prepare(output.out, "--out");
        boolean written = false;
        try {
            // Train, with a progress bar on an interactive terminal
            TrainingRun.Result result;
            try (Progress progress = Progress.start(!output.noProgress, schedule.meter(training.observe))) {
                result = TrainingRun.run(config, progress);
            } catch (DivergenceException e) {
                throw CliException.runtime(e.getMessage() + System.lineSeparator()
                        + "  last losses (oldest first): " + lastLosses(e.recentLosses(), 5) + "; no output was written");
            } catch (IllegalStateException | IllegalArgumentException e) {
                // a given array that does not fit the run (RandomStreams), or a flow that ran out of evaluations
                throw CliException.runtime(e.getMessage() + "; no output was written");
            }

            // Write history.csv and run.json, or print the history
            String csv = TrainingRun.historyCsv(result);
            String summary = "final loss " + result.finalLoss() + " at t = " + result.finalTime() + " ("
                    + result.steps() + " " + schedule.stepsLabel() + ")"
                    + result.recorder().summary();
            if (dir == null) {
                out().print(csv);
                out().flush();
                err().println(summary);
                err().flush();
                return 0;
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("history.csv", csv.getBytes(StandardCharsets.UTF_8));
            List<String> names = new ArrayList<>(List.of("history.csv", "run.json"));
            names.addAll(result.arrays().keySet());
            files.put("run.json", runJson(loaded, config, result, threads, names).getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, NpyArray> a : result.arrays().entrySet()) {
                files.put(a.getKey(), Npy.encode(a.getValue()));
            }
            dir.commit(files);
            written = true;
            dir.removeStale(ExportOptions.OUTPUT_NAMES, files.keySet());
            String arrays = result.arrays().isEmpty() ? "" : ", " + String.join(", ", result.arrays().keySet());
            out().println("wrote " + dir.shown("history.csv") + " (" + result.rows().size() + " rows) and "
                    + dir.shown("run.json") + arrays + "; " + summary);
            out().flush();
            return 0;
        } finally {
            if (dir != null && !written) {
                dir.abandon();
            }
        }
    }

    /** The dynamics and its length from --dynamics, --time / --steps and the dynamics' own options. */
    private Schedule schedule(int n) {
        TrainingOptions o = training;
        String dynamics = o.dynamics.trim().toLowerCase(Locale.ROOT);
        if (!List.of("gd", "flow", "mfld", "two-timescale").contains(dynamics)) {
            throw CliException.usage("--dynamics: unknown '" + o.dynamics + "'; allowed: gd, flow, mfld, two-timescale");
        }
        boolean gd = dynamics.equals("gd"), flow = dynamics.equals("flow"), mfld = dynamics.equals("mfld");
        boolean tt = dynamics.equals("two-timescale"), langevin = mfld || tt;
        String not = ", not --dynamics " + dynamics;
        for (String option : new String[] {"--steps", "--eta"}) {
            onlyWhen(!flow, option, "--dynamics gd|mfld|two-timescale" + not);
        }
        // MFLD is the Euler-Maruyama scheme of a first-order SDE on the full batch: its only noise is the Langevin term
        onlyWhen(gd, "--momentum", "--dynamics gd" + not + (langevin ? " (" + dynamics + " discretises a"
                + " first-order Langevin SDE; heavy-ball momentum is no part of it)" : ""));
        onlyWhen(gd, "--batch-size", "--dynamics gd" + not + (langevin ? " (" + dynamics + " takes full-batch"
                + " gradients; its noise is the Langevin term sqrt(2 eta lambda) xi, not mini-batch noise)" : ""));
        onlyWhen(gd, "--sgd-seed", "--dynamics gd" + not + (langevin ? " (the Langevin noise has --noise-seed)" : ""));
        for (String option : new String[] {"--abs-tol", "--rel-tol", "--max-evaluations"}) {
            onlyWhen(flow, option, "--dynamics flow" + not);
        }
        for (String option : new String[] {"--lambda", "--lambda-a", "--lambda-w", "--noise-seed", "--hidden-bias"}) {
            onlyWhen(langevin, option, "--dynamics mfld|two-timescale" + not);
        }
        onlyWhen(tt, "--ratio", "--dynamics two-timescale" + not);
        onlyWhen(tt, "--label-noise", "--dynamics two-timescale" + not);
        onlyWhen(tt, "--label-noise-seed", "--dynamics two-timescale" + not);
        onlyWhen(gd || flow, "--linearized", "--dynamics gd|flow" + not + (langevin ? " (" + dynamics + " trains the"
                + " mean-field net itself: its particles, not a Taylor model)" : ""));
        if (o.time != null && o.steps != null) {
            throw CliException.usage("--time, --steps: give one of them (" + (flow ? "gd" : dynamics)
                    + " runs k = --steps steps to t = k*eta)");
        }
        double time = o.time == null ? DEFAULT_TIME : o.time;
        require(time > 0 && Double.isFinite(time), "--time", "finite and > 0", time);
        if (flow) {
            require(o.absTol > 0 && Double.isFinite(o.absTol), "--abs-tol", "finite and > 0", o.absTol);
            require(o.relTol >= 0 && Double.isFinite(o.relTol), "--rel-tol", "finite and >= 0", o.relTol);
            require(o.maxEvaluations >= 1, "--max-evaluations", "an integer >= 1", o.maxEvaluations);
            return new Flow(new GradientFlow.Config(o.absTol, o.relTol, Double.POSITIVE_INFINITY,
                    o.maxEvaluations), time);
        }
        require(o.eta > 0 && Double.isFinite(o.eta), "--eta", "finite and > 0", o.eta);
        long k = steps(time, dynamics);
        if (langevin) {
            require(o.lambda >= 0 && Double.isFinite(o.lambda), "--lambda", "finite and >= 0", o.lambda);
            if (tt) {
                require(o.lambdaA > 0 && Double.isFinite(o.lambdaA), "--lambda-a",
                        "finite and > 0 with two-timescale (the ridge of the second layer's inner problem)", o.lambdaA);
            } else {
                require(o.lambdaA >= 0 && Double.isFinite(o.lambdaA), "--lambda-a", "finite and >= 0", o.lambdaA);
            }
            require(o.lambdaW >= 0 && Double.isFinite(o.lambdaW), "--lambda-w", "finite and >= 0", o.lambdaW);
        }
        if (mfld) {
            return new Langevin(new MeanFieldLangevin.Config(o.eta, o.lambda, o.lambdaA, o.lambdaW,
                    o.noiseSeed), k);
        }
        if (tt) {
            double r = ratio();
            require(o.labelNoise >= 0 && Double.isFinite(o.labelNoise), "--label-noise", "finite and >= 0",
                    o.labelNoise);
            if (o.labelNoise > 0 && r != Double.POSITIVE_INFINITY) {
                throw CliException.usage("--label-noise: needs --ratio inf (the procedure fits the ridge to the noise"
                        + " exactly every step), got --ratio " + o.ratio);
            }
            onlyWhen(o.labelNoise > 0, "--label-noise-seed", "--label-noise SIGMA > 0");
            return new TwoTimescales(new TwoTimescale.Config(o.eta, o.lambda, o.lambdaA, o.lambdaW,
                    r, o.noiseSeed), k, o.labelNoise, o.labelNoiseSeed);
        }
        require(o.momentum >= 0 && o.momentum < 1, "--momentum", "in [0, 1)", o.momentum);
        if (export.batchesIn != null) {
            // the batch size is the file's, unless --batch-size says the same
            int[] shape = ExportOptions.read("--batches-in", export.batchesIn, true).shape();
            int width = shape.length == 2 ? shape[1] : -1;
            if (width >= 1 && given("--batch-size") && o.batchSize != width) {
                throw CliException.usage("--batch-size: " + o.batchSize + " does not match --batches-in '"
                        + export.batchesIn + "', which has " + width + " rows per step; drop --batch-size or give"
                        + " a file of shape (steps, " + o.batchSize + ")");
            }
            if (width >= 1 && !given("--batch-size")) {
                o.batchSize = width;
            }
        }
        require(o.batchSize >= 0 && o.batchSize <= n, "--batch-size", "in [0, n = " + n + "] (0 = full batch)",
                o.batchSize);
        return new Descent(new GradientDescent.Config(o.eta, o.momentum, o.batchSize, o.sgdSeed), k);
    }

    /** The export and replay options apply only to the runs that make their draws, and write only with --out. */
    private void checkExportOptions(Schedule schedule, int n) {
        String name = schedule.name(), not = ", not --dynamics " + name;
        String withOut = "runs with --out DIR (the arrays are written there)";
        for (String option : new String[] {"--save-params", "--test-x", "--save-noise", "--save-batches",
            "--save-label-noise"}) {
            onlyWhen(output.out != null, option, withOut);
        }
        String noisy = "--dynamics mfld|two-timescale with --lambda > 0";
        String why = langevin(name) ? " (lambda = 0 draws no noise)" : not;
        onlyWhen(schedule.drawsNoise(), "--noise-in", noisy + why);
        onlyWhen(schedule.drawsNoise(), "--save-noise", noisy + why);
        boolean mini = schedule.drawsBatches(n);
        String batches = "--dynamics gd with mini-batches (--batch-size B, 0 < B < n)";
        onlyWhen(mini, "--batches-in", batches + (name.equals("gd") ? ", not full-batch gd" : not));
        onlyWhen(mini, "--save-batches", batches + (name.equals("gd") ? ", not full-batch gd" : not));
        boolean labels = schedule.drawsLabelNoise();
        String labelsNeed = "--dynamics two-timescale with --label-noise SIGMA > 0";
        onlyWhen(labels, "--label-noise-in", labelsNeed);
        onlyWhen(labels, "--save-label-noise", labelsNeed);
    }

    /** theta0 from --init-params, or empty to draw it from --init-seed (which then must not be given). */
    private java.util.Optional<double[]> initialParameters(ModelOptions.Model net, int d) {
        if (export.initParams == null) {
            return java.util.Optional.empty();
        }
        onlyWhen(false, "--init-seed", "runs without --init-params (the files give theta0)");
        if (net.parameterization().offset() == Offset.INIT_CORRECTED) {
            throw CliException.usage("--init-params: --parameterization " + model.parameterization + " takes its"
                    + " output offset from the normalised draw of --init-seed; start it from the seed");
        }
        boolean[] groups = new boolean[Group.values().length];
        groups[Group.A.ordinal()] = groups[Group.W.ordinal()] = true;
        groups[Group.B.ordinal()] = net.parameterization().hiddenBias();
        groups[Group.C.ordinal()] = net.parameterization().outputBias();
        return java.util.Optional.of(export.initialParameters(net.m(), d, groups,
                "give the net biases (--sigma-b, or --hidden-bias for mfld and two-timescale)"));
    }

    /** --test-x: (n', d) test inputs, each row a point of the training inputs' dimension; null without. */
    private double[] testInputs(int d) {
        if (export.testX == null) {
            return null;
        }
        TableOption t = TableOption.read("--test-x", export.testX);
        if (t.columns() != d) {
            throw CliException.runtime("--test-x: '" + export.testX + "' has " + t.columns() + " columns but the"
                    + " training inputs have d = " + d + "; one test point of dimension d per row");
        }
        Map<String, Object> about = t.description();
        export.inputs.put("test-x", about);
        return t.values();
    }

    /**
     * The step count of a discrete dynamics: --steps, or T/eta, which must be a whole number of steps by the rule
     * every discrete dynamics keeps ({@link Dynamics#stepsAt}).
     */
    private long steps(double time, String dynamics) {
        TrainingOptions o = training;
        long k;
        if (o.steps != null) {
            require(o.steps >= 1 && o.steps <= MAX_STEPS, "--steps", "an integer in [1, 2^53 = " + MAX_STEPS
                    + "] (past 2^53 the clock t = k*eta no longer tells one step from the next)", o.steps);
            k = o.steps;
        } else {
            double exact = time / o.eta;
            if (!(exact <= MAX_STEPS)) {
                throw CliException.usage("--time: T/eta = " + time + "/" + o.eta + " = " + exact + " steps is more"
                        + " than 2^53 = " + MAX_STEPS + ", past which the clock t = k*eta no longer tells one step from"
                        + " the next; give a shorter --time or a larger --eta");
            }
            try {
                k = Dynamics.stepsAt(new double[] {time}, 0.0, o.eta)[0];
            } catch (IllegalArgumentException e) {
                k = 0;
            }
            if (k < 1) {
                throw CliException.usage("--time: must be a whole multiple k*eta of --eta for " + dynamics
                        + ", but T/eta = " + time + "/" + o.eta + " = " + exact
                        + (o.time == null ? " (T = " + time + " is the default)" : "")
                        + "; give --time k*eta or --steps k");
            }
        }
        if (!Double.isFinite(k * o.eta)) {
            throw CliException.usage("--eta: the run would end at t = k*eta = " + k + " * " + o.eta + " = "
                    + k * o.eta + ", which is not a finite time; give a smaller --eta or fewer --steps");
        }
        return k;
    }

    /** --ratio: "inf" (or "infinity") or a number r >= 1. */
    private double ratio() {
        String text = training.ratio.trim().toLowerCase(Locale.ROOT);
        double r;
        if (text.equals("inf") || text.equals("infinity")) {
            r = Double.POSITIVE_INFINITY;
        } else {
            try {
                r = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                r = Double.NaN;
            }
        }
        require(r >= 1, "--ratio", "a number >= 1 or inf", training.ratio);
        return r;
    }

    /**
     * MFLD and two-timescale training move every neuron at the mean-field rate m of the mean-field preset, whose
     * free energy (objective) is defined on the unscaled net; two-timescale's inner problem is a ridge regression.
     */
    private ModelOptions.Model checkLangevinModel(ModelOptions.Model net, Loss loss, String dynamics) {
        if (!net.parameterization().isMeanField() && model.lazyScale == 1.0) {
            throw CliException.usage("--parameterization: --dynamics " + dynamics + " needs mean-field (its particles"
                    + " move at the mean-field rate rho = m of f = (1/m) sum_j a_j sigma(<w_j,x>)), got "
                    + model.parameterization);
        }
        if (model.lazyScale != 1.0) {
            throw CliException.usage("--lazy-scale: must be 1 with --dynamics " + dynamics + " (the free energy is that"
                    + " of the mean-field net itself), got " + model.lazyScale);
        }
        if (dynamics.equals("two-timescale") && loss != Loss.SQUARED) {
            throw CliException.usage("--loss: --dynamics two-timescale needs squared (the second layer's inner problem"
                    + " is a ridge regression), got " + training.loss);
        }
        return training.hiddenBias
                ? new ModelOptions.Model(net.m(), net.activation(), net.parameterization().withBiases(true, false))
                : net;
    }

    /**
     * Refuses a run whose arrays cannot fit in this JVM's heap, before allocating any: about 8 parameter-sized
     * arrays (theta, theta0, gradient, velocity, observed copies), 6 of n x m (pre-activations, activations and
     * their derivatives, the intrinsic kernel's features) and 3 of n x n (the ridge solve), 8 bytes each.
     */
    private static void requireMemory(int m, int n, int d) {
        double parameters = (double) m * (d + 2) + 2;
        double bytes = 8.0 * (8 * parameters + 6.0 * n * m + 3.0 * n * n);
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > 0.8 * heap) {
            double perNeuron = 8.0 * (8 * (d + 2) + 6.0 * n);
            long fits = (long) Math.max(0, (0.8 * heap - 8.0 * 3 * n * n) / perNeuron);
            throw CliException.usage(String.format(java.util.Locale.ROOT, "--width: a net of width %d on %d points of"
                    + " dimension %d needs about %.1f GiB, more than the %.1f GiB this JVM may use; at most width %d"
                    + " fits (or raise the heap with -Xmx)", m, n, d, bytes / (1L << 30), heap / (double) (1L << 30),
                    fits));
        }
    }

    private static boolean langevin(String dynamics) {
        return dynamics.equals("mfld") || dynamics.equals("two-timescale");
    }

    /** Options whose value names a choice, accepted in any case and recorded in lower case. */
    private static final List<String> NAMED_CHOICES = List.of("activation", "parameterization", "loss", "dynamics",
            "data", "teacher-activation");

    /** The training options that apply to every dynamics; the schedule adds its own ({@link Schedule#describe}). */
    private static final List<String> COMMON_TRAINING_OPTIONS = List.of("loss", "dynamics", "observe", "threads");

    /**
     * run.json: the options in effect (the data, network and output options, the common training options, and
     * the schedule's own settings, never an option that did not apply), seeds, data, model, result, version and
     * conventions.
     */
    private String runJson(DataOptions.Loaded loaded, TrainingRun.Config config, TrainingRun.Result result,
                           int threads, List<String> files) {
        RunDescription schedule = new RunDescription();
        config.schedule().describe(schedule);
        result.recorder().describe(schedule);

        Map<String, Object> options = new LinkedHashMap<>();
        // the options declared in TrainingOptions: the one group whose options depend on the dynamics
        java.util.Set<String> trainingOptions = new java.util.HashSet<>();
        for (java.lang.reflect.Field f : TrainingOptions.class.getDeclaredFields()) {
            Option option = f.getAnnotation(Option.class);
            if (option != null) {
                trainingOptions.addAll(Arrays.asList(option.names()));
            }
        }
        // the data options depend on the kind of data: run.json's "data" section records the ones it used
        for (java.lang.reflect.Field f : DataOptions.class.getDeclaredFields()) {
            Option option = f.getAnnotation(Option.class);
            if (option != null && !Arrays.asList(option.names()).contains("--data")) {
                trainingOptions.addAll(Arrays.asList(option.names()));
            }
        }
        for (OptionSpec o : spec.options()) {
            String name = o.longestName().replaceFirst("^--", "");
            if (o.usageHelp() || o.versionHelp()
                    || (trainingOptions.contains(o.longestName()) && !COMMON_TRAINING_OPTIONS.contains(name))) {
                continue;
            }
            Object value = o.getValue();
            if (value instanceof String text && NAMED_CHOICES.contains(name)) {
                value = text.trim().toLowerCase(Locale.ROOT); // the canonical name, not the spelling typed
            }
            options.put(name, value instanceof Path ? value.toString() : value);
        }
        // the values actually used where the default depends on the machine or on other options
        options.put("threads", threads);
        options.put("time", result.finalTime());
        if (config.schedule().trainsLinearized()) {
            options.put("linearized", config.linearized());
        }
        options.putAll(schedule.settings());
        if ("teacher".equals(loaded.description().get("kind"))) {
            options.put("teacher-activation", loaded.description().get("teacher_activation"));
        }

        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("data", loaded.description().get("seed"));
        if (config.theta0().isEmpty()) {
            seeds.put("init", config.initSeed());
        }
        seeds.putAll(config.streams().seedsDrawn());   // only the streams drawn from their seed

        Map<String, Object> network = new LinkedHashMap<>();
        network.put("m", config.m());
        network.put("activation", config.activation().name().toLowerCase(Locale.ROOT));
        network.put("parameterization", config.parameterization().name());
        network.put("groups", result.groups().stream().map(Group::symbol).collect(Collectors.toList()));

        Map<String, Object> end = new LinkedHashMap<>();
        end.put("time", result.finalTime());
        end.put("steps", result.steps());
        end.put("loss", result.finalLoss());
        end.put("observations", result.rows().size());
        end.putAll(result.end());

        Map<String, Object> conventions = new LinkedHashMap<>();
        conventions.put("model", Conventions.MODEL);
        conventions.put("loss", Conventions.LOSS);
        conventions.put("time", Conventions.TIME);
        conventions.put("rd", Conventions.RD);
        conventions.put("step", config.schedule().stepUnit());
        conventions.putAll(schedule.conventions());

        Map<String, Object> run = new LinkedHashMap<>();
        Map<String, Object> software = new LinkedHashMap<>();
        software.put("name", "twolayer");
        software.put("version", Twolayer.VERSION);
        run.put("software", software);
        run.put("command", "train");
        picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        run.put("arguments", parsed == null ? List.of() : parsed.originalArgs());
        run.put("options", options);
        run.put("seeds", seeds);
        run.put("data", loaded.description());
        run.put("network", network);
        run.put("final", end);
        run.put("history", "history.csv");
        if (!export.inputs.isEmpty()) {
            run.put("inputs", export.inputs);
        }
        run.put("files", files);
        run.putAll(schedule.sections());
        run.put("conventions", conventions);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(run) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run.json: cannot serialise the run record", e);
        }
    }

    private static String lastLosses(double[] losses, int count) {
        int from = Math.max(0, losses.length - count);
        List<String> shown = new ArrayList<>();
        for (double l : Arrays.copyOfRange(losses, from, losses.length)) {
            shown.add(Double.toString(l));
        }
        return shown.isEmpty() ? "none" : String.join(", ", shown);
    }

}
