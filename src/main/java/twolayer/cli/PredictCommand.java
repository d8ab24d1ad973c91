package twolayer.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.kernel.KernelRegression;
import twolayer.model.Parallelism;

/**
 * {@code twolayer predict}: the outputs of kernel regression trained by gradient flow on the squared loss, on the
 * training and test points at given times including t = inf ({@link KernelRegression}), with the kernel of
 * {@link KernelOptions}. This is the linearised network of the NTK regime (or, with the NNGP, its readout trained
 * alone), in the closed form of neural-tangents' {@code predict.gradient_descent_mse}.
 */
@Command(name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Kernel-regression predictions of gradient flow at given times and t = inf.",
        abbreviateSynopsis = true,
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "Train kernel regression (the linearised net) by gradient flow on the squared loss",
            "  L = 1/(2n) sum_i (f(x_i) - y_i)^2   over the n training points,",
            "so that df/dt = -(1/n) Theta (f - y) with Theta = k(X, X) the kernel of the --kernel options, and print",
            "f on the training and test points at each time of --times, in closed form:",
            "  f_train(t) = y + exp(-t Theta/n) (f0_train - y)",
            "  f_test(t)  = f0_test + k(T, X) Theta^-1 (I - exp(-t Theta/n)) (y - f0_train)",
            "(f0 = 0, or --f0-train/--f0-test, or with --empirical --f0-net the outputs of the kernel's own net).",
            "t is gradient-flow time: gradient descent with learning rate eta is at t = eta * steps, which is",
            "neural-tangents' gradient_descent_mse(k_train_train, y, learning_rate=eta) at predict_fn(t=steps).",
            "t = inf is the limit. On a singular kernel (eigenvalues <= 1e-12 lambda_max count as zero) it is the",
            "pseudo-inverse one, f(inf) = f0 + k(., X) Theta^+ (y - f0): what lies in Theta's null space is never fit.",
            "The kernel's numerical rank is reported on stderr."},
        footer = {
            "",
            "Kernel conventions: see 'twolayer kernel --help' (the same options, the same matrices).",
            "",
            "Input files: .csv (one row per point) or NumPy .npy (float64 or float32; inputs (n, d), targets and",
            "outputs (n,) or (n, 1)), by extension.",
            "",
            "Output: CSV with header time,set,index,value: time as Double.toString or inf; set train or test; index",
            "the row of --train-x or --test-x, from 0; value f at that time. Rows by time, then train before test,",
            "then index. Numbers as Java's Double.toString, which parses back to the same double.",
            "",
            "Exit codes: 0 done, 1 unreadable or inconsistent data, or a failed write; 2 invalid options or missing files.",
            "",
            "Example:",
            "  twolayer predict --activation relu --kernel ntk --sigma-w 1 --sigma-v 1 --sigma-b 0.1 \\",
            "      --train-x X.csv --train-y y.csv --test-x T.csv --times 0,1,10,100,inf --out P.csv"})
final class PredictCommand extends Subcommand {

    @ArgGroup(validate = false, heading = "%nKernel:%n", order = 1)
    KernelOptions kernel = new KernelOptions();

    @ArgGroup(validate = false, heading = "%nData and times:%n", order = 2)
    DataFiles data = new DataFiles();

    /** The problem and the output. */
    static final class DataFiles {
        @Option(names = "--train-x", paramLabel = "X.csv",
                description = "Training inputs x_i (required): n rows of d numbers.")
        Path trainX;

        @Option(names = "--train-y", paramLabel = "y.csv",
                description = "Targets y_i (required): n rows of 1 number.")
        Path trainY;

        @Option(names = "--test-x", paramLabel = "T.csv",
                description = "Test inputs (required): rows of d numbers.")
        Path testX;

        @Option(names = "--f0-train", paramLabel = "F.csv",
                description = {"Outputs at t = 0 on the training points: n rows of 1 number",
                    "(default: 0; give it with --f0-test). For a finite net, its outputs",
                    "at initialisation; with f0 = 0 and --empirical, the prediction is",
                    "that of the linearised net minus its initial output."})
        Path f0Train;

        @Option(names = "--f0-test", paramLabel = "G.csv",
                description = {"Outputs at t = 0 on the test points: one number per row of",
                    "--test-x (default: 0)."})
        Path f0Test;

        @Option(names = "--f0-net",
                description = {"--empirical, instead of --f0-train/--f0-test: f0 = the outputs at",
                    "initialisation of the kernel's own random net (--width, --seed), the",
                    "net 'twolayer train --parameterization ntk --init-seed S' starts from;",
                    "the predictions are then those of its linearisation."})
        boolean f0Net;

        @Option(names = "--times", paramLabel = "T1,T2,...",
                description = {"Gradient-flow times t >= 0 (required), comma-separated, e.g.",
                    "0,1,10,100,inf; inf is t = infinity. Printed in increasing order."})
        String times;

        @Option(names = "--out", paramLabel = "P.csv",
                description = {"Write the predictions to this file (its directory must exist),",
                    "atomically: a failed run leaves no file. Without --out they are",
                    "printed to stdout."})
        Path out;
    }

    @Override
    int run() {
        // Check the options before reading any file
        KernelOptions.Spec spec = kernel.check(this);
        double[] times = parseTimes(data.times);
        requireFile("--train-x", data.trainX, "training inputs");
        requireFile("--train-y", data.trainY, "targets");
        requireFile("--test-x", data.testX, "test inputs");
        onlyWhen(spec.empirical(), "--f0-net", "--empirical (an analytic kernel has no finite net whose outputs"
                + " could be f0)");
        if (data.f0Net && (data.f0Train != null || data.f0Test != null)) {
            throw CliException.usage("--f0-net: give either --f0-net (the net's own outputs) or --f0-train and --f0-test,"
                    + " not both");
        }
        if ((data.f0Train == null) != (data.f0Test == null)) {
            throw CliException.usage((data.f0Train == null ? "--f0-train" : "--f0-test")
                    + ": give --f0-train and --f0-test together (the outputs of one net at t = 0), or neither (f0 = 0)");
        }

        // Read the files and check that their shapes fit together
        TableOption x = TableOption.read("--train-x", data.trainX);
        TableOption y = TableOption.column("--train-y", data.trainY, "one target per row");
        TableOption t = TableOption.read("--test-x", data.testX);
        y.sameRows(x, "one target per training input");
        t.sameColumns(x, "test and training inputs have the same dimension d");
        int n = x.rows(), nTest = t.rows(), d = x.columns();
        double[] f0Train = new double[n], f0Test = new double[nTest];
        if (data.f0Train != null) {
            TableOption f = TableOption.column("--f0-train", data.f0Train, "one output per row");
            TableOption g = TableOption.column("--f0-test", data.f0Test, "one output per row");
            f.sameRows(x, "one output per training input");
            g.sameRows(t, "one output per test input");
            f0Train = f.values();
            f0Test = g.values();
        }
        requireSize(spec, d, n, nTest, times.length);
        if (data.f0Net) {
            f0Train = spec.initialOutputs(d, x.values(), n, Parallelism.available());
            f0Test = spec.initialOutputs(d, t.values(), nTest, Parallelism.available());
        }
        OutputFile out = data.out == null ? null : OutputFile.prepare(data.out, "--out");

        // Kernel matrices Theta = k(X, X), (n, n), and k(T, X), (nTest, n)
        KernelOptions.Kernel k = KernelCommand.bind(spec, d);
        Parallelism parallelism = Parallelism.available();
        KernelRegression regression;
        KernelRegression.TestSet test;
        try {
            double[] kTrainTrain = k.gram(x.values(), n, parallelism);
            double[] kTestTrain = k.cross(t.values(), nTest, x.values(), n, parallelism);
            regression = new KernelRegression(kTrainTrain, y.values(), f0Train);
            test = regression.testSet(kTestTrain, f0Test);
        } catch (IllegalArgumentException e) {
            throw CliException.runtime("--train-x, --test-x: " + withoutField(e.getMessage()));
        }

        // Predictions at each time: train rows, then test rows
        StringBuilder csv = new StringBuilder("time,set,index,value\n");
        for (double time : times) {
            String shown = time == Double.POSITIVE_INFINITY ? "inf" : Double.toString(time);
            double[] fTrain = regression.fTrainAt(time), fTest = test.fTestAt(time);
            requireFinite(fTrain, "training", shown);
            requireFinite(fTest, "test", shown);
            for (int i = 0; i < n; i++) {
                csv.append(shown).append(",train,").append(i).append(',').append(Double.toString(fTrain[i])).append('\n');
            }
            for (int j = 0; j < nTest; j++) {
                csv.append(shown).append(",test,").append(j).append(',').append(Double.toString(fTest[j])).append('\n');
            }
        }
        reportRank(spec, regression);

        // Print, or write atomically
        if (out == null) {
            out().print(csv);
            out().flush();
            return 0;
        }
        out.commit(csv.toString().getBytes(StandardCharsets.UTF_8));
        out().println("wrote " + out.shown() + ": " + times.length + " times x (" + n + " train + " + nTest
                + " test) predictions");
        out().flush();
        return 0;
    }

    /**
     * Checks the sizes before anything is computed ({@link KernelCommand#requireSize}): the (n, n) kernel with the
     * eigendecomposition's copies (about 6 matrices of n^2), the (nTest, n) kernel twice, and the output text, about
     * 40 characters for each of times x (n + nTest) rows.
     */
    private static void requireSize(KernelOptions.Spec spec, int d, int n, int nTest, int times) {
        KernelCommand.requireSize(spec, d, n, n, "--train-x", 6, false);
        KernelCommand.requireSize(spec, d, nTest, n, "--test-x, --train-x", 2, false);
        double rows = (double) times * ((double) n + nTest);
        Memory.requireArray("--times", "the text of " + (long) rows + " predictions", rows * 40, "characters (at most)");
        Memory.requireFits("--train-x, --test-x", "the kernels (" + n + " x " + n + " and " + nTest + " x " + n
                + "), their eigendecomposition and the output text",
                Memory.DOUBLE * (6.0 * n * n + 2.0 * nTest * n) + 4 * 40 * rows);
    }

    /** The kernel's numerical rank on stderr, and what t = inf leaves unfit when it is rank-deficient. */
    private void reportRank(KernelOptions.Spec spec, KernelRegression r) {
        double[] lambda = r.eigenvalues();
        String line = spec.describe() + ": n = " + r.n() + " training points, numerical rank " + r.rank() + " of "
                + r.n() + " (lambda_max = " + lambda[0] + "; eigenvalues <= " + r.threshold() + " = 1e-12 lambda_max"
                + " count as zero)";
        if (r.rank() < r.n()) {
            line += "; singular: at t = inf the part of y - f0 in the null space, of norm " + r.nullSpaceResidual()
                    + ", is not fit";
        }
        err().println(line);
        err().flush();
    }

    /**
     * A prediction that is not a finite double (the kernel's scale, times the targets, beyond a double's range) is
     * refused: a result file never holds NaN or infinity.
     */
    private static void requireFinite(double[] f, String set, String time) {
        for (int i = 0; i < f.length; i++) {
            if (!Double.isFinite(f[i])) {
                throw CliException.runtime("--train-x, --test-x: the prediction on " + set + " point " + i + " at t = "
                        + time + " is " + f[i] + ": the kernel's scale (--sigma-v, --sigma-w, --sigma-b, the inputs)"
                        + " or the targets overflow a double; scale them down");
            }
        }
    }

    /** Parses "0,1,10,inf": non-negative times or inf, each once, returned in increasing order. */
    static double[] parseTimes(String list) {
        if (list == null) {
            throw CliException.usage("--times: required (comma-separated gradient-flow times t >= 0 or inf, e.g. 0,1,10,inf)");
        }
        String[] cells = list.split(",", -1);
        double[] times = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i].strip();
            String lower = cell.toLowerCase(Locale.ROOT);
            if (lower.equals("inf") || lower.equals("+inf") || lower.equals("infinity") || lower.equals("+infinity")) {
                times[i] = Double.POSITIVE_INFINITY;
                continue;
            }
            double v;
            try {
                // Java's parser also takes the suffixes d and f and hex floats; a time is a plain decimal number
                if (cell.isEmpty() || !cell.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw new NumberFormatException();
                }
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw CliException.usage("--times: '" + cell + "' is not a time; give numbers >= 0 or inf, e.g. 0,1,10,inf");
            }
            Subcommand.require(v >= 0, "--times", "gradient-flow times t >= 0 or inf", cell);
            Subcommand.require(Double.isFinite(v), "--times", "finite numbers or inf (" + cell + " overflows)", cell);
            times[i] = v + 0.0;  // -0 is 0
        }
        Arrays.sort(times);
        for (int i = 1; i < times.length; i++) {
            if (times[i] == times[i - 1]) {
                throw CliException.usage("--times: t = " + (times[i] == Double.POSITIVE_INFINITY ? "inf" : times[i])
                        + " is given twice; give each time once");
            }
        }
        return times;
    }

    private static void requireFile(String option, Path file, String what) {
        if (file == null) {
            throw CliException.usage(option + ": required (" + what + ", a .csv or .npy file with one row per point)");
        }
    }
}
