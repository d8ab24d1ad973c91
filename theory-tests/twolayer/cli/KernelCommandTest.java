package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import twolayer.kernel.AnalyticKernels;
import twolayer.kernel.AnalyticKernels.Kind;
import twolayer.kernel.EmpiricalNtk;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * {@code twolayer kernel} as a user meets it, in-process: the help states the conventions, the printed matrix is
 * the library's to the bit after the CSV round trip, a value worked out by hand in neural-tangents' formulas, the
 * empirical kernel, and every kind of bad input (one line naming the option, exit 2 or 1, no output file).
 */
class KernelCommandTest {

    @TempDir
    Path tmp;

    /** 5 points in d = 3 (one of them zero, two parallel), and 2 more. */
    static final double[] A = {0.3, -1.2, 0.8, 1.0, 0.5, -0.25, 0.0, 0.0, 0.0, -0.6, 2.4, -1.6, 0.7, 0.7, 0.1};
    static final double[] B = {1.5, 0.0, -0.5, -0.2, 0.9, 0.4};
    static final int D = 3;

    Path a;
    Path b;

    @BeforeEach
    void writeInputs() throws IOException {
        a = csvFile("A.csv", A, D);
        b = csvFile("B.csv", B, D);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** One execution: exit code and what was printed. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs a command line as main() does (one-line parse errors), capturing stdout and stderr. */
    static Run run(String... args) {
        CommandLine cli = Twolayer.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String[] with(String[] base, String... more) {
        String[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    Path csvFile(String name, double[] values, int columns) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, TableOption.csv(values, values.length / columns, columns));
        return f;
    }

    /** Parses printed CSV back into doubles, (rows, columns) row-major. */
    static double[] parseCsv(String text, int rows, int columns) {
        List<String> lines = text.lines().toList();
        assertEquals(rows, lines.size(), text);
        double[] v = new double[rows * columns];
        for (int i = 0; i < rows; i++) {
            String[] cells = lines.get(i).split(",");
            assertEquals(columns, cells.length, lines.get(i));
            for (int j = 0; j < columns; j++) {
                v[i * columns + j] = Double.parseDouble(cells[j]);
            }
        }
        return v;
    }

    static void assertOneLineError(Run r, int code, String... fragments) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line on stderr\n" + r);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr lacks '" + f + "'\n" + r);
        }
    }

    // ------------------------------------------------------------------------------------------ help

    @Test
    void helpStatesTheConventions() {
        Run r = run("kernel", "--help");
        assertEquals(0, r.code(), r.toString());
        for (String text : new String[] {"--activation", "--kernel", "--sigma-w", "--sigma-v", "--sigma-b",
            "--fan-in-scaling", "--no-fan-in-scaling", "--empirical", "--width", "--seed", "--x", "--x2", "--out",
            "Fan-in scaling is on by default: k_w = sigma_w/sqrt(d)", "Without --sigma-b there are no biases",
            "q(x,x')     = k_w^2 <x,x'> + sigma_b^2", "NNGP(x,x')  = sigma_v^2 Sigma + sigma_b^2",
            "NTK(x,x')   = NNGP(x,x') + sigma_v^2 SigmaDot q(x,x')", "no factor 2", "Theta_a + Theta_c",
            "Double.toString", "neural-tangents"}) {
            assertTrue(r.out().contains(text), "help lacks '" + text + "'\n" + r.out());
        }
    }

    @Test
    void topLevelHelpListsTheBaselineCommands() {
        Run r = run("--help");
        assertEquals(0, r.code(), r.toString());
        for (String command : new String[] {"train", "kernel", "predict", "conformance"}) {
            assertTrue(r.out().contains("  " + command + " "), "top-level help lacks " + command + "\n" + r.out());
        }
    }

    // ------------------------------------------------------------------------------------------ values

    static Stream<Arguments> kernels() {
        List<Arguments> cases = new ArrayList<>();
        for (String activation : new String[] {"relu", "erf", "tanh", "softplus"}) {
            for (String kind : new String[] {"ntk", "nngp"}) {
                cases.add(Arguments.of(activation, kind, "0.3", true));
                cases.add(Arguments.of(activation, kind, null, false));
            }
        }
        return cases.stream();
    }

    /** The printed Gram and cross kernel are AnalyticKernels.matrix bit for bit, after the CSV round trip. */
    @ParameterizedTest(name = "{0} {1} sigma_b={2} fan-in={3}")
    @MethodSource("kernels")
    void printedKernelIsTheLibrarysToTheBit(String activation, String kind, String sigmaB, boolean fanIn) {
        List<String> options = new ArrayList<>(List.of("kernel", "--activation", activation, "--kernel", kind,
                "--sigma-w", "1.3", "--sigma-v", "0.7"));
        if (sigmaB != null) {
            options.addAll(List.of("--sigma-b", sigmaB));
        }
        if (!fanIn) {
            options.add("--no-fan-in-scaling");
        }
        AnalyticKernels.Options o = new AnalyticKernels.Options(Activation.parse(activation),
                kind.equals("ntk") ? Kind.NTK : Kind.NNGP, 1.3, 0.7, sigmaB == null ? null : Double.valueOf(sigmaB), fanIn);

        Run gram = run(with(options.toArray(String[]::new), "--x", a.toString()));
        assertEquals(0, gram.code(), gram.toString());
        assertArrayEquals(AnalyticKernels.matrix(o, D, A, 5, Parallelism.sequential()), parseCsv(gram.out(), 5, 5),
                "Gram of --x");

        Run cross = run(with(options.toArray(String[]::new), "--x", a.toString(), "--x2", b.toString()));
        assertEquals(0, cross.code(), cross.toString());
        assertArrayEquals(AnalyticKernels.matrix(o, D, A, 5, B, 2, Parallelism.sequential()), parseCsv(cross.out(), 5, 2),
                "kernel between --x and --x2");
    }

    /** --fan-in-scaling is the default: giving it changes nothing. */
    @Test
    void fanInScalingIsTheDefault() {
        String[] base = {"kernel", "--activation", "erf", "--kernel", "ntk", "--sigma-w", "2", "--sigma-v", "1",
            "--x", a.toString()};
        Run plain = run(base), explicit = run(with(base, "--fan-in-scaling")), off = run(with(base, "--no-fan-in-scaling"));
        assertEquals(0, plain.code(), plain.toString());
        assertEquals(plain.out(), explicit.out());
        assertTrue(!plain.out().equals(off.out()), "--no-fan-in-scaling must change the kernel");
    }

    /**
     * A value by hand in neural-tangents' formulas. stax.serial(Dense(m, W_std=1), Relu(), Dense(1, W_std=1)), no
     * biases, x = (1, 0), x' = (1, 1), d = 2: q11 = |x|^2/2 = 1/2, q22 = 1, q12 = 1/2, so cos(theta) = q12 /
     * sqrt(q11 q22) = 1/sqrt(2) and theta = pi/4. Sigma = sqrt(q11 q22) (sin theta + (pi - theta) cos theta) / (2 pi)
     * = (1/sqrt 2)(1/sqrt 2)(1 + 3 pi/4) / (2 pi) = 1/(4 pi) + 3/16, SigmaDot = (pi - pi/4) / (2 pi) = 3/8, so
     * NNGP = 1/(4 pi) + 3/16 = 0.2670774715459477 and NTK = NNGP + SigmaDot q12 = 1/(4 pi) + 3/8 = 0.4545774715459477.
     * To replicate: {@code kernel_fn(np.array([[1., 0.]]), np.array([[1., 1.]]), ('nngp', 'ntk'))}.
     */
    @Test
    void reluKernelOfTwoVectorsMatchesTheHandValue() throws IOException {
        Path x = csvFile("x.csv", new double[] {1, 0}, 2), x2 = csvFile("x2.csv", new double[] {1, 1}, 2);
        String[] base = {"kernel", "--activation", "relu", "--sigma-w", "1", "--sigma-v", "1", "--x", x.toString(),
            "--x2", x2.toString()};
        Run ntk = run(with(base, "--kernel", "ntk")), nngp = run(with(base, "--kernel", "nngp"));
        // a closed form of a few flops: a few ulps
        assertEquals(1 / (4 * Math.PI) + 3.0 / 8, Double.parseDouble(ntk.out().strip()), 1e-15, ntk.toString());
        assertEquals(1 / (4 * Math.PI) + 3.0 / 16, Double.parseDouble(nngp.out().strip()), 1e-15, nngp.toString());
    }

    /** --out writes exactly what stdout would show, and says so. */
    @Test
    void outWritesTheSameMatrixToAFile() throws IOException {
        String[] base = {"kernel", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
            "--sigma-b", "0.1", "--x", a.toString(), "--x2", b.toString()};
        Path k = tmp.resolve("K.csv");
        Run printed = run(base), written = run(with(base, "--out", k.toString()));
        assertEquals(0, written.code(), written.toString());
        assertEquals(printed.out(), Files.readString(k));
        assertTrue(written.out().startsWith("wrote " + k + ": 5 x 2 analytic ntk kernel, relu"), written.toString());
    }

    /**
     * --empirical is EmpiricalNtk on the net 'train --init-seed S' starts from: ntk its total Gram, nngp its readout
     * block Theta_a + Theta_c, both to the bit.
     */
    @Test
    void empiricalKernelIsTheGramOfTheSeededNet() {
        int m = 64;
        TwoLayerNet net = TwoLayerNet.initialize(D, m, Activation.TANH, Parameterization.ntk(1.3, 0.7, 0.3), 5L);
        EmpiricalNtk.Split split = EmpiricalNtk.gram(net, net.initialParameters(), A, 5, B, 2, Parallelism.sequential());
        double[] readout = new double[10];
        for (int i = 0; i < readout.length; i++) {
            readout[i] = split.a()[i] + split.c()[i];
        }
        String[] base = {"kernel", "--empirical", "--width", "64", "--seed", "5", "--activation", "tanh",
            "--sigma-w", "1.3", "--sigma-v", "0.7", "--sigma-b", "0.3", "--x", a.toString(), "--x2", b.toString()};
        Run ntk = run(with(base, "--kernel", "ntk")), nngp = run(with(base, "--kernel", "nngp"));
        assertEquals(0, ntk.code(), ntk.toString());
        assertArrayEquals(split.total(), parseCsv(ntk.out(), 5, 2));
        assertArrayEquals(readout, parseCsv(nngp.out(), 5, 2));
    }

    /**
     * A wide net's kernel is near the analytic one, with and without fan-in scaling: the empirical NTK fluctuates
     * by O(1/sqrt(m)) (relative std about 1/sqrt(m) = 0.016 at m = 4096 per entry, a few times that in the
     * Frobenius norm at worst); 0.1 is the bound, about 6/sqrt(m). The net is seeded, so the check is deterministic.
     */
    @Test
    void wideEmpiricalKernelIsNearTheAnalyticOne() {
        for (boolean fanIn : new boolean[] {true, false}) {
            String[] base = {"kernel", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1.3", "--sigma-v",
                "0.7", "--sigma-b", "0.3", fanIn ? "--fan-in-scaling" : "--no-fan-in-scaling", "--x", a.toString()};
            double[] analytic = parseCsv(run(base).out(), 5, 5);
            double[] empirical = parseCsv(run(with(base, "--empirical", "--width", "4096", "--seed", "3")).out(), 5, 5);
            double diff = 0, norm = 0;
            for (int i = 0; i < analytic.length; i++) {
                diff += (empirical[i] - analytic[i]) * (empirical[i] - analytic[i]);
                norm += analytic[i] * analytic[i];
            }
            double relative = Math.sqrt(diff / norm);
            assertTrue(relative < 0.1, "fan-in " + fanIn + ": ||K_emp - K|| / ||K|| = " + relative + ", bound 0.1");
        }
    }

    // ------------------------------------------------------------------------------------------ bad input

    static final String[] OK = {"kernel", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1"};

    static Stream<Arguments> badOptions() {
        return Stream.of(
            Arguments.of(List.of("--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1"), 2, "--activation: required"),
            Arguments.of(List.of("--activation", "gelu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1"), 2,
                    "--activation: unknown 'gelu'; allowed: relu, erf, tanh, sigmoid, softplus"),
            Arguments.of(List.of("--activation", "relu", "--sigma-w", "1", "--sigma-v", "1"), 2, "--kernel: required"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "nngp2", "--sigma-w", "1", "--sigma-v", "1"), 2,
                    "--kernel: unknown 'nngp2'; allowed: ntk, nngp"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-v", "1"), 2, "--sigma-w: required"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "-1", "--sigma-v", "1"), 2,
                    "--sigma-w: must be finite and > 0 (at 0 the net ignores its inputs), got -1.0"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "0", "--sigma-v", "1"), 2,
                    "--sigma-w: must be finite and > 0 (at 0 the net ignores its inputs), got 0.0"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "NaN"), 2,
                    "--sigma-v: must be finite and > 0 (at 0 the net ignores its hidden layer), got NaN"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                    "--sigma-b", "Infinity"), 2, "--sigma-b: must be finite and >= 0"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                    "--fan-in-scaling", "--no-fan-in-scaling"), 2, "give at most one of them"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                    "--width", "10"), 2, "--width: applies only to --empirical"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                    "--seed", "3"), 2, "--seed: applies only to --empirical"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                    "--empirical"), 2, "--width: required with --empirical"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                    "--empirical", "--width", "0"), 2, "--width: must be an integer >= 1, got 0"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "abc", "--sigma-v", "1"), 2,
                    "--sigma-w"),
            Arguments.of(List.of("--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                    "--sigma-w", "2"), 2, "--sigma-w"));
    }

    /** Every invalid option: one line naming it, exit 2, and no output file. */
    @ParameterizedTest(name = "{2}")
    @MethodSource("badOptions")
    void badOptionIsOneLineNamingItAndWritesNothing(List<String> options, int code, String message) {
        Path out = tmp.resolve("K.csv");
        List<String> all = new ArrayList<>(List.of("kernel"));
        all.addAll(options);
        all.addAll(List.of("--x", a.toString(), "--out", out.toString()));
        Run r = run(all.toArray(String[]::new));
        assertOneLineError(r, code, message);
        assertTrue(r.err().startsWith("twolayer kernel: "), r.toString());
        assertTrue(!Files.exists(out), "no output file after an error");
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
            Arguments.of("nan", "1,2,3\n4,NaN,6\n", 1, "--x: ", "line 2, column 2: 'NaN' is NaN"),
            Arguments.of("lower-case-nan", "1,2,3\n4,nan,6\n", 1, "--x: ", "line 2, column 2: 'nan' is not a number"),
            Arguments.of("infinite", "1,2,3\n4,5,-Infinity\n", 1, "--x: ", "line 2, column 3: '-Infinity' is infinite"),
            Arguments.of("empty", "", 1, "--x: ", "file is empty"),
            Arguments.of("ragged", "1,2,3\n4,5\n", 1, "--x: ", "line 2: ragged row: 2 columns, but the first row has 3"),
            Arguments.of("text", "1,2,3\nx,y,z\n", 1, "--x: ", "'x' is not a number"));
    }

    /** A file that is not a table of finite numbers: one line with the option, file, line and column; exit 1. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badInputFileIsReportedWithItsPosition(String name, String content, int code, String option, String problem)
            throws IOException {
        Path bad = tmp.resolve(name + ".csv");
        Files.writeString(bad, content);
        Path out = tmp.resolve("K.csv");
        Run r = run(with(OK, "--x", bad.toString(), "--out", out.toString()));
        assertOneLineError(r, code, option + bad, problem);
        assertTrue(!Files.exists(out), "no output file after an error");
    }

    @Test
    void missingInputFilesAreUsageErrors() {
        assertOneLineError(run(OK), 2, "--x: required");
        assertOneLineError(run(with(OK, "--x", tmp.resolve("none.csv").toString())), 2,
                "--x: no such file '" + tmp.resolve("none.csv") + "'");
        assertOneLineError(run(with(OK, "--x", a.toString(), "--x2", tmp.toString())), 2,
                "--x2: '" + tmp + "' is not a regular file");
    }

    /** --x2 with another dimension names both files and both column counts. */
    @Test
    void x2WithAnotherDimensionNamesBothFiles() throws IOException {
        Path wide = csvFile("wide.csv", new double[] {1, 2, 3, 4}, 4);
        Path out = tmp.resolve("K.csv");
        Run r = run(with(OK, "--x", a.toString(), "--x2", wide.toString(), "--out", out.toString()));
        assertOneLineError(r, 1, "--x2: '" + wide + "' has 4 columns but --x '" + a + "' has 3");
        assertTrue(!Files.exists(out), "no output file after an error");
    }

    @Test
    void unusableOutIsRejectedBeforeComputing() throws IOException {
        assertOneLineError(run(with(OK, "--x", a.toString(), "--out", tmp.resolve("no/such/dir/K.csv").toString())), 2,
                "--out: the directory of '" + tmp.resolve("no/such/dir/K.csv") + "' does not exist");
        assertOneLineError(run(with(OK, "--x", a.toString(), "--out", tmp.toString())), 2,
                "--out: '" + tmp + "' is a directory");
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(locked), "permissions are not enforced (root?)");
            Run r = run(with(OK, "--x", a.toString(), "--out", locked.resolve("K.csv").toString()));
            assertOneLineError(r, 1, "--out: cannot write '" + locked.resolve("K.csv") + "': directory not writable");
            assertTrue(!Files.exists(locked.resolve("K.csv")));
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** A failed run leaves an existing --out file as it was. */
    @Test
    void failedRunLeavesAnExistingOutputUntouched() throws IOException {
        Path out = tmp.resolve("K.csv");
        Files.writeString(out, "previous\n");
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "1,2,3\n1,2\n");
        Run r = run(with(OK, "--x", bad.toString(), "--out", out.toString()));
        assertEquals(1, r.code(), r.toString());
        assertEquals("previous\n", Files.readString(out));
        try (Stream<Path> files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    /**
     * Standard output that fails (a full disk behind a redirection, /dev/full) is exit 1 with one line, not exit 0
     * with a truncated matrix; the same holds for the help text.
     */
    @Test
    void failedWriteToStdoutIsExitOne() {
        for (String[] args : new String[][] {with(OK, "--x", a.toString()), {"kernel", "--help"}}) {
            CommandLine cli = Twolayer.commandLine();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(new java.io.OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("No space left on device");
                }
            }, true));
            cli.setErr(new PrintWriter(err, true));
            Run r = new Run(cli.execute(args), "", err.toString());
            assertOneLineError(r, 1, "twolayer kernel: cannot write to standard output", "the output is incomplete");
        }
    }

    /** An empty --out is refused rather than taken as the current directory. */
    @Test
    void emptyOutIsRefused() {
        assertOneLineError(run(with(OK, "--x", a.toString(), "--out", "")), 2, "--out: must be a file name, got an empty one");
    }
}
