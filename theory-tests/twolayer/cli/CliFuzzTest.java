package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad and extreme input to every command, in-process, from a seeded {@link SplittableRandom}: every numeric option
 * of kernel, predict, conformance, experiment phase-diagram and train at 0, negative, NaN, +-Infinity, 1e308, the
 * int and long limits (and one past them) and junk text; every enum option with junk; every input file empty,
 * truncated, with NaN, ragged, with a header or binary; every output location unwritable (a path below a regular
 * file, since the tests may run as root) or standard output failing.
 *
 * <p>Each case must end in one of two ways. Refused: a non-zero exit code, at most 3 lines on stderr, no stack trace
 * ("Exception", "\tat "), and the output location exactly as it was (an earlier result is still there, unchanged,
 * and no temporary file is left). Or, for a value that is extreme but allowed (sigma_b = 0, a seed of
 * Long.MIN_VALUE, a loss threshold of 1e308), done: exit 0 and a result without NaN or infinity. A value that its
 * option's rule forbids (a scale of 0 or below, a non-number, a width of 0) must be refused. The cases and their
 * values are fixed by the seed, and the suite takes a few seconds (it must stay under 60).
 *
 * <p>train's --eta, --steps, --time and --observe are left out: their overflows are handled with the divergence
 * checks of the training loop.
 */
class CliFuzzTest {

    /** Cases run by {@link #everyCommandRefusesBadInputCleanly}; README.adoc states this number. */
    static final int CASES = 567;

    @TempDir
    Path tmp;

    Path x;
    Path y;
    Path t;

    @BeforeEach
    void writeInputs() throws IOException {
        x = Files.writeString(tmp.resolve("X.csv"), "0.3,-1.2\n1.0,0.5\n0.0,0.0\n-0.6,2.4\n0.7,0.1\n");
        y = Files.writeString(tmp.resolve("y.csv"), "1.0\n-0.5\n0.0\n0.25\n2.0\n");
        t = Files.writeString(tmp.resolve("T.csv"), "1.5,0.0\n-0.2,0.9\n0.4,0.4\n");
    }

    // ------------------------------------------------------------------------------------------ values

    /** The fixed extreme values every numeric option is tried with (besides one junk string of the generator). */
    static final String[] EXTREMES = {"0", "-1", "-1e-300", "NaN", "Infinity", "-Infinity", "1e308", "1e400",
        "2147483647", "-2147483648", "2147483648", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "", "abc"};

    /** Junk from the seeded generator: printable ASCII, some digits and signs. */
    static String junk(SplittableRandom random) {
        String alphabet = "0123456789+-.eEinfNaI,:/x abc_%\"'";
        int n = 1 + random.nextInt(8);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** What an option allows, to know which values must be refused. */
    enum Rule {
        POSITIVE, NON_NEGATIVE, AT_LEAST_ONE, ANY_LONG, BELOW_TWO, FREE;

        /** Whether {@code value} is certainly invalid for an option of this rule (FREE: never certain). */
        boolean forbids(String value, boolean integer) {
            if (this == FREE) {
                return false;
            }
            Double v = number(value, integer);
            if (v == null) {
                return true;
            }
            return switch (this) {
                case POSITIVE -> !(v > 0) || v.isInfinite();
                case NON_NEGATIVE -> !(v >= 0) || v.isInfinite();
                case AT_LEAST_ONE -> !(v >= 1);
                case BELOW_TWO -> !(v > 0 && v < 2);
                default -> false;
            };
        }

        /** The value as picocli reads it into an int/long (null if it cannot) or a double. */
        static Double number(String value, boolean integer) {
            try {
                if (integer) {
                    return (double) Long.parseLong(value.strip());
                }
                double d = Double.parseDouble(value);
                return Double.isNaN(d) ? null : d;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** One numeric option: its name, whether it is an integer (and an int), and its rule. */
    record Numeric(String name, boolean integer, boolean isInt, Rule rule) {
        boolean forbids(String value) {
            if (rule.forbids(value, integer)) {
                return true;
            }
            Double v = Rule.number(value, integer);
            return isInt && v != null && (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE);
        }
    }

    static Numeric dbl(String name, Rule rule) {
        return new Numeric(name, false, false, rule);
    }

    static Numeric integer(String name, Rule rule) {
        return new Numeric(name, true, true, rule);
    }

    static Numeric lng(String name, Rule rule) {
        return new Numeric(name, true, false, rule);
    }

    // ------------------------------------------------------------------------------------------ running a case

    /** One execution: exit code, stdout, stderr. */
    record Run(int code, String out, String err) {
    }

    static Run execute(String[] args, OutputStream failingStdout) {
        CommandLine cli = Twolayer.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(failingStdout == null ? new PrintWriter(out, true) : new PrintWriter(failingStdout, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Standard output on a full disk. */
    static final OutputStream FULL = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }
    };

    /**
     * A case: the command line, where its result goes (a file or a directory, or null for stdout), whether it must
     * be refused, and a failing stdout or none.
     */
    record Case(String label, String[] args, Path output, boolean mustFail, boolean fullStdout) {
        /**
         * Whether a result must be finite: kernel and predict results are numbers only; train's history and the
         * sweep's slopes.csv hold NaN by convention (RD of a group that starts at 0, a seed error of one seed).
         */
        boolean finiteResult() {
            return args.length > 0 && (args[0].equals("kernel") || args[0].equals("predict"));
        }
    }

    final List<String> problems = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    final Map<String, Double> seconds = new TreeMap<>();
    int cases;

    /** Runs a case with an earlier result at its output location, and checks the outcome. */
    void check(Case c) throws IOException {
        cases++;
        Map<String, String> before = plantEarlierResult(c.output());
        long t0 = System.nanoTime();
        Run r = execute(c.args(), c.fullStdout() ? FULL : null);
        if (System.nanoTime() - t0 > 500_000_000L) {
            System.out.println("CliFuzzTest slow case: " + (System.nanoTime() - t0) / 1e9 + " s " + c.label() + " "
                    + String.join(" ", c.args()));
        }
        String where = c.label() + " " + String.join(" ", Arrays.asList(c.args())).replace(tmp.toString(), "TMP")
                + "\n  exit " + r.code() + ", stderr: " + r.err().strip();
        if (r.err().contains("Exception") || r.err().contains("\tat ")) {
            problems.add("stack trace: " + where);
        }
        if (r.code() != 0) {
            if (r.err().lines().count() > 3 || r.err().isBlank()) {
                problems.add("not 1..3 lines on stderr: " + where);
            }
            if (!before.equals(snapshot(c.output()))) {
                problems.add("output changed by a refused run: " + where);
            }
            return;
        }
        if (c.mustFail() || c.fullStdout()) {
            problems.add("accepted: " + where);
            return;
        }
        String result = c.output() == null ? r.out() : String.join("\n", snapshot(c.output()).values());
        if (c.finiteResult() && (result.contains("NaN") || result.contains("Infinity"))) {
            problems.add("a result with NaN or infinity: " + where);
        }
    }

    /** Puts an earlier result at the output location (a file, or a file inside the directory). */
    Map<String, String> plantEarlierResult(Path output) throws IOException {
        if (output == null || Files.exists(output) || !Files.isDirectory(output.getParent())) {
            return snapshot(output);
        }
        if (output.getFileName().toString().endsWith(".csv")) {
            Files.writeString(output, "earlier,result\n");
        } else {
            Files.createDirectories(output);
            Files.writeString(output.resolve("earlier.txt"), "earlier result\n");
        }
        return snapshot(output);
    }

    /** File name -> content of the output file, or of every file in the output directory. */
    static Map<String, String> snapshot(Path output) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (output == null || !Files.exists(output)) {
            return m;
        }
        if (Files.isRegularFile(output)) {
            m.put(output.getFileName().toString(), Files.readString(output, StandardCharsets.ISO_8859_1));
            try (Stream<Path> s = Files.list(output.getParent())) {
                s.filter(p -> p.getFileName().toString().endsWith(".tmp")).forEach(p -> m.put(p.toString(), "temp"));
            }
            return m;
        }
        try (Stream<Path> s = Files.list(output)) {
            for (Path p : s.sorted().toList()) {
                m.put(p.getFileName().toString(), Files.isRegularFile(p)
                        ? Files.readString(p, StandardCharsets.ISO_8859_1) : "(directory)");
            }
        }
        return m;
    }

    static String[] replace(String[] base, String option, String value) {
        List<String> out = new ArrayList<>(Arrays.asList(base));
        int at = out.indexOf(option);
        if (at >= 0) {
            out.set(at + 1, value);
        } else {
            out.add(option);
            out.add(value);
        }
        return out.toArray(String[]::new);
    }

    /** Every value of {@link #EXTREMES} and a few junk strings, for each option, against a base command line. */
    void numericCases(String label, String[] base, Path output, List<Numeric> options, SplittableRandom random,
                      Predicate<String> alsoAllowed) throws IOException {
        for (Numeric o : options) {
            List<String> values = new ArrayList<>(Arrays.asList(EXTREMES));
            values.add(junk(random));
            for (String v : values) {
                if (FINDINGS.contains(label + " " + o.name() + "=" + v)) {
                    skipped.add(label + " " + o.name() + "=" + v);
                    continue;
                }
                Path out = fresh(output);
                check(new Case(label + " " + o.name(), replace(replaceOut(base, output, out), o.name(), v), out,
                        o.forbids(v) && !alsoAllowed.test(o.name() + "=" + v), false));
            }
        }
    }

    int fresh;
    long lapStart = System.nanoTime();

    void lap(String family) {
        long now = System.nanoTime();
        seconds.put(family, Math.round((now - lapStart) / 1e7) / 100.0);
        lapStart = now;
    }

    /** A new output location of the same kind (file or directory), so that cases do not see each other's files. */
    Path fresh(Path output) {
        if (output == null) {
            return null;
        }
        fresh++;
        String name = output.getFileName().toString();
        return output.resolveSibling(name.endsWith(".csv") ? name.replace(".csv", fresh + ".csv") : name + fresh);
    }

    static String[] replaceOut(String[] base, Path old, Path out) {
        if (old == null) {
            return base;
        }
        return Arrays.stream(base).map(a -> a.equals(old.toString()) ? out.toString() : a).toArray(String[]::new);
    }

    /**
     * Bad files given to each file option: empty, truncated, NaN, ragged, a header, binary, three columns, a
     * directory, missing.
     */
    void fileCases(String label, String[] base, Path output, List<String> fileOptions) throws IOException {
        Map<String, byte[]> bad = new TreeMap<>();
        bad.put("empty", new byte[0]);
        bad.put("truncated", "0.3,-1.2\n1.0,".getBytes(StandardCharsets.UTF_8));
        bad.put("nan", "0.3,NaN\n1.0,0.5\n0.0,0.0\n-0.6,2.4\n0.7,0.1\n".getBytes(StandardCharsets.UTF_8));
        bad.put("ragged", "0.3,-1.2\n1.0\n0.0,0.0,4\n-0.6,2.4\n0.7,0.1\n".getBytes(StandardCharsets.UTF_8));
        bad.put("header", "a,b\n0.3,-1.2\n1.0,0.5\n0.0,0.0\n-0.6,2.4\n".getBytes(StandardCharsets.UTF_8));
        bad.put("binary", new byte[] {0, (byte) 0xff, 10, 44, 3, (byte) 0xc3, 10});
        bad.put("three-columns", "1,2,3\n4,5,6\n7,8,9\n1,1,1\n2,2,2\n".getBytes(StandardCharsets.UTF_8));
        for (String option : fileOptions) {
            for (Map.Entry<String, byte[]> f : bad.entrySet()) {
                Path file = Files.write(tmp.resolve(label.replace(' ', '-') + option + "-" + f.getKey() + ".csv"),
                        f.getValue());
                Path out = fresh(output);
                // a three-column file is a valid table; it must fail only where the shapes disagree
                boolean mustFail = !f.getKey().equals("three-columns");
                check(new Case(label + " " + option + " " + f.getKey(), replace(replaceOut(base, output, out), option,
                        file.toString()), out, mustFail, false));
            }
            Path out = fresh(output);
            check(new Case(label + " " + option + " directory", replace(replaceOut(base, output, out), option,
                    tmp.toString()), out, true, false));
            out = fresh(output);
            check(new Case(label + " " + option + " missing", replace(replaceOut(base, output, out), option,
                    tmp.resolve("no-such.csv").toString()), out, true, false));
        }
    }

    /** Each enum option with junk, a near miss and an empty value. */
    void enumCases(String label, String[] base, Path output, List<String> options, SplittableRandom random)
            throws IOException {
        for (String option : options) {
            for (String v : new String[] {"", "RELU ", "relu,erf", junk(random), "\u00e9rf"}) {
                if (v.equals("RELU ") && !option.equals("--activation")) {
                    continue;
                }
                Path out = fresh(output);
                boolean mustFail = !v.equals("RELU ");  // the activation is case- and space-insensitive
                check(new Case(label + " " + option, replace(replaceOut(base, output, out), option, v), out, mustFail,
                        false));
            }
        }
    }

    /** Output below a regular file (unwritable even for root), an empty name, the input file itself, a full stdout. */
    void outputCases(String label, String[] base, Path output, boolean directory) throws IOException {
        Path file = Files.writeString(tmp.resolve(label.replace(' ', '-') + "-a-file"), "a regular file\n");
        for (Path unwritable : new Path[] {file.resolve("sub"), file.resolve("sub/deeper")}) {
            String target = directory ? unwritable.toString() : unwritable.resolve("K.csv").toString();
            check(new Case(label + " --out below a file", replace(base, "--out", target), null, true, false));
        }
        check(new Case(label + " --out empty", replace(base, "--out", ""), null, true, false));
        if (directory) {
            check(new Case(label + " --out a file", replace(base, "--out", file.toString()), file, true, false));
        }
        List<String> noOut = new ArrayList<>(Arrays.asList(base));
        int at = noOut.indexOf("--out");
        if (at >= 0 && !directory) {
            noOut.remove(at + 1);
            noOut.remove(at);
            check(new Case(label + " stdout full", noOut.toArray(String[]::new), null, true, true));
        }
    }

    // ------------------------------------------------------------------------------------------ the suite

    static final List<Numeric> KERNEL_NUMBERS = List.of(dbl("--sigma-w", Rule.POSITIVE), dbl("--sigma-v", Rule.POSITIVE),
            dbl("--sigma-b", Rule.NON_NEGATIVE));
    static final List<Numeric> EMPIRICAL_NUMBERS = List.of(integer("--width", Rule.AT_LEAST_ONE),
            lng("--seed", Rule.ANY_LONG));

    @Test
    void everyCommandRefusesBadInputCleanly() throws IOException {
        SplittableRandom random = new SplittableRandom(0x5EED_F022L);

        // kernel
        Path kOut = tmp.resolve("K.csv");
        String[] kernel = {"kernel", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
            "--sigma-b", "0.1", "--x", x.toString(), "--out", kOut.toString()};
        String[] empirical = {"kernel", "--activation", "erf", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
            "--empirical", "--width", "8", "--seed", "1", "--x", x.toString(), "--out", kOut.toString()};
        numericCases("kernel", kernel, kOut, KERNEL_NUMBERS, random, v -> false);
        numericCases("kernel --empirical", empirical, kOut, EMPIRICAL_NUMBERS, random, v -> false);
        enumCases("kernel", kernel, kOut, List.of("--activation", "--kernel"), random);
        fileCases("kernel", kernel, kOut, List.of("--x"));
        fileCases("kernel x2", replace(kernel, "--x2", t.toString()), kOut, List.of("--x2"));
        outputCases("kernel", kernel, kOut, false);

        lap("kernel");

        // predict
        Path pOut = tmp.resolve("P.csv");
        String[] predict = {"predict", "--activation", "erf", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
            "--train-x", x.toString(), "--train-y", y.toString(), "--test-x", t.toString(), "--times", "0,1,inf",
            "--out", pOut.toString()};
        numericCases("predict", predict, pOut, KERNEL_NUMBERS, random, v -> false);
        numericCases("predict --times", predict, pOut, List.of(dbl("--times", Rule.NON_NEGATIVE)), random,
                v -> v.equals("--times=Infinity") || v.equals("--times=1,5"));
        enumCases("predict", predict, pOut, List.of("--activation", "--kernel"), random);
        fileCases("predict", predict, pOut, List.of("--train-x", "--train-y", "--test-x"));
        Path zeros = Files.writeString(tmp.resolve("zeros.csv"), "0\n0\n0\n0\n0\n");
        Path zerosTest = Files.writeString(tmp.resolve("zeros-test.csv"), "0\n0\n0\n");
        fileCases("predict f0", replace(replace(predict, "--f0-train", zeros.toString()), "--f0-test",
                zerosTest.toString()), pOut, List.of("--f0-train", "--f0-test"));
        outputCases("predict", predict, pOut, false);

        lap("predict");

        // conformance: no numeric option, only its output directory
        String[] conformance = {"conformance", "--out", tmp.resolve("conf").toString()};
        outputCases("conformance", conformance, tmp.resolve("conf"), true);

        lap("conformance");

        // experiment phase-diagram
        Path pd = tmp.resolve("pd");
        String[] phase = {"experiment", "phase-diagram", "--grid", "0.5:0", "--widths", "4,8", "--seeds", "1",
            "--loss-threshold", "0.1", "--max-steps", "200", "--threads", "1", "--no-progress", "--out", pd.toString()};
        numericCases("phase-diagram", phase, pd, List.of(dbl("--loss-threshold", Rule.POSITIVE),
                lng("--max-steps", Rule.AT_LEAST_ONE), dbl("--step-factor", Rule.BELOW_TWO),
                integer("--threads", Rule.AT_LEAST_ONE), new Numeric("--widths", false, false, Rule.FREE),
                new Numeric("--seeds", false, false, Rule.FREE), new Numeric("--grid", false, false, Rule.FREE),
                new Numeric("--shard", false, false, Rule.FREE)), random, v -> false);
        outputCases("phase-diagram", phase, pd, true);

        lap("phase-diagram");

        // train: the shared checks (model, data, threads, output) hold there too
        Path trainOut = tmp.resolve("run");
        String[] train = {"train", "--n", "6", "--d", "2", "--width", "4", "--steps", "3", "--no-progress",
            "--out", trainOut.toString()};
        numericCases("train", train, trainOut, List.of(integer("--width", Rule.AT_LEAST_ONE),
                dbl("--sigma-w", Rule.POSITIVE), dbl("--sigma-v", Rule.POSITIVE), dbl("--sigma-b", Rule.NON_NEGATIVE),
                dbl("--lazy-scale", Rule.POSITIVE), integer("--n", Rule.AT_LEAST_ONE),
                integer("--threads", Rule.AT_LEAST_ONE), lng("--init-seed", Rule.ANY_LONG)), random, v -> false);
        enumCases("train", train, trainOut, List.of("--activation", "--parameterization", "--loss", "--dynamics",
                "--data"), random);
        String[] trainCsv = {"train", "--data", "csv", "--x", x.toString(), "--y", y.toString(), "--width", "4",
            "--steps", "3", "--no-progress", "--out", trainOut.toString()};
        fileCases("train", trainCsv, trainOut, List.of("--x", "--y"));
        outputCases("train", train, trainOut, true);
        String[] trainStdout = {"train", "--n", "6", "--d", "2", "--width", "4", "--steps", "3", "--no-progress"};
        check(new Case("train stdout full", trainStdout, null, true, true));
        check(new Case("help stdout full", new String[] {"--help"}, null, true, true));

        lap("train");
        System.out.println("CliFuzzTest: " + cases + " cases, seconds per command " + seconds + ", left out (findings): "
                + skipped);
        assertEquals(List.of(), problems, problems.size() + " of " + cases + " cases broke the rules");
        assertEquals(CASES, cases, "the number of cases (README.adoc states it)");
        assertEquals(FINDINGS.size(), skipped.size(), "every finding is still a case of the suite");
    }

    /**
     * Cases that fail today in code this suite does not own, left out until fixed and listed here (label
     * option=value) so that none is dropped silently. Empty: train's width check against the heap closed the last
     * one (--width 2147483647 reached TwoLayerNet and failed there).
     */
    static final java.util.Set<String> FINDINGS = java.util.Set.of();
}
