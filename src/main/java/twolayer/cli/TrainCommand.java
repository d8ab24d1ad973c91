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
import twolayer.dynamics.DivergenceException;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.GradientFlow;
import twolayer.experiment.TrainingRun;
import twolayer.model.Group;
import twolayer.model.Loss;

/**
 * {@code twolayer train}: trains one net on one data set by gradient descent or gradient flow and writes the
 * loss and the relative weight change RD_g of each parameter group at evenly spaced times
 * ({@link TrainingRun}), as {@code history.csv} plus a {@code run.json} that records every option, the seeds,
 * the final loss, the version and the conventions.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Train one net by gradient descent or flow; write the loss and weight-change history.",
        abbreviateSynopsis = true,
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "Train a two-layer net by gradient descent (gd) or gradient flow (flow) and record, at N+1 evenly",
            "spaced times t, the loss L and the relative weight change",
            "RD_g(t) = |theta_g(t) - theta_g(0)| / |theta_g(0)| of each parameter group g in {a, w, b, c}.",
            "t is gradient-flow time: gd after k steps of size eta is at t = k*eta.",
            "The same options and seeds give the same bits, for any --threads."},
        footer = {
            "",
            "Files:",
            "  history.csv  header time,step,loss,rd_a,rd_w[,rd_b,rd_c] (rd_b, rd_c with --sigma-b), one row per",
            "               observation; numbers as Java's Double.toString, which parses back to the same double;",
            "               step = gd steps taken, or accepted integrator steps for flow; rd_g = NaN if theta_g(0) = 0.",
            "  run.json     every option value, the seeds, the final time and loss, the version, the conventions.",
            "  Both are written atomically into --out DIR after the run; a run that fails writes nothing.",
            "",
            "Conventions:",
            "  model   f(x) = alpha * (kA sum_j a_j sigma(kW <w_j,x> + kB b_j) + kC c), alpha = --lazy-scale",
            "  loss    L = 1/(2n) sum_i (f(x_i) - y_i)^2 (squared); L = (1/n) sum_i log(1 + exp(-y_i f(x_i))) (logistic)",
            "  flow    d theta_g/dt = -(rho_g / alpha^2) grad_g L;  gd is its Euler scheme with step eta, t = eta * steps",
            "",
            "Exit codes: 0 done, 1 the run failed (divergence, unreadable data, failed write), 2 invalid options.",
            "",
            "Examples:",
            "  twolayer train --data teacher --n 200 --d 10 --width 1024 --eta 0.5 --time 50 --out runs/ntk",
            "  twolayer train --dynamics flow --parameterization mean-field --activation tanh --width 100 --time 20 > h.csv"})
final class TrainCommand extends Subcommand {

    /** T when neither --time nor --steps is given. */
    private static final double DEFAULT_TIME = 10.0;

    @ArgGroup(validate = false, heading = "%nData set:%n", order = 1)
    DataOptions data = new DataOptions();

    @ArgGroup(validate = false, heading = "%nNetwork:%n", order = 2)
    ModelOptions model = new ModelOptions();

    @ArgGroup(validate = false, heading = "%nTraining:%n", order = 3)
    TrainingOptions training = new TrainingOptions();

    @ArgGroup(validate = false, heading = "%nOutput:%n", order = 4)
    OutputOptions output = new OutputOptions();

    /** Loss, dynamics, schedule and threads. */
    static final class TrainingOptions {
        @Option(names = "--loss", paramLabel = "NAME", defaultValue = "squared",
                description = {"squared | logistic (default: ${DEFAULT-VALUE}); L = (1/n) sum_i l(f(x_i), y_i):",
                    "squared: l = (f - y)^2 / 2, so L = 1/(2n) sum_i (f(x_i) - y_i)^2;",
                    "logistic: l = log(1 + exp(-y f)), needs labels y = +-1 (e.g. --data mixture)."})
        String loss;

        @Option(names = "--dynamics", paramLabel = "gd|flow", defaultValue = "gd",
                description = {"gd | flow (default: ${DEFAULT-VALUE}):",
                    "gd: gradient descent theta_g <- theta_g - eta rho_g grad_g L (with optional",
                    "  heavy-ball momentum and mini-batches);",
                    "flow: gradient flow d theta_g/dt = -rho_g grad_g L, integrated by the adaptive",
                    "  Dormand-Prince 8(5,3) method with error control (relu's kink forces small steps:",
                    "  for long flows use a smooth activation or looser tolerances)."})
        String dynamics;

        @Option(names = "--time", paramLabel = "T",
                description = {"Gradient-flow time T > 0 to train for (default: 10). flow integrates to t = T;",
                    "gd runs T/eta steps, so T must be a whole multiple of --eta."})
        Double time;

        @Option(names = "--steps", paramLabel = "k",
                description = "gd, instead of --time: number of steps k >= 1; the run ends at t = k*eta.")
        Long steps;

        @Option(names = "--eta", paramLabel = "eta", defaultValue = "0.1",
                description = "gd: step size eta > 0; each step advances t by eta (default: ${DEFAULT-VALUE}).")
        double eta;

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
                    "t = j*T/N, j = 0..N; gd after each step floor(j*k/N), so min(N, k) + 1 rows."})
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
        // Check the options and build the data set, the model and the schedule
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
        TrainingRun.Schedule schedule = schedule(set.n());
        require(training.observe >= 1, "--observe", "an integer >= 1", training.observe);
        int threads = training.threads == null ? Runtime.getRuntime().availableProcessors() : training.threads;
        require(threads >= 1, "--threads", "an integer >= 1", threads);
        TrainingRun.Config config = new TrainingRun.Config(set, net.m(), net.activation(), net.parameterization(),
                model.initSeed, loss, schedule, training.observe, threads);

        // Make sure the results can be written before spending time on the run
        OutputDir dir = output.out == null ? null : OutputDir.prepare(output.out, "--out");
        boolean written = false;
        try {
            // Train, with a progress bar on an interactive terminal
            TrainingRun.Result result;
            try (Progress progress = progress(schedule)) {
                result = TrainingRun.run(config, progress);
            } catch (DivergenceException e) {
                throw CliException.runtime(e.getMessage() + System.lineSeparator()
                        + "  last losses (oldest first): " + lastLosses(e.recentLosses(), 5) + "; no output was written");
            } catch (IllegalStateException e) {
                throw CliException.runtime(e.getMessage() + "; no output was written");
            }

            // Write history.csv and run.json, or print the history
            String csv = TrainingRun.historyCsv(result);
            String summary = "final loss " + result.finalLoss() + " at t = " + result.finalTime() + " ("
                    + result.steps() + (schedule instanceof TrainingRun.Descent ? " steps" : " integrator steps") + ")";
            if (dir == null) {
                out().print(csv);
                out().flush();
                err().println(summary);
                err().flush();
                return 0;
            }
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("history.csv", csv.getBytes(StandardCharsets.UTF_8));
            files.put("run.json", runJson(loaded, config, result, threads).getBytes(StandardCharsets.UTF_8));
            dir.commit(files);
            written = true;
            out().println("wrote " + dir.shown("history.csv") + " (" + result.rows().size() + " rows) and "
                    + dir.shown("run.json") + "; " + summary);
            out().flush();
            return 0;
        } finally {
            if (dir != null && !written) {
                dir.abandon();
            }
        }
    }

    /** The dynamics and its length from --dynamics, --time / --steps and the dynamics' own options. */
    private TrainingRun.Schedule schedule(int n) {
        TrainingOptions o = training;
        String dynamics = o.dynamics.trim().toLowerCase(Locale.ROOT);
        if (!dynamics.equals("gd") && !dynamics.equals("flow")) {
            throw CliException.usage("--dynamics: unknown '" + o.dynamics + "'; allowed: gd, flow");
        }
        boolean gd = dynamics.equals("gd");
        for (String option : new String[] {"--steps", "--eta", "--momentum", "--batch-size", "--sgd-seed"}) {
            onlyWhen(gd, option, "--dynamics gd, not --dynamics flow");
        }
        for (String option : new String[] {"--abs-tol", "--rel-tol", "--max-evaluations"}) {
            onlyWhen(!gd, option, "--dynamics flow, not --dynamics gd");
        }
        if (o.time != null && o.steps != null) {
            throw CliException.usage("--time, --steps: give one of them (gd runs k = --steps steps to t = k*eta)");
        }
        double time = o.time == null ? DEFAULT_TIME : o.time;
        require(time > 0 && Double.isFinite(time), "--time", "finite and > 0", time);
        if (!gd) {
            require(o.absTol > 0 && Double.isFinite(o.absTol), "--abs-tol", "finite and > 0", o.absTol);
            require(o.relTol >= 0 && Double.isFinite(o.relTol), "--rel-tol", "finite and >= 0", o.relTol);
            require(o.maxEvaluations >= 1, "--max-evaluations", "an integer >= 1", o.maxEvaluations);
            return new TrainingRun.Flow(new GradientFlow.Config(o.absTol, o.relTol, Double.POSITIVE_INFINITY,
                    o.maxEvaluations), time);
        }
        require(o.eta > 0 && Double.isFinite(o.eta), "--eta", "finite and > 0", o.eta);
        require(o.momentum >= 0 && o.momentum < 1, "--momentum", "in [0, 1)", o.momentum);
        require(o.batchSize >= 0 && o.batchSize <= n, "--batch-size", "in [0, n = " + n + "] (0 = full batch)",
                o.batchSize);
        long k;
        if (o.steps != null) {
            k = o.steps;
            require(k >= 1, "--steps", "an integer >= 1", k);
        } else {
            double exact = time / o.eta;
            k = Math.round(exact);
            if (k < 1 || Math.abs(exact - k) > 1e-9 * Math.max(1.0, exact)) {
                throw CliException.usage("--time: must be a whole multiple k*eta of --eta for gd, but T/eta = "
                        + time + "/" + o.eta + " = " + exact + (o.time == null ? " (T = " + time + " is the default)" : "")
                        + "; give --time k*eta or --steps k");
            }
        }
        return new TrainingRun.Descent(new GradientDescent.Config(o.eta, o.momentum, o.batchSize, o.sgdSeed), k);
    }

    private Progress progress(TrainingRun.Schedule schedule) {
        boolean wanted = !output.noProgress;
        if (schedule instanceof TrainingRun.Descent gd) {
            return Progress.start(wanted, "train (gd steps)", gd.steps(), s -> s.step());
        }
        double time = ((TrainingRun.Flow) schedule).time();
        int n = training.observe;
        return Progress.start(wanted, "train (flow, t/T in 1/" + n + ")", n, s -> Math.round(s.time() / time * n));
    }

    /** run.json: options, seeds, data, model, result, version and conventions. */
    private String runJson(DataOptions.Loaded loaded, TrainingRun.Config config, TrainingRun.Result result,
                           int threads) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            Object value = o.getValue();
            options.put(o.longestName().replaceFirst("^--", ""), value instanceof Path ? value.toString() : value);
        }
        // the values actually used where the default depends on the machine or on other options
        options.put("threads", threads);
        boolean gd = config.schedule() instanceof TrainingRun.Descent;
        options.put("time", result.finalTime());
        if (gd) {
            options.put("steps", ((TrainingRun.Descent) config.schedule()).steps());
        }
        if ("teacher".equals(loaded.description().get("kind"))) {
            options.put("teacher-activation", loaded.description().get("teacher_activation"));
        }

        Map<String, Object> seeds = new LinkedHashMap<>();
        seeds.put("data", loaded.description().get("seed"));
        seeds.put("init", config.initSeed());
        seeds.put("sgd", gd ? training.sgdSeed : null);

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

        Map<String, Object> conventions = new LinkedHashMap<>();
        conventions.put("model", "f(x) = alpha * (kA * sum_j a_j * sigma(kW * <w_j, x> + kB * b_j) + kC * c), alpha = lazy-scale");
        conventions.put("loss", "L(theta) = (1/n) sum_i l(f(x_i), y_i); squared: l = (f - y)^2 / 2, so L = 1/(2n) sum_i (f(x_i) - y_i)^2;"
                + " logistic: l = log(1 + exp(-y f)), y in {-1, +1}");
        conventions.put("time", "t is gradient-flow time: d theta_g/dt = -(rho_g / alpha^2) grad_g L; gradient descent is its"
                + " Euler scheme, and after k steps of size eta it is at t = eta * k");
        conventions.put("rd", "RD_g(t) = ||theta_g(t) - theta_g(0)||_2 / ||theta_g(0)||_2 for each parameter group g in {a, w, b, c};"
                + " NaN when theta_g(0) = 0");
        conventions.put("step", gd ? "gradient-descent steps taken" : "accepted steps of the adaptive integrator");
        conventions.put("observations", gd ? "after step floor(j*k/N), j = 0..N, N = observe, repeated steps once"
                : "at t = j*T/N, j = 0..N, N = observe");

        Map<String, Object> run = new LinkedHashMap<>();
        Map<String, Object> software = new LinkedHashMap<>();
        software.put("name", "twolayer");
        software.put("version", Twolayer.VERSION);
        run.put("software", software);
        run.put("command", "train");
        run.put("options", options);
        run.put("seeds", seeds);
        run.put("data", loaded.description());
        run.put("network", network);
        run.put("final", end);
        run.put("history", "history.csv");
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
