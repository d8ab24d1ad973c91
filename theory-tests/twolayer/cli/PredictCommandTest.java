package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static twolayer.cli.KernelCommandTest.assertOneLineError;
import static twolayer.cli.KernelCommandTest.run;
import static twolayer.cli.KernelCommandTest.with;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.cli.KernelCommandTest.Run;
import twolayer.kernel.AnalyticKernels;
import twolayer.kernel.AnalyticKernels.Kind;
import twolayer.kernel.KernelRegression;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * {@code twolayer predict} in-process: the help states loss, time unit and output format; the rows are
 * {@link KernelRegression}'s values to the bit in the documented order; t = 0 returns f0, t = inf fits the targets
 * of a full-rank kernel and reports a singular one; a value by hand; gradient descent at rate eta for k steps is at
 * t = eta k; and every kind of bad input.
 */
class PredictCommandTest {

    @TempDir
    Path tmp;

    static final int D = 3;
    static final double[] X = {0.3, -1.2, 0.8, 1.0, 0.5, -0.25, 0.0, 0.1, 0.0, -0.6, 2.4, -1.6, 0.7, 0.7, 0.1,
        -1.1, 0.2, 0.9};
    static final double[] Y = {0.5, -1.0, 0.25, 1.5, 0.0, -0.75};
    static final double[] T = {1.5, 0.0, -0.5, -0.2, 0.9, 0.4, 0.0, 0.0, 0.0};
    static final double[] F0_TRAIN = {0.1, -0.2, 0.05, 0.3, -0.1, 0.0};
    static final double[] F0_TEST = {-0.3, 0.2, 0.0};
    static final AnalyticKernels.Options RELU_NTK =
            new AnalyticKernels.Options(Activation.RELU, Kind.NTK, 1.3, 0.7, 0.3, true);

    Path x;
    Path y;
    Path t;
    Path f0Train;
    Path f0Test;

    @BeforeEach
    void writeProblem() throws IOException {
        x = csv("X.csv", X, D);
        y = csv("y.csv", Y, 1);
        t = csv("T.csv", T, D);
        f0Train = csv("F.csv", F0_TRAIN, 1);
        f0Test = csv("G.csv", F0_TEST, 1);
    }

    Path csv(String name, double[] values, int columns) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, TableOption.csv(values, values.length / columns, columns));
        return f;
    }

    String[] problem(String times) {
        return new String[] {"predict", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1.3", "--sigma-v",
            "0.7", "--sigma-b", "0.3", "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", t.toString(),
            "--times", times};
    }

    /** One parsed output row. */
    record Row(String time, String set, int index, double value) {
    }

    static List<Row> rows(Run r) {
        List<String> lines = r.out().lines().toList();
        assertEquals("time,set,index,value", lines.get(0), r.toString());
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            assertEquals(4, c.length, line);
            rows.add(new Row(c[0], c[1], Integer.parseInt(c[2]), Double.parseDouble(c[3])));
        }
        return rows;
    }

    /** The values of one set at one time, in index order. */
    static double[] values(List<Row> rows, String time, String set) {
        return rows.stream().filter(r -> r.time().equals(time) && r.set().equals(set)).mapToDouble(Row::value).toArray();
    }

    // ------------------------------------------------------------------------------------------ help

    @Test
    void helpStatesLossTimeUnitAndFormat() {
        Run r = run("predict", "--help");
        assertEquals(0, r.code(), r.toString());
        for (String text : new String[] {"--train-x", "--train-y", "--test-x", "--f0-train", "--f0-test", "--times",
            "--out", "L = 1/(2n) sum_i (f(x_i) - y_i)^2", "df/dt = -(1/n) Theta (f - y)", "gradient-flow time",
            "t = eta * steps", "gradient_descent_mse", "pseudo-inverse", "1e-12 lambda_max", "rank",
            "time,set,index,value", "train before test", "Double.toString", "(default: 0"}) {
            assertTrue(r.out().contains(text), "help lacks '" + text + "'\n" + r.out());
        }
    }

    // ------------------------------------------------------------------------------------------ values

    /**
     * Every row is KernelRegression's value to the bit, after the CSV round trip, in the documented order: times
     * increasing (whatever order --times gives), train before test, index increasing; inf for t = infinity.
     */
    @Test
    void rowsAreKernelRegressionsValuesInTheDocumentedOrder() {
        Run r = run(with(problem("inf,0,2.5,10"), "--f0-train", f0Train.toString(), "--f0-test", f0Test.toString()));
        assertEquals(0, r.code(), r.toString());
        double[] kxx = AnalyticKernels.matrix(RELU_NTK, D, X, 6, Parallelism.sequential());
        double[] ktx = AnalyticKernels.matrix(RELU_NTK, D, T, 3, X, 6, Parallelism.sequential());
        KernelRegression regression = new KernelRegression(kxx, Y, F0_TRAIN);
        KernelRegression.TestSet test = regression.testSet(ktx, F0_TEST);

        List<Row> rows = rows(r);
        assertEquals(4 * (6 + 3), rows.size());
        String[] shown = {"0.0", "2.5", "10.0", "inf"};
        double[] times = {0.0, 2.5, 10.0, Double.POSITIVE_INFINITY};
        int at = 0;
        for (int k = 0; k < times.length; k++) {
            for (int i = 0; i < 6; i++) {
                assertEquals(new Row(shown[k], "train", i, regression.fTrainAt(times[k])[i]), rows.get(at++));
            }
            for (int j = 0; j < 3; j++) {
                assertEquals(new Row(shown[k], "test", j, test.fTestAt(times[k])[j]), rows.get(at++));
            }
        }
    }

    /** At t = 0 the outputs are f0, exactly: the given files, or zeros by default. */
    @Test
    void atTimeZeroTheOutputsAreF0() {
        List<Row> given = rows(run(with(problem("0"), "--f0-train", f0Train.toString(), "--f0-test", f0Test.toString())));
        assertArrayEquals(F0_TRAIN, values(given, "0.0", "train"));
        assertArrayEquals(F0_TEST, values(given, "0.0", "test"));
        List<Row> zero = rows(run(problem("0")));
        assertArrayEquals(new double[6], values(zero, "0.0", "train"));
        assertArrayEquals(new double[3], values(zero, "0.0", "test"));
    }

    /**
     * At t = inf a full-rank kernel interpolates: f_train = y. The eigendecomposition's backward error ~ n eps
     * lambda_max moves the fit by ~ n eps kappa |y| (kappa the condition number, below 1e3 here): 1e-11 is that
     * bound with room to spare. The rank is reported on stderr.
     */
    @Test
    void atInfinityAFullRankKernelFitsTheTargets() {
        Run r = run(with(problem("inf"), "--f0-train", f0Train.toString(), "--f0-test", f0Test.toString()));
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(Y, values(rows(r), "inf", "train"), 1e-11);
        assertTrue(r.err().contains("analytic ntk kernel, relu: n = 6 training points, numerical rank 6 of 6"),
                r.toString());
        assertTrue(!r.err().contains("singular"), r.toString());
    }

    /**
     * A singular kernel: the bias-free relu NTK on 8 equally spaced points of the circle has rank 8/2 + 2 = 6 (the
     * NTK chapter derives it), and cos(3 phi) lies in its null space, so t = inf leaves it unfit and stderr says so.
     */
    @Test
    void singularKernelIsReportedAndItsNullSpaceIsNotFit() throws IOException {
        double[] circle = new double[16], target = new double[8];
        for (int i = 0; i < 8; i++) {
            double phi = 2 * Math.PI * i / 8;
            circle[2 * i] = Math.cos(phi);
            circle[2 * i + 1] = Math.sin(phi);
            target[i] = Math.cos(3 * phi);
        }
        Path cx = csv("circle.csv", circle, 2), cy = csv("target.csv", target, 1);
        Run r = run("predict", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                "--train-x", cx.toString(), "--train-y", cy.toString(), "--test-x", cx.toString(), "--times", "inf");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("numerical rank 6 of 8"), r.toString());
        String prefix = "singular: at t = inf the part of y - f0 in the null space, of norm ";
        assertTrue(r.err().contains(prefix), r.toString());
        String norm = r.err().substring(r.err().indexOf(prefix) + prefix.length()).split(",")[0];
        assertEquals(2.0, Double.parseDouble(norm), 1e-12, "|cos 3 phi| over the 8 points is 2");
        // |cos 3 phi| = 2 over the 8 points: nothing of it is learnt (to rounding)
        assertArrayEquals(new double[8], values(rows(r), "inf", "train"), 1e-12);
    }

    /**
     * By hand, one training point x = (1, 0), target y = 1, f0 = 0; test point x' = (1, 1); bias-free relu NTK with
     * sigma_w = sigma_v = 1, d = 2. Theta(x, x) = q = 1/2 (Sigma = q/2, SigmaDot = 1/2) and Theta(x', x) =
     * 1/(4 pi) + 3/8 (KernelCommandTest works it out). With n = 1: f_train(t) = 1 - exp(-t/2), and f_test(t) =
     * Theta(x', x) / Theta(x, x) (1 - exp(-t/2)). At t = 2: 1 - 1/e = 0.6321205588285577 and
     * 2 (1/(4 pi) + 3/8)(1 - 1/e) = 0.5746897...
     */
    @Test
    void onePointProblemMatchesTheHandValue() throws IOException {
        Path px = csv("p.csv", new double[] {1, 0}, 2), py = csv("py.csv", new double[] {1}, 1);
        Path pt = csv("pt.csv", new double[] {1, 1}, 2);
        Run r = run("predict", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                "--train-x", px.toString(), "--train-y", py.toString(), "--test-x", pt.toString(), "--times", "2");
        List<Row> rows = rows(r);
        double fit = 1 - Math.exp(-1);
        // closed forms of a few flops: a few ulps
        assertEquals(fit, values(rows, "2.0", "train")[0], 1e-15, r.toString());
        assertEquals(2 * (1 / (4 * Math.PI) + 3.0 / 8) * fit, values(rows, "2.0", "test")[0], 1e-15, r.toString());
    }

    /**
     * The time unit: gradient descent on the linearised model with learning rate eta, k steps,
     * f <- f - (eta/n) Theta (f - y), is at t = eta k. Per eigen-direction (mu = lambda/n) it multiplies the residual
     * by (1 - eta mu)^k instead of exp(-t mu); the two differ by at most k (eta mu)^2 / 2 = t eta mu^2 / 2, so
     * ||f_gd - f(t)||_2 &lt;= t eta mu_max^2 / 2 ||y - f0||_2: this is the bound checked.
     */
    @Test
    void gradientDescentAtRateEtaForKStepsIsAtTimeEtaK() {
        double eta = 0.01, time = 5.0;
        int steps = 500, n = 6;
        Run r = run(problem("5"));
        double[] flow = values(rows(r), "5.0", "train");
        double[] k = AnalyticKernels.matrix(RELU_NTK, D, X, n, Parallelism.sequential());
        double[] f = new double[n];
        for (int s = 0; s < steps; s++) {
            double[] step = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    step[i] += eta / n * k[i * n + j] * (f[j] - Y[j]);
                }
            }
            for (int i = 0; i < n; i++) {
                f[i] -= step[i];
            }
        }
        double muMax = new KernelRegression(k, Y, new double[n]).eigenvalues()[0] / n;
        double diff = 0, residual = 0;
        for (int i = 0; i < n; i++) {
            diff += (f[i] - flow[i]) * (f[i] - flow[i]);
            residual += Y[i] * Y[i];
        }
        double bound = time * eta * muMax * muMax / 2 * Math.sqrt(residual);
        assertTrue(Math.sqrt(diff) <= bound, "||f_gd - f(t)|| = " + Math.sqrt(diff) + ", bound " + bound);
        assertTrue(Math.sqrt(diff) > 1e-6, "gd at finite eta must differ from the flow (else the check is vacuous)");
    }

    /** --empirical predicts with the finite net's kernel and says so on stderr. */
    @Test
    void empiricalKernelPredicts() {
        Run r = run(with(problem("0,inf"), "--empirical", "--width", "32", "--seed", "4"));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().startsWith("empirical ntk kernel, relu, m = 32, seed 4: n = 6 training points"), r.toString());
        assertArrayEquals(Y, values(rows(r), "inf", "train"), 1e-9);
    }

    /**
     * --f0-net: at t = 0 the rows are the outputs of the kernel's own net, the ntk net of width 32 and seed 4 that
     * 'train --init-seed 4' starts from (its sum over neurons is correctly rounded, so the batch and the one-input
     * forward pass agree to the bit); every row is that of the same outputs given as --f0-train/--f0-test files;
     * and train's loss at t = 0 is the squared loss of these outputs (to rounding in the sum over 6 points).
     */
    @Test
    void f0NetIsTheInitialOutputsOfTheKernelsOwnNet() throws IOException {
        String[] empirical = with(problem("0,1,inf"), "--empirical", "--width", "32", "--seed", "4");
        Run r = run(with(empirical, "--f0-net"));
        assertEquals(0, r.code(), r.toString());
        TwoLayerNet net = TwoLayerNet.initialize(D, 32, Activation.RELU, Parameterization.ntk(1.3, 0.7, 0.3), 4);
        double[] theta = net.initialParameters();
        double[] f0 = new double[Y.length], g0 = new double[T.length / D];
        for (int i = 0; i < f0.length; i++) {
            f0[i] = net.output(theta, java.util.Arrays.copyOfRange(X, i * D, (i + 1) * D));
        }
        for (int j = 0; j < g0.length; j++) {
            g0[j] = net.output(theta, java.util.Arrays.copyOfRange(T, j * D, (j + 1) * D));
        }
        List<Row> rows = rows(r);
        assertArrayEquals(f0, values(rows, "0.0", "train"), 0.0);
        assertArrayEquals(g0, values(rows, "0.0", "test"), 0.0);
        Run files = run(with(empirical, "--f0-train", csv("F.csv", f0, 1).toString(), "--f0-test",
                csv("G.csv", g0, 1).toString()));
        assertEquals(files.out(), r.out(), "the same as the outputs given as files");

        Run train = run("train", "--no-progress", "--data", "csv", "--x", x.toString(), "--y", y.toString(),
                "--parameterization", "ntk", "--sigma-w", "1.3", "--sigma-v", "0.7", "--sigma-b", "0.3",
                "--activation", "relu", "--width", "32", "--init-seed", "4", "--steps", "1");
        assertEquals(0, train.code(), train.toString());
        double loss0 = Double.parseDouble(train.out().lines().skip(1).findFirst().orElseThrow().split(",")[2]);
        double expected = 0;
        for (int i = 0; i < f0.length; i++) {
            expected += (f0[i] - Y[i]) * (f0[i] - Y[i]) / (2 * f0.length);
        }
        assertEquals(expected, loss0, 1e-15 * expected, "train's L at t = 0 is that of predict's f0");
    }

    @Test
    void outWritesTheSameRowsToAFile() throws IOException {
        Path out = tmp.resolve("P.csv");
        Run printed = run(problem("0,1,inf")), written = run(with(problem("0,1,inf"), "--out", out.toString()));
        assertEquals(0, written.code(), written.toString());
        assertEquals(printed.out(), Files.readString(out));
        assertTrue(written.out().startsWith("wrote " + out + ": 3 times x (6 train + 3 test) predictions"),
                written.toString());
    }

    // ------------------------------------------------------------------------------------------ bad input

    static Stream<Arguments> badTimes() {
        return Stream.of(
            Arguments.of("-1", "--times: must be gradient-flow times t >= 0 or inf, got -1"),
            Arguments.of("0,NaN", "--times: 'NaN' is not a time"),
            Arguments.of("1,,2", "--times: '' is not a time"),
            Arguments.of("-inf", "--times: '-inf' is not a time"),
            Arguments.of("1d", "--times: '1d' is not a time"),
            Arguments.of("1e999", "--times: must be finite numbers or inf"),
            Arguments.of("10,1,10", "--times: t = 10.0 is given twice"),
            Arguments.of("inf,Infinity", "--times: t = inf is given twice"));
    }

    @ParameterizedTest(name = "--times {0}")
    @MethodSource("badTimes")
    void badTimesAreUsageErrors(String times, String message) {
        Path out = tmp.resolve("P.csv");
        assertOneLineError(run(with(problem(times), "--out", out.toString())), 2, message);
        assertTrue(!Files.exists(out));
    }

    /** Files whose shapes do not fit: one line naming both options, both files and both sizes; exit 1; no output. */
    @Test
    void mismatchedFilesNameBothFilesAndSizes() throws IOException {
        Path out = tmp.resolve("P.csv");
        Path y5 = csv("y5.csv", new double[] {1, 2, 3, 4, 5}, 1);
        Path y2 = csv("y2.csv", new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2);
        Path t2 = csv("t2.csv", new double[] {1, 2, 3, 4}, 2);
        Path f5 = csv("f5.csv", new double[] {1, 2, 3, 4, 5}, 1);
        Path g4 = csv("g4.csv", new double[] {1, 2, 3, 4}, 1);
        String[] base = problem("0,inf");
        String[][] cases = {
            {"--train-y", y5.toString(), "--train-y: '" + y5 + "' has 5 rows but --train-x '" + x + "' has 6"},
            {"--train-y", y2.toString(), "--train-y: '" + y2 + "' has 2 columns; expected 1"},
            {"--test-x", t2.toString(), "--test-x: '" + t2 + "' has 2 columns but --train-x '" + x + "' has 3"},
        };
        for (String[] c : cases) {
            String[] args = base.clone();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals(c[0])) {
                    args[i + 1] = c[1];
                }
            }
            assertOneLineError(run(with(args, "--out", out.toString())), 1, c[2]);
            assertTrue(!Files.exists(out));
        }
        assertOneLineError(run(with(base, "--f0-train", f5.toString(), "--f0-test", f0Test.toString(), "--out",
                out.toString())), 1, "--f0-train: '" + f5 + "' has 5 rows but --train-x '" + x + "' has 6");
        assertOneLineError(run(with(base, "--f0-train", f0Train.toString(), "--f0-test", g4.toString(), "--out",
                out.toString())), 1, "--f0-test: '" + g4 + "' has 4 rows but --test-x '" + t + "' has 3");
        assertTrue(!Files.exists(out));
    }

    @Test
    void badFilesAndOptionsAreOneLineErrors() throws IOException {
        Path out = tmp.resolve("P.csv");
        Path nan = tmp.resolve("nan.csv");
        Files.writeString(nan, "1\n2\nNaN\n4\n5\n6\n");
        Path empty = tmp.resolve("empty.csv");
        Files.writeString(empty, "\n");
        String[] base = problem("0,inf");
        assertOneLineError(run(replace(base, "--train-y", nan.toString(), "--out", out.toString())), 1,
                "--train-y: " + nan + ": line 3, column 1: 'NaN' is NaN");
        assertOneLineError(run(replace(base, "--test-x", empty.toString(), "--out", out.toString())), 1,
                "--test-x: " + empty + ": line 1: file is empty");
        assertOneLineError(run(with(base, "--f0-train", f0Train.toString())), 2,
                "--f0-test: give --f0-train and --f0-test together");
        assertOneLineError(run(with(base, "--f0-net")), 2, "--f0-net: applies only to --empirical");
        assertOneLineError(run(with(base, "--empirical", "--width", "8", "--f0-net", "--f0-train", f0Train.toString(),
                "--f0-test", f0Test.toString())), 2, "--f0-net: give either --f0-net");
        assertOneLineError(run(replace(base, "--train-x", tmp.resolve("none.csv").toString())), 2,
                "--train-x: no such file");
        assertOneLineError(run(replace(base, "--activation", "swish")), 2, "--activation: unknown 'swish'");
        assertOneLineError(run("predict", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", t.toString()), 2, "--times: required");
        assertOneLineError(run("predict", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                "--train-x", x.toString(), "--test-x", t.toString(), "--times", "1"), 2, "--train-y: required");
        assertOneLineError(run(with(base, "--out", tmp.resolve("missing/P.csv").toString())), 2,
                "--out: the directory of");
        assertTrue(!Files.exists(out));
    }

    /** base with the value after {@code option} replaced, plus more arguments. */
    static String[] replace(String[] base, String option, String value, String... more) {
        String[] args = base.clone();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(option)) {
                args[i + 1] = value;
            }
        }
        return with(args, more);
    }
}
