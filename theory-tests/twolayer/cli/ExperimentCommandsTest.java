package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code twolayer experiment NAME}: each sweep command at a tiny setting writes one file per unit and a summary; a
 * rerun changes no byte; a lost unit file is redone with the same bytes; two shards give the unsharded summary;
 * a folder of other settings is refused in one line and left as it was.
 */
class ExperimentCommandsTest {

    record Outcome(int code, String out, String err) {
    }

    static Outcome run(List<String> args) {
        CommandLine cli = Twolayer.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args.toArray(String[]::new));
        return new Outcome(code, out.toString(), err.toString());
    }

    /** Name, tiny options, the number of units they make, and a setting changed to another value. */
    record Case(String name, List<String> options, int units, List<String> otherSetting) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("kernel-learning", List.of("--baselines", "--width", "10", "--steps", "6", "--n", "12", "--n-test", "20",
                        "--d", "4", "--seeds", "1..2", "--sigmas", "0,1", "--observations", "2"), 4,
                        List.of("--steps", "7")),
                new Case("lazy-width", List.of("--widths", "4,8", "--inits", "1", "--variants", "ntk,positive",
                        "--n", "8", "--probes", "6", "--d", "3", "--steps", "2"), 4, List.of("--steps", "3")),
                new Case("teacher-student", List.of("--widths", "3,5", "--seeds", "1..2", "--steps", "4",
                        "--decayed-steps", "2", "--batch", "8", "--eta", "study", "--decay", "0.5", "--observations", "2"), 4, List.of("--batch", "9")),
                new Case("mfld-toy", List.of("--widths", "3,5", "--seeds", "1..2", "--n", "4", "--time", "0.4",
                        "--eta", "0.1", "--observations", "2"), 4, List.of("--time", "0.2")),
                new Case("two-timescale-toy", List.of("--widths", "3,5", "--seeds", "1..2", "--n", "4", "--time",
                        "0.4", "--eta", "0.1", "--observations", "2"), 4, List.of("--lambda", "0.03")),
                new Case("mmn", List.of("--widths", "6", "--eps", "0.01,0.02", "--seeds", "1", "--d", "4", "--radii",
                        "10", "--time", "0.2", "--observations", "2"), 4, List.of("--radii", "12")),
                new Case("golikov", List.of("--widths", "4,8", "--scalings", "ntk,mean-field", "--logit-draws", "2",
                        "--kernel-draws", "1", "--n", "4", "--d", "2"), 4, List.of("--n", "5")),
                new Case("lazy-scale", List.of("--widths", "4", "--exponents", "0,0.5", "--inits", "1", "--n", "8",
                        "--probes", "6", "--d", "3", "--steps", "2"), 4, List.of("--eta", "2")),
                new Case("lazy-breakdown", List.of("--width", "4", "--inits", "1", "--etas", "1,2", "--momenta",
                        "0,0.5", "--base-eta", "2", "--steps", "2", "--observations", "2", "--n", "8", "--probes", "6",
                        "--d", "3"), 8, List.of("--steps", "4")),
                new Case("staircase", List.of("--seeds", "1..2", "--width", "5", "--tt-steps", "400", "--tt-eps",
                        "0.5", "--eq-steps", "300", "--eq-h", "1e-3", "--observations", "3"), 4,
                        List.of("--noise", "0.5")),
                new Case("union-of-rkhs", List.of("--seeds", "1..2", "--width", "6", "--steps", "4", "--d", "3",
                        "--n", "8", "--n-test", "10", "--observations", "2"), 2, List.of("--sigma", "0")),
                new Case("mfld-discretisation", List.of("--etas", "0.5,0.25", "--step-width", "3", "--step-d", "2",
                        "--widths", "3,5", "--repeats", "1", "--time", "2", "--burn-in", "1"), 4,
                        List.of("--step-c", "2")),
                new Case("two-timescale-errors", List.of("--ratios", "1,4", "--ratio-width", "4", "--ratio-time", "0.5",
                        "--etas", "0.2,0.1", "--finest-eta", "0.1", "--width", "4", "--widths", "3,5", "--repeats", "1",
                        "--time", "1.2", "--burn-in", "0.6", "--particle-spacing", "0.2", "--n", "4"), 6, List.of("--n", "5")),
                new Case("repopulation", List.of("--seeds", "1..2", "--width", "4", "--steps", "20", "--batch", "8",
                        "--units", "3", "--draws", "3", "--idle", "2", "--n-importance", "10", "--n", "20",
                        "--n-test", "10"), 2, List.of("--bandwidth", "0.1")));
    }

    static List<String> command(Case c, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("experiment", c.name()));
        args.addAll(c.options());
        args.addAll(List.of("--out", out.toString(), "--no-progress"));
        args.addAll(List.of(more));
        return args;
    }

    /** Every file under dir (relative name to bytes). */
    static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(p).toString();
                byte[] bytes = Files.readAllBytes(p);
                if (name.endsWith(".json")) {
                    // a unit's provenance (finish time, wall time) differs between reruns by design; the rest
                    // of the file may not
                    String text = new String(bytes, StandardCharsets.UTF_8);
                    String stripped = PROVENANCE.matcher(text).replaceFirst("");
                    assertTrue(stripped.length() < text.length() && text.contains("\"wall_seconds\" : "),
                            name + " has no provenance");
                    bytes = stripped.getBytes(StandardCharsets.UTF_8);
                }
                all.put(name, bytes);
            }
        }
        return all;
    }

    /** A unit file's provenance object (flat: no nested braces), with the comma before it. */
    private static final Pattern PROVENANCE =
            Pattern.compile(",\\s*\"provenance\" : \\{[^{}]*\\}");

    static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name), actual.get(name), name);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void runsResumesShardsAndRefusesOtherSettings(Case c, @TempDir Path tmp) throws Exception {
        Path one = tmp.resolve("one");
        Outcome first = run(command(c, one, "--threads", "1"));
        assertEquals(0, first.code(), first.err());
        Map<String, byte[]> made = files(one);
        assertEquals(c.units() + 1, made.size(), "one file per unit and summary.csv: " + made.keySet());
        List<String> summary = Files.readAllLines(one.resolve("summary.csv"));
        assertEquals(c.units() + 1, summary.size(), "a header and a row per unit");

        // a rerun runs nothing and changes no byte
        Outcome again = run(command(c, one, "--threads", "2"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 units run now, " + c.units() + " already"), again.err());
        assertSameFiles(made, files(one));

        // a run killed before its last unit ended: that unit is redone, with the same bytes
        String lost = made.keySet().stream().filter(n -> n.startsWith("runs")).skip(1).findFirst().orElseThrow();
        Files.delete(one.resolve(lost));
        Outcome resumed = run(command(c, one));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("1 units run now"), resumed.err());
        assertSameFiles(made, files(one));

        // two shards into one folder: after the first the rest is reported missing; together, the same files
        Path shards = tmp.resolve("shards");
        Outcome s1 = run(command(c, shards, "--shard", "1/2", "--threads", "2"));
        assertEquals(0, s1.code(), s1.err());
        assertTrue(s1.err().contains((c.units() / 2) + " of the sweep's " + c.units() + " units missing"), s1.err());
        Outcome s2 = run(command(c, shards, "--shard", "2/2"));
        assertEquals(0, s2.code(), s2.err());
        assertSameFiles(made, files(shards));

        // other settings: refused in one line naming the option, nothing touched; --restart starts again
        List<String> other = command(c, one);
        int at = other.indexOf(c.otherSetting().get(0));
        if (at < 0) {
            other.addAll(c.otherSetting());      // a setting left at its default, now given another value
        } else {
            other.set(at + 1, c.otherSetting().get(1));
        }
        Outcome refused = run(other);
        assertEquals(2, refused.code(), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains(c.otherSetting().get(0) + ": '"), refused.err());
        assertSameFiles(made, files(one));
        // a write a kill interrupted leaves a temporary file: a rerun ignores it, --restart removes it
        Path partial = one.resolve("runs").resolve(".m=1.json.123.tmp");
        Files.writeString(partial, "{\"exper");
        Outcome withPartial = run(command(c, one));
        assertEquals(0, withPartial.code(), withPartial.err());
        other.add("--restart");
        Outcome restarted = run(other);
        assertEquals(0, restarted.code(), restarted.err());
        assertTrue(restarted.err().contains(c.units() + " units run now"), restarted.err());
        assertTrue(!Files.exists(partial), "--restart removes the temporary files of interrupted writes");
    }

    /** The command runs the chapter's own code unit by unit: its summary holds the chapter sweep's numbers. */
    @Test
    void unitsHoldTheChapterSweepsBits(@TempDir Path tmp) throws Exception {
        Case golikov = cases().get(6);
        assertEquals(0, run(command(golikov, tmp.resolve("g"))).code());
        var all = twolayer.chapter.scalings.GolikovExponentSweep.Config.namedScalings();
        var sweep = twolayer.chapter.scalings.GolikovExponentSweep.run(
                new twolayer.chapter.scalings.GolikovExponentSweep.Config(List.of(all.get(0), all.get(1)),
                        new int[] {4, 8}, twolayer.model.Parameterization.GOLIKOV_REFERENCE_WIDTH, 2, 1, 4, 2, 20261123L),
                twolayer.model.Parallelism.sequential());
        List<String> rows = Files.readAllLines(tmp.resolve("g").resolve("summary.csv"));
        for (int s = 0; s < 2; s++) {
            for (int k = 0; k < 2; k++) {
                String[] cells = rows.get(1 + 2 * s + k).split(",");
                for (int q = 0; q < 4; q++) {
                    assertEquals(sweep.values()[s][q][k], Double.parseDouble(cells[2 + q]), 0.0, rows.get(1 + 2 * s + k));
                }
            }
        }
        Case lazy = cases().get(1);
        assertEquals(0, run(command(lazy, tmp.resolve("l"))).code());
        var config = new twolayer.chapter.lazy.LazyWidthSweep.Config(twolayer.run.LazyTask.classification(8, 6, 3),
                twolayer.run.LazyRun.SITE_SEED, new int[] {4, 8}, 1, List.of(
                        twolayer.chapter.lazy.LazyWidthSweep.ntk(),
                        twolayer.chapter.lazy.LazyWidthSweep.positiveOutputWeights()),
                twolayer.dynamics.GradientDescent.Config.plain(4.0), 2, 1);
        var runs = twolayer.chapter.lazy.LazyWidthSweep.run(config, 2).runs();
        List<String> lazyRows = Files.readAllLines(tmp.resolve("l").resolve("summary.csv"));
        assertEquals(runs.size() + 1, lazyRows.size());
        for (int i = 0; i < runs.size(); i++) {
            String[] cells = lazyRows.get(1 + i).split(",");
            assertEquals(runs.get(i).m(), Integer.parseInt(cells[1]));
            assertEquals(runs.get(i).result().finalRdW(), Double.parseDouble(cells[4]), 0.0, lazyRows.get(1 + i));
            assertEquals(runs.get(i).result().finalGap(), Double.parseDouble(cells[5]), 0.0, lazyRows.get(1 + i));
        }
    }

    static Case named(String name) {
        return cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** The summary's column {@code column} in row {@code row} (1 = the first unit). */
    static double cell(List<String> rows, int row, String column) {
        int at = List.of(rows.get(0).split(",")).indexOf(column);
        assertTrue(at >= 0, column + " in " + rows.get(0));
        return Double.parseDouble(rows.get(row).split(",")[at]);
    }

    /**
     * The sweeps whose chapter code was split into units: each unit holds the bits of the chapter's own loop
     * (the lazy breakdown's gaps, the MFLD step-size biases, the two-timescale particle biases).
     */
    @Test
    void splitSweepsHoldTheChapterLoopsBits(@TempDir Path tmp) throws Exception {
        assertEquals(0, run(command(named("lazy-breakdown"), tmp.resolve("b"))).code());
        var breakdown = twolayer.chapter.lazy.LazyBreakdown.run(new twolayer.chapter.lazy.LazyBreakdown.Config(
                twolayer.run.LazyTask.classification(8, 6, 3), twolayer.run.LazyRun.SITE_SEED, 4, 1,
                twolayer.model.Activation.TANH, new double[] {1, 2}, new double[] {0, 0.5},
                twolayer.model.Activation.RELU, 2.0, 2, true, 2), 1);
        List<String> rows = Files.readAllLines(tmp.resolve("b").resolve("summary.csv"));
        int row = 1;
        for (var group : List.of(breakdown.stepSizes(), breakdown.stepSizesAtFixedTime(), breakdown.momenta(),
                breakdown.initScales())) {
            for (var point : group) {
                assertEquals(point.gaps()[0], cell(rows, row, "gap"), 0.0, rows.get(row));
                assertEquals(point.runs().get(0).finalRdW(), cell(rows, row++, "rd_w"), 0.0);
            }
        }
        assertEquals(rows.size(), row);

        assertEquals(0, run(command(named("mfld-discretisation"), tmp.resolve("d"))).code());
        var time = twolayer.chapter.mfld.MfldDiscretisation.timeBias(new double[] {0.5, 0.25}, 0.1, 1.0, 3, 2,
                20261123L);
        List<String> mfld = Files.readAllLines(tmp.resolve("d").resolve("summary.csv"));
        for (int k = 0; k < 2; k++) {
            assertEquals(time.measured()[k], cell(mfld, 1 + k, "measured_bias"), 0.0, mfld.get(1 + k));
            assertEquals(time.exact()[k], cell(mfld, 1 + k, "exact_bias"), 0.0, mfld.get(1 + k));
        }

        assertEquals(0, run(command(named("two-timescale-errors"), tmp.resolve("t"))).code());
        var toy = new twolayer.chapter.twotimescale.TwoTimescaleToy.Config(20261123L, 4, 4, 0.2, 0.02, 0.05, 0.1,
                1.2, 1);
        var particles = twolayer.chapter.twotimescale.TwoTimescaleErrors.particleBias(toy, new int[] {3, 5}, 1, 0.6,
                0.2);
        var steps = twolayer.chapter.twotimescale.TwoTimescaleErrors.timeBias(toy, new double[] {0.2, 0.1}, 0.6, 0.2);
        List<String> tt = Files.readAllLines(tmp.resolve("t").resolve("summary.csv"));
        for (int k = 0; k < 2; k++) {
            assertEquals(steps.meanEnergy()[k], cell(tt, 3 + k, "mean_energy"), 0.0, tt.get(3 + k));
            assertEquals(particles.bias()[k], cell(tt, 5 + k, "objective_bias"), 0.0, tt.get(5 + k));
        }
    }

    @Test
    void listNamesEveryExperiment() {
        Outcome list = run(List.of("experiment", "--list"));
        assertEquals(0, list.code(), list.err());
        List<String> names = new ArrayList<>(List.of("phase-diagram"));
        cases().forEach(c -> names.add(c.name()));
        for (String name : names) {
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith(name + " ")), name + " in\n" + list.out());
        }
        assertEquals(names.size(), list.out().lines().count(), list.out());
    }

    @Test
    void badShardsListsAndForeignFoldersAreRefusedInOneLine(@TempDir Path tmp) throws Exception {
        Case kl = cases().get(0);
        Outcome shard = run(command(kl, tmp.resolve("a"), "--shard", "3/2"));
        assertEquals(2, shard.code());
        assertTrue(shard.err().contains("--shard: must be k/N"), shard.err());
        List<String> twice = command(kl, tmp.resolve("a"));
        twice.set(twice.indexOf("0,1"), "1,1");
        Outcome repeated = run(twice);
        assertEquals(2, repeated.code());
        assertTrue(repeated.err().contains("--sigmas: a value is given twice"), repeated.err());
        // a folder of another experiment is not this sweep's
        Path mixed = tmp.resolve("mixed");
        assertEquals(0, run(command(cases().get(2), mixed)).code());
        Outcome foreign = run(command(kl, mixed));
        assertEquals(2, foreign.code());
        assertTrue(foreign.err().contains("holds runs of experiment teacher-student, not kernel-learning"),
                foreign.err());
        // a file in runs/ that is not a unit record: exit 1 naming it
        Files.writeString(mixed.resolve("runs").resolve("notes.json"), "not json");
        Outcome garbage = run(command(cases().get(2), mixed));
        assertEquals(1, garbage.code());
        assertTrue(garbage.err().contains("notes.json' is not a unit file"), garbage.err());
        // observations that do not split the steps evenly: refused before any unit runs
        Outcome uneven = run(List.of("experiment", "mfld-toy", "--time", "0.3", "--eta", "0.1", "--observations", "2",
                "--out", tmp.resolve("uneven").toString()));
        assertEquals(2, uneven.code());
        assertTrue(uneven.err().contains("--observations: "), uneven.err());
        // a step size that is neither a positive number nor 'study'
        Outcome badEta = run(List.of("experiment", "teacher-student", "--eta", "-1",
                "--out", tmp.resolve("bad-eta").toString()));
        assertEquals(2, badEta.code());
        assertTrue(badEta.err().contains("--eta: must be a number > 0 or 'study', got -1"), badEta.err());
    }
}
