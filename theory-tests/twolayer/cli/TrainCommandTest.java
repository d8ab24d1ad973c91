package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code twolayer train} as a user meets it, run in-process with captured stdout and stderr: the help, a small
 * real run and its files, reproducibility, and every kind of bad input (one line on stderr naming the option,
 * a non-zero exit code, no output files).
 */
class TrainCommandTest {

    /** The small problem of the brief: n = 20 points in d = 3, width 16, gradient descent. */
    private static final String[] SMALL = {"train", "--n", "20", "--d", "3", "--width", "16", "--no-progress"};

    @TempDir
    Path tmp;

    /** One execution: exit code and what was printed. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs the command as the brief prescribes, {@code new CommandLine(new Twolayer()).execute(...)}. */
    static Run run(String... args) {
        return run(new CommandLine(new Twolayer()), args);
    }

    static Run run(CommandLine cli, String... args) {
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

    static List<String> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void helpNamesEveryOptionAndStatesTheConventions() {
        Run r = run("train", "--help");
        assertEquals(0, r.code(), r.toString());
        for (String option : new String[] {"--data", "--n", "--d", "--data-seed", "--noise", "--x", "--y", "--width",
            "--activation", "--parameterization", "--sigma-w", "--sigma-v", "--sigma-b", "--lazy-scale", "--init-seed",
            "--loss", "--dynamics", "--eta", "--momentum", "--batch-size", "--sgd-seed", "--time", "--steps",
            "--observe", "--abs-tol", "--rel-tol", "--threads", "--out", "--no-progress"}) {
            assertTrue(r.out().contains(option + "=") || r.out().contains(option + " "), "help lacks " + option + "\n" + r.out());
        }
        // units and conventions: gradient-flow time, t = k*eta, the 1/(2n) loss, the RD definition
        for (String convention : new String[] {"Gradient-flow time T", "t = k*eta", "L = 1/(2n) sum_i (f(x_i) - y_i)^2",
            "RD_g(t) = |theta_g(t) - theta_g(0)| / |theta_g(0)|", "time,step,loss,rd_a,rd_w"}) {
            assertTrue(r.out().contains(convention), "help lacks '" + convention + "'\n" + r.out());
        }
    }

    @Test
    void topLevelHelpListsTrainAndVersionIsTheConstant() {
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("train"), help.out());
        Run version = run("--version");
        assertEquals(0, version.code());
        assertEquals("twolayer " + Twolayer.VERSION, version.out().strip());
    }

    /** The version in run.json is the project's: Twolayer.VERSION must follow pom.xml. */
    @Test
    void versionConstantMatchesThePom() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>twolayer</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "project version not found in pom.xml");
        assertEquals(m.group(1), Twolayer.VERSION);
    }

    /**
     * 50 steps with the default --observe 100 >= 50 observe every step: 51 rows (t = 0 and after each step), at
     * t = k * eta exactly, with step = k; run.json records the options, the seeds and the final loss of the last row.
     */
    @Test
    void smallRunWritesOneRowPerStepAndARunRecord() throws IOException {
        Path out = tmp.resolve("run");
        Run r = run(with(SMALL, "--eta", "0.1", "--steps", "50", "--out", out.toString()));
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of("history.csv", "run.json"), files(out));

        List<String> lines = Files.readAllLines(out.resolve("history.csv"));
        assertEquals("time,step,loss,rd_a,rd_w", lines.get(0));
        assertEquals(1 + 51, lines.size(), "header + one row per step and t = 0");
        double previous = -1;
        for (int k = 0; k <= 50; k++) {
            String[] cells = lines.get(1 + k).split(",");
            assertEquals(5, cells.length, lines.get(1 + k));
            double t = Double.parseDouble(cells[0]);
            assertTrue(t > previous, "time must increase: row " + k);
            previous = t;
            assertEquals(k, Long.parseLong(cells[1]));
            assertEquals(k * 0.1, t, 0.0, "t = k * eta");
        }
        String[] first = lines.get(1).split(","), last = lines.get(51).split(",");
        assertEquals("0.0", first[3], "RD_a(0) = 0");
        assertTrue(Double.parseDouble(last[2]) < Double.parseDouble(first[2]), "the loss decreased");

        JsonNode json = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals(Twolayer.VERSION, json.at("/software/version").asText());
        assertEquals(16, json.at("/options/width").asInt());
        assertEquals(0.1, json.at("/options/eta").asDouble());
        assertEquals(50, json.at("/options/steps").asInt());
        assertEquals(1, json.at("/seeds/data").asLong());
        assertEquals(2, json.at("/seeds/init").asLong());
        assertEquals(Double.parseDouble(last[2]), json.at("/final/loss").asDouble(), 0.0, "final loss = last row");
        assertTrue(json.at("/conventions/loss").asText().contains("1/(2n)"));
        assertTrue(json.at("/conventions/time").asText().contains("eta * k"));
        assertTrue(json.at("/conventions/rd").asText().contains("||theta_g(t) - theta_g(0)||_2"));
        assertEquals(out.toString(), json.at("/options/out").asText(), "--out as given");
    }

    /** Same options and seeds: the same bytes, also with 1 and 2 threads, and the same bytes on stdout. */
    @Test
    void sameSeedGivesByteIdenticalHistoryForAnyThreadCount() throws IOException {
        String[] args = with(SMALL, "--steps", "50", "--batch-size", "5", "--momentum", "0.5", "--sigma-b", "0.3");
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        assertEquals(0, run(with(args, "--threads", "1", "--out", a.toString())).code());
        assertEquals(0, run(with(args, "--threads", "1", "--out", b.toString())).code());
        assertEquals(0, run(with(args, "--threads", "2", "--out", c.toString())).code());
        byte[] history = Files.readAllBytes(a.resolve("history.csv"));
        assertArrayEquals(history, Files.readAllBytes(b.resolve("history.csv")));
        assertArrayEquals(history, Files.readAllBytes(c.resolve("history.csv")));
        // run.json differs only in --out
        String jsonA = Files.readString(a.resolve("run.json")), jsonB = Files.readString(b.resolve("run.json"));
        assertEquals(jsonA.replace(a.toString(), "OUT"), jsonB.replace(b.toString(), "OUT"));

        Run stdout = run(with(args, "--threads", "2"));
        assertEquals(0, stdout.code(), stdout.toString());
        assertEquals(new String(history, StandardCharsets.UTF_8), stdout.out(), "without --out the CSV goes to stdout");
    }

    static Stream<Arguments> dataSets() {
        return Stream.of(
                Arguments.of(List.of("--data", "sphere")),
                Arguments.of(List.of("--data", "gaussian")),
                Arguments.of(List.of("--data", "single-index", "--link", "he3", "--noise", "0.1")),
                Arguments.of(List.of("--data", "teacher", "--teacher-width", "2", "--teacher-activation", "tanh")),
                Arguments.of(List.of("--data", "mixture", "--mixture-mean", "3", "--loss", "logistic")),
                Arguments.of(List.of("--data", "mixture", "--parameterization", "mean-field", "--activation", "tanh")),
                Arguments.of(List.of("--parameterization", "standard-ntk-rates", "--sigma-b", "0.1", "--lazy-scale", "2")));
    }

    /** Every data set and preset trains; a different --data-seed gives a different history. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dataSets")
    void everyDataSetTrainsAndItsSeedMatters(List<String> options) {
        String[] args = with(with(SMALL, "--steps", "10"), options.toArray(String[]::new));
        Run r = run(args);
        assertEquals(0, r.code(), r.toString());
        assertEquals(1 + 11, r.out().lines().count(), r.toString());
        Run other = run(with(args, "--data-seed", "99"));
        assertEquals(0, other.code(), other.toString());
        assertFalse(r.out().equals(other.out()), "--data-seed changes the data");
    }

    /** gd with k = 7 steps and N = 3: rows after steps floor(j*7/3) = 0, 2, 4, 7. */
    @Test
    void gradientDescentObservesAfterEvenlySpacedSteps() {
        Run r = run(with(SMALL, "--steps", "7", "--observe", "3"));
        assertEquals(0, r.code(), r.toString());
        List<String> steps = new ArrayList<>();
        r.out().lines().skip(1).forEach(line -> steps.add(line.split(",")[1]));
        assertEquals(List.of("0", "2", "4", "7"), steps);
    }

    /** Gradient flow to T = 1 with N = 4: rows at t = 0, 0.25, 0.5, 0.75, 1; biases add rd_b and rd_c. */
    @Test
    void gradientFlowObservesAtEvenlySpacedTimes() {
        Run r = run(with(SMALL, "--dynamics", "flow", "--time", "1", "--observe", "4", "--sigma-b", "0.5"));
        assertEquals(0, r.code(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals("time,step,loss,rd_a,rd_w,rd_b,rd_c", lines.get(0));
        List<String> times = lines.stream().skip(1).map(l -> l.split(",")[0]).toList();
        assertEquals(List.of("0.0", "0.25", "0.5", "0.75", "1.0"), times);
    }

    /** The small problem with 5 gd steps, then the extra arguments. */
    static List<String> small(String... more) {
        List<String> args = new ArrayList<>(List.of("--n", "20", "--d", "3", "--width", "16", "--steps", "5"));
        args.addAll(List.of(more));
        return args;
    }

    /** The small problem without a length (for the --time/--steps cases), then the extra arguments. */
    static List<String> smallNoLength(String... more) {
        List<String> args = new ArrayList<>(List.of("--n", "20", "--d", "3", "--width", "16"));
        args.addAll(List.of(more));
        return args;
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(List.of("--width", "0"), "--width", ">= 1"),
                Arguments.of(small("--n", "0"), "--n", "given 2 times"),
                Arguments.of(List.of("--n", "0"), "--n", ">= 1"),
                Arguments.of(List.of("--d", "-2"), "--d", ">= 1"),
                Arguments.of(small("--eta", "0"), "--eta", "> 0"),
                Arguments.of(small("--eta", "-0.1"), "--eta", "> 0"),
                Arguments.of(small("--eta", "0.1", "--eta=0.2"), "--eta", "once"),
                Arguments.of(small("--momentum", "-0.5"), "--momentum", "[0, 1)"),
                Arguments.of(small("--momentum", "1"), "--momentum", "[0, 1)"),
                Arguments.of(small("--batch-size", "21"), "--batch-size", "[0, n = 20]"),
                Arguments.of(small("--activation", "swish"), "--activation", "relu, erf, tanh"),
                Arguments.of(small("--parameterization", "mup"), "--parameterization", "mean-field"),
                Arguments.of(small("--data", "spiral"), "--data", "sphere, gaussian"),
                Arguments.of(small("--loss", "hinge"), "--loss", "squared, logistic"),
                Arguments.of(small("--loss", "logistic"), "--loss", "{-1, +1}"),
                Arguments.of(smallNoLength("--time", "1.05", "--eta", "0.1"), "--time", "multiple"),
                Arguments.of(smallNoLength("--eta", "0.3"), "--time", "default"),
                Arguments.of(smallNoLength("--steps", "0"), "--steps", "[1, 2^53"),
                Arguments.of(smallNoLength("--time", "1", "--steps", "3"), "--time, --steps", "one of them"),
                Arguments.of(smallNoLength("--time", "-1"), "--time", "> 0"),
                Arguments.of(small("--observe", "0"), "--observe", "[1, 10000000]"),
                Arguments.of(small("--threads", "0"), "--threads", ">= 1"),
                Arguments.of(smallNoLength("--steps", "100000000000000000"), "--steps", "2^53"),
                Arguments.of(smallNoLength("--time", "1e308"), "--time", "2^53"),
                Arguments.of(smallNoLength("--eta", "1e308", "--steps", "3"), "--eta", "not a finite time"),
                Arguments.of(small("--observe", "2147483647"), "--observe", "one history row each"),
                Arguments.of(List.of("--width", "300000000"), "--width", "fits"),
                Arguments.of(small("--sigma-b", "-1"), "--sigma-b", ">= 0"),
                Arguments.of(small("--sigma-w", "NaN"), "--sigma-w", "finite"),
                Arguments.of(small("--lazy-scale", "0"), "--lazy-scale", "> 0"),
                Arguments.of(small("--noise", "-1", "--data", "teacher"), "--noise", ">= 0"),
                Arguments.of(small("--noise", "0.1", "--data", "sphere"), "--noise", "single-index|teacher"),
                Arguments.of(smallNoLength("--dynamics", "flow", "--eta", "0.2"), "--eta", "--dynamics gd"),
                Arguments.of(small("--dynamics", "sgd"), "--dynamics", "gd, flow"),
                Arguments.of(small("--abs-tol", "1e-6"), "--abs-tol", "--dynamics flow"),
                Arguments.of(smallNoLength("--dynamics", "flow", "--abs-tol", "0"), "--abs-tol", "> 0"),
                Arguments.of(small("--parameterization", "mean-field", "--sigma-w", "2"), "--sigma-w", "ntk"),
                Arguments.of(List.of("--data", "csv"), "--x", "--y FILE"),
                Arguments.of(small("--data", "csv"), "--n", "come from the files"));
    }

    /** Each bad value: exit code 2, one line on stderr naming the option and its range, nothing in --out. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badOptionIsOneLineNamingTheOptionAndWritesNothing(List<String> bad, String option, String range) {
        assertRejectedWritingNothing(tmp, bad, option, range);
    }

    /**
     * Runs {@code train --no-progress --out DIR} with the {@code bad} options and checks the rejection every
     * train mode promises: exit code 2, one line on stderr naming {@code option} and saying {@code why}, nothing
     * on stdout and no DIR.
     */
    static void assertRejectedWritingNothing(Path tmp, List<String> bad, String option, String why) {
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("train", "--no-progress", "--out", out.toString()));
        args.addAll(bad);
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line\n" + r);
        assertTrue(r.err().startsWith("twolayer train: " + option + ": "), r.toString());
        assertTrue(r.err().contains(why), "says '" + why + "'\n" + r);
        assertEquals("", r.out());
        assertFalse(Files.exists(out), "no output directory, no files");
    }

    @Test
    void missingCsvFileNamesTheOption() throws IOException {
        Path y = Files.writeString(tmp.resolve("y.csv"), "1\n2\n");
        Path out = tmp.resolve("out");
        Run r = run("train", "--no-progress", "--data", "csv", "--x", tmp.resolve("missing.csv").toString(),
                "--y", y.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("twolayer train: --x: no such file"), r.toString());
        assertEquals(List.of(), files(out));
    }

    /** A NaN in X.csv: exit 1 with the file, line and column; the csv data set itself trains fine once fixed. */
    @Test
    void nanInCsvDataIsReportedWithItsPositionAndWritesNothing() throws IOException {
        Path x = Files.writeString(tmp.resolve("X.csv"), "1,2\n3,NaN\n5,6\n");
        Path y = Files.writeString(tmp.resolve("y.csv"), "1\n2\n0.5\n");
        Path out = tmp.resolve("out");
        String[] args = {"train", "--no-progress", "--data", "csv", "--x", x.toString(), "--y", y.toString(),
            "--width", "8", "--steps", "5", "--out", out.toString()};
        Run r = run(args);
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().contains("--x: ") && r.err().contains("line 2, column 2") && r.err().contains("NaN"),
                r.toString());
        assertEquals(List.of(), files(out));

        Files.writeString(x, "1,2\n3,4\n5,6\n");
        Run fixed = run(args);
        assertEquals(0, fixed.code(), fixed.toString());
        assertEquals(1 + 6, Files.readAllLines(out.resolve("history.csv")).size());
    }

    @Test
    void outDirBelowARegularFileIsRejectedBeforeTraining() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "not a directory\n");
        Run r = run(with(SMALL, "--steps", "5", "--out", file.resolve("sub").toString()));
        assertEquals(1, r.code(), "a directory that cannot be created is a failed write\n" + r);
        assertTrue(r.err().startsWith("twolayer train: --out: cannot create directory"), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());

        Run onFile = run(with(SMALL, "--steps", "5", "--out", file.toString()));
        assertEquals(2, onFile.code(), onFile.toString());
        assertTrue(onFile.err().contains("--out: ") && onFile.err().contains("is not a directory"), onFile.toString());
        assertEquals("not a directory\n", Files.readString(file), "the file is untouched");
    }

    /** A read-only directory (skipped when running as root, for whom permissions do not stop writes). */
    @Test
    void readOnlyOutDirIsRejected() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("readonly"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(dir) && canCreateFileIn(dir), "permissions are not enforced (root?)");
            Run r = run(with(SMALL, "--steps", "5", "--out", dir.toString()));
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().startsWith("twolayer train: --out: directory") && r.err().contains("not writable"),
                    r.toString());
            assertEquals(List.of(), files(dir));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static boolean canCreateFileIn(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * eta = 1000 is far beyond the stability limit 2n/lambda_max: the run stops with the step it diverged at and a
     * suggested eta, exits 1 and writes nothing; the suggested eta then trains without diverging.
     */
    @Test
    void divergentRunReportsTheStepAndASuggestedEtaAndWritesNothing() throws IOException {
        Path out = tmp.resolve("out");
        Run r = run(with(SMALL, "--eta", "1000", "--steps", "100", "--out", out.toString()));
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("twolayer train: gradient descent diverged at step "), r.toString());
        assertTrue(r.err().contains("last losses"), r.toString());
        assertFalse(Files.exists(out), "the --out directory made for this run is removed again\n" + r);
        Matcher eta = Pattern.compile("Try eta = ([0-9.eE+-]+[0-9])").matcher(r.err());
        assertTrue(eta.find(), r.toString());
        double suggested = Double.parseDouble(eta.group(1));
        assertTrue(suggested > 0 && suggested < 1000, "suggested eta " + suggested);

        Run again = run(with(SMALL, "--eta", eta.group(1), "--steps", "100", "--out", out.toString()));
        assertEquals(0, again.code(), again.toString());
    }

    /** A parse error (not a number, an unknown option) is one line too when run as main runs it. */
    @Test
    void parseErrorsAreOneLineUnderMainsCommandLine() {
        Run notANumber = run(Twolayer.commandLine(), "train", "--width", "wide");
        assertEquals(2, notANumber.code());
        assertTrue(notANumber.err().contains("'--width'") && notANumber.err().contains("'wide'"), notANumber.toString());
        assertEquals(1, notANumber.err().lines().count(), notANumber.toString());

        Run unknown = run(Twolayer.commandLine(), "train", "--widht", "8");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--widht"), unknown.toString());
    }
}
