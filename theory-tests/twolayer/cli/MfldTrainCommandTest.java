package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static twolayer.cli.TrainCommandTest.assertRejectedWritingNothing;
import static twolayer.cli.TrainCommandTest.run;
import static twolayer.cli.TrainCommandTest.small;
import static twolayer.cli.TrainCommandTest.with;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.chapter.mfld.MfldToy;
import twolayer.cli.TrainCommandTest.Run;

/**
 * {@code twolayer train --dynamics mfld}: the free-energy columns and the certificate on the mfld chapter's toy,
 * the energy alone (and run.json's reason) outside the certificate's domain, reproducibility, lambda = 0 as
 * mean-field gradient descent, divergence, and the options that do not combine with MFLD.
 */
class MfldTrainCommandTest {

    private static final String HEADER = "time,step,loss,rd_a,rd_w,energy,f_star_lower,f_star_upper,gap";

    @TempDir
    Path tmp;

    /**
     * The mfld chapter's toy ({@link MfldToy#data}: 20 points on [-1, 1], y = tanh(2x)) as CSV files, a tanh
     * mean-field net and the chapter's lambda = 0.01, lambda_a = lambda_w = 0.2 (the defaults), eta = 0.05.
     */
    private String[] toy(int width, String... more) throws IOException {
        var data = MfldToy.data(20);
        StringBuilder x = new StringBuilder(), y = new StringBuilder();
        for (int i = 0; i < data.n(); i++) {
            x.append(data.x(i, 0)).append('\n');
            y.append(data.y(i)).append('\n');
        }
        Path xFile = Files.writeString(tmp.resolve("X.csv"), x), yFile = Files.writeString(tmp.resolve("y.csv"), y);
        return with(new String[] {"train", "--no-progress", "--dynamics", "mfld", "--parameterization", "mean-field",
            "--activation", "tanh", "--data", "csv", "--x", xFile.toString(), "--y", yFile.toString(),
            "--width", String.valueOf(width), "--eta", "0.05"}, more);
    }

    private static List<double[]> rows(Path history) throws IOException {
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(history).subList(1, Files.readAllLines(history).size())) {
            rows.add(Stream.of(line.split(",")).mapToDouble(Double::parseDouble).toArray());
        }
        return rows;
    }

    /**
     * 400 steps to t = 20 observed 10 times: the columns, the clock t = k eta, and what the certificate promises.
     * Every row's lower bound is below F* and every upper bound above it, so max lower &lt;= min upper over all rows
     * (the only slack is quadrature rounding, 1e-12 against values ~0.2); the bound F(p_mu) on F*, the energy and
     * the gap all fall from the N(0, 1) initialisation (the chapter's claim MFLD-3 measures how far).
     */
    @Test
    void toyRunWritesEnergyBoundsAndGapThatFallOverall() throws IOException {
        Path out = tmp.resolve("run");
        Run r = run(toy(100, "--time", "20", "--observe", "10", "--out", out.toString()));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("certified gap"), r.toString());
        assertEquals(HEADER, Files.readAllLines(out.resolve("history.csv")).get(0));
        List<double[]> rows = rows(out.resolve("history.csv"));
        assertEquals(11, rows.size());
        double maxLower = Double.NEGATIVE_INFINITY, minUpper = Double.POSITIVE_INFINITY;
        for (int j = 0; j < rows.size(); j++) {
            double[] row = rows.get(j);
            assertEquals(40L * j, (long) row[1], "step");
            assertEquals(40L * j * 0.05, row[0], 1e-12, "t = k eta");
            double lower = row[6], upper = row[7], gap = row[8];
            assertEquals(upper - lower, gap, 0.0, "gap = upper - lower, row " + j);
            assertTrue(gap >= 0, "row " + j + ": gap " + gap);
            maxLower = Math.max(maxLower, lower);
            minUpper = Math.min(minUpper, upper);
        }
        assertTrue(maxLower <= minUpper + 1e-12, "every lower bound below every upper bound: " + maxLower + " > "
                + minUpper);
        double[] first = rows.get(0), last = rows.get(rows.size() - 1);
        assertTrue(last[5] < first[5], "energy falls: " + first[5] + " -> " + last[5]);
        assertTrue(last[7] < first[7], "F(p_mu) falls: " + first[7] + " -> " + last[7]);
        // the initial gap is about 1; at t = 20 the particle noise of m = 100 leaves it near 1e-3 or below
        assertTrue(last[8] < first[8] / 10, "gap falls tenfold: " + first[8] + " -> " + last[8]);

        JsonNode json = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals("mfld", json.at("/options/dynamics").asText());
        assertEquals(400, json.at("/options/steps").asInt());
        assertEquals(0.01, json.at("/options/lambda").asDouble());
        assertEquals(0.2, json.at("/options/lambda-a").asDouble());
        assertEquals(0.2, json.at("/options/lambda-w").asDouble());
        assertEquals(4, json.at("/seeds/noise").asLong());
        assertTrue(json.at("/certificate/applies").asBoolean(), json.toPrettyString());
        assertEquals(0, json.at("/certificate/uncertified_rows").asInt());
        assertEquals(last[8], json.at("/final/gap").asDouble(), 0.0);
        assertEquals(last[5], json.at("/final/energy").asDouble(), 0.0);
        assertTrue(json.at("/conventions/free_energy").asText().contains("lambda Ent(mu)"));
    }

    /** Same seeds: the same bytes for 1 and 2 threads; another --noise-seed moves the particles differently. */
    @Test
    void sameSeedsGiveIdenticalFilesAndTheNoiseSeedMatters() throws IOException {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        assertEquals(0, run(toy(50, "--steps", "40", "--threads", "1", "--out", a.toString())).code());
        assertEquals(0, run(toy(50, "--steps", "40", "--threads", "2", "--out", b.toString())).code());
        assertArrayEquals(Files.readAllBytes(a.resolve("history.csv")), Files.readAllBytes(b.resolve("history.csv")));
        String jsonA = Files.readString(a.resolve("run.json")), jsonB = Files.readString(b.resolve("run.json"));
        // run.json differs in the threads option and in the arguments that set it, nowhere else
        assertEquals(jsonA.replace(a.toString(), "OUT").replace("\"threads\" : 1", "\"threads\" : 2")
                        .replace("\"--threads\", \"1\"", "\"--threads\", \"2\""),
                jsonB.replace(b.toString(), "OUT"));

        Run other = run(toy(50, "--steps", "40", "--noise-seed", "5"));
        assertEquals(0, other.code(), other.toString());
        assertFalse(other.out().equals(Files.readString(a.resolve("history.csv"))), "--noise-seed changes the noise");
    }

    /**
     * Outside the certificate's domain (here d = 5 and relu) the history has the energy alone and run.json says
     * why the gap is absent.
     */
    @Test
    void outsideTheCertificatesDomainTheEnergyIsWrittenAndRunJsonSaysWhy() throws IOException {
        Path out = tmp.resolve("run");
        Run r = run("train", "--no-progress", "--dynamics", "mfld", "--parameterization", "mean-field", "--n", "20",
                "--d", "5", "--width", "16", "--steps", "10", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("(no certificate)"), r.toString());
        List<String> lines = Files.readAllLines(out.resolve("history.csv"));
        assertEquals("time,step,loss,rd_a,rd_w,energy", lines.get(0));
        JsonNode json = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertFalse(json.at("/certificate/applies").asBoolean());
        String why = json.at("/certificate/why_absent").asText();
        assertTrue(why.contains("d = 1 (got d = 5)") && why.contains("bounded activation"), why);
        assertTrue(json.at("/final/gap").isMissingNode(), json.toPrettyString());
    }

    /**
     * With lambda = lambda_a = lambda_w = 0 an MFLD step is bit for bit the full-batch gradient-descent step of the
     * mean-field net (MeanFieldLangevin's contract), so the shared columns are byte-identical; and the energy is
     * then the loss itself.
     */
    @Test
    void withoutNoiseAndPriorMfldIsMeanFieldGradientDescent() {
        String[] net = {"train", "--no-progress", "--parameterization", "mean-field", "--activation", "tanh", "--n",
            "20", "--d", "3", "--width", "16", "--eta", "0.05", "--steps", "20"};
        Run gd = run(net);
        Run mfld = run(with(net, "--dynamics", "mfld", "--lambda", "0", "--lambda-a", "0", "--lambda-w", "0"));
        assertEquals(0, gd.code(), gd.toString());
        assertEquals(0, mfld.code(), mfld.toString());
        List<String> gdLines = gd.out().lines().toList(), mfldLines = mfld.out().lines().toList();
        assertEquals(gdLines.get(0) + ",energy", mfldLines.get(0));
        for (int j = 1; j < gdLines.size(); j++) {
            String row = mfldLines.get(j);
            String[] cells = row.split(",");
            assertEquals(gdLines.get(j), row.substring(0, row.lastIndexOf(',')), "row " + j);
            assertEquals(cells[2], cells[5], "energy = loss without the prior, row " + j);
        }
    }

    /**
     * eta = 1000 far beyond the stability limit: exit 1 with the step and a suggested eta (as for gd), nothing
     * written; the suggested eta then trains.
     */
    @Test
    void divergentRunReportsTheStepAndASuggestedEta() {
        Path out = tmp.resolve("out");
        String[] net = {"train", "--no-progress", "--dynamics", "mfld", "--parameterization", "mean-field", "--n", "20",
            "--d", "3", "--width", "16", "--steps", "100", "--out", out.toString()};
        Run r = run(with(net, "--eta", "1000"));
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("twolayer train: MFLD diverged at step "), r.toString());
        assertTrue(r.err().contains("last losses"), r.toString());
        assertFalse(Files.exists(out), r.toString());
        Matcher eta = Pattern.compile("Try eta = ([0-9.eE+-]+[0-9])").matcher(r.err());
        assertTrue(eta.find(), r.toString());
        Run again = run(with(net, "--eta", eta.group(1)));
        assertEquals(0, again.code(), again.toString());
    }

    /**
     * The example of the baseline chapter's train section is real: its command, run here, prints the chapter's line
     * and writes the rows the chapter shows (columns 1, 3 and 6 on, as its {@code cut} selects).
     */
    @Test
    void baselineChapterExampleIsWhatTheCommandPrints() throws IOException {
        checkChapterExample(tmp, "$ twolayer train --dynamics mfld ", "runs/mfld", 6);
    }

    /**
     * Runs the console example of docs/baseline.adoc whose first line starts with {@code prompt} (continued over
     * lines ending in a backslash, writing to {@code outName}), and compares its stdout line and the rows that
     * its {@code cut -d, -f1,3,FIRST- ... | sed -n '1,3p;$p'} shows with what the command does now.
     */
    static void checkChapterExample(Path tmp, String prompt, String outName, int firstExtraColumn) throws IOException {
        List<String> doc = Files.readAllLines(Path.of("docs", "baseline.adoc"));
        int line = 0;
        while (line < doc.size() && !doc.get(line).startsWith(prompt)) {
            line++;
        }
        assertTrue(line < doc.size(), "the example '" + prompt + "' is in docs/baseline.adoc");
        StringBuilder command = new StringBuilder();
        while (doc.get(line).endsWith("\\")) {
            command.append(doc.get(line++), 0, doc.get(line - 1).length() - 1).append(' ');
        }
        command.append(doc.get(line++));
        Path out = tmp.resolve(outName);
        List<String> args = new ArrayList<>(List.of(command.substring(2).trim().split("\\s+")));
        args.remove(0);
        args.set(args.indexOf(outName), out.toString());
        args.add("--no-progress");
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        assertSameUpToLastDigits(doc.get(line++), r.out().strip().replace(out.toString(), outName));

        assertEquals("$ cut -d, -f1,3," + firstExtraColumn + "- " + outName + "/history.csv | sed -n '1,3p;$p'",
                doc.get(line++));
        List<String> lines = Files.readAllLines(out.resolve("history.csv"));
        List<String> shown = new ArrayList<>();
        for (String row : List.of(lines.get(0), lines.get(1), lines.get(2), lines.get(lines.size() - 1))) {
            String[] cells = row.split(",");
            List<String> kept = new ArrayList<>(List.of(cells[0], cells[2]));
            kept.addAll(List.of(cells).subList(firstExtraColumn - 1, cells.length));
            shown.add(String.join(",", kept));
        }
        for (int k = 0; k < 4; k++) {
            assertSameUpToLastDigits(doc.get(line + k), shown.get(k));
        }
    }

    /**
     * The chapter's text equals the command's output, numbers compared to 1e-12 max(1, |x|) and everything else
     * exactly. Why not to the bit: Math.tanh, exp and log may be 1 ulp off and their JIT intrinsics differ between JDK
     * releases (the chapter was produced on JDK 17; JDK 25 changes the last one or two printed digits). Within one
     * JVM the run is bit-identical (FOUND-6); 1e-12 leaves room for 1-ulp differences amplified by a few hundred
     * steps. The floor 1 makes the error absolute for small numbers: the certified gap is the difference of two
     * O(1) bounds, so its rounding error is of the bounds' size, not of the gap's (measured: 8e-17 on a 6.6e-5 gap).
     */
    static void assertSameUpToLastDigits(String expected, String actual) {
        String[] e = expected.split("(?<=[ ,=(])|(?=[ ,)])");
        String[] a = actual.split("(?<=[ ,=(])|(?=[ ,)])");
        assertEquals(e.length, a.length, () -> "expected <" + expected + "> but was <" + actual + ">");
        for (int i = 0; i < e.length; i++) {
            Double x = number(e[i]);
            Double y = number(a[i]);
            if (x != null && y != null && !e[i].equals(a[i])) {
                assertTrue(Math.abs(x - y) <= 1e-12 * Math.max(1.0, Math.max(Math.abs(x), Math.abs(y))),
                        "expected <" + expected + "> but was <" + actual + ">");
            } else {
                assertEquals(e[i], a[i], "expected <" + expected + "> but was <" + actual + ">");
            }
        }
    }

    private static Double number(String token) {
        try {
            return Double.valueOf(token.strip());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    @Test
    void helpNamesTheMfldOptionsAndColumns() {
        Run r = run("train", "--help");
        assertEquals(0, r.code());
        for (String text : new String[] {"--lambda=", "--lambda-a=", "--lambda-w=", "--noise-seed=", "gd | flow | mfld",
            "f_star_lower <= F* <= f_star_upper", "sqrt(2 eta lambda) xi_j"}) {
            assertTrue(r.out().contains(text), "help lacks '" + text + "'\n" + r.out());
        }
    }

    static List<String> mfld(String... more) {
        List<String> args = new ArrayList<>(List.of("--n", "20", "--d", "3", "--width", "16", "--dynamics", "mfld",
                "--parameterization", "mean-field"));
        args.addAll(List.of(more));
        return args;
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(small("--lambda", "0.1"), "--lambda", "applies only to --dynamics mfld"),
                Arguments.of(small("--lambda-a", "0.1"), "--lambda-a", "applies only to --dynamics mfld"),
                Arguments.of(List.of("--dynamics", "flow", "--lambda-w", "0.1"), "--lambda-w", "not --dynamics flow"),
                Arguments.of(small("--noise-seed", "7"), "--noise-seed", "applies only to --dynamics mfld"),
                Arguments.of(mfld("--momentum", "0.5"), "--momentum", "first-order Langevin SDE"),
                Arguments.of(mfld("--batch-size", "5"), "--batch-size", "full-batch gradients"),
                Arguments.of(mfld("--sgd-seed", "5"), "--sgd-seed", "--noise-seed"),
                Arguments.of(mfld("--abs-tol", "1e-6"), "--abs-tol", "--dynamics flow"),
                Arguments.of(mfld("--lambda", "-1"), "--lambda", "finite and >= 0"),
                Arguments.of(mfld("--lambda-a", "NaN"), "--lambda-a", "finite and >= 0"),
                Arguments.of(mfld("--lambda-w", "-0.5"), "--lambda-w", "finite and >= 0"),
                Arguments.of(mfld("--eta", "0"), "--eta", "> 0"),
                Arguments.of(mfld("--time", "1.05", "--eta", "0.1"), "--time", "whole multiple k*eta of --eta for mfld"),
                Arguments.of(mfld("--steps", "0"), "--steps", "[1, 2^53"),
                Arguments.of(mfld("--time", "1", "--steps", "3"), "--time, --steps", "one of them"),
                Arguments.of(List.of("--dynamics", "mfld", "--steps", "5"), "--parameterization", "needs mean-field"),
                Arguments.of(mfld("--lazy-scale", "2", "--steps", "5"), "--lazy-scale", "must be 1"));
    }

    /** Each bad combination: exit code 2, one line on stderr naming the option and why, nothing written. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badCombinationIsOneLineNamingTheOptionAndWritesNothing(List<String> bad, String option, String why) {
        assertRejectedWritingNothing(tmp, bad, option, why);
    }
}
