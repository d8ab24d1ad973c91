package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code twolayer experiment phase-diagram}: files per run, resume, shards, and option errors. */
class PhaseDiagramCommandTest {

    record Outcome(int code, String err) {
    }

    static Outcome run(String... args) {
        CommandLine cli = Twolayer.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Outcome(code, err.toString());
    }

    static long runFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("g")).count();
        }
    }

    @Test
    void twoShardsFillTheDirectoryAndARerunResumes(@TempDir Path dir) throws Exception {
        String[] common = {"experiment", "phase-diagram", "--grid", "0.5:0,1:0", "--widths", "32,64", "--seeds", "1..2",
            "--loss-threshold", "1e-2", "--threads", "2", "--out", dir.toString()};
        Outcome first = run(concat(common, "--shard", "1/2"));
        assertEquals(0, first.code(), first.err());
        assertEquals(4, runFiles(dir));
        Outcome second = run(concat(common, "--shard", "2/2"));
        assertEquals(0, second.code(), second.err());
        assertEquals(8, runFiles(dir));
        Outcome again = run(common);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 runs done now, 8 already"), again.err());
        assertEquals(3, Files.readAllLines(dir.resolve("slopes.csv")).size(), "header and two grid points");
    }

    @Test
    void badOptionsNameTheOption(@TempDir Path dir) {
        Outcome shard = run("experiment", "phase-diagram", "--grid", "1:0", "--shard", "0/2", "--out", dir.toString());
        assertEquals(2, shard.code());
        assertTrue(shard.err().contains("--shard: must be k/N"), shard.err());
        Outcome grid = run("experiment", "phase-diagram", "--grid", "1;0", "--out", dir.toString());
        assertEquals(2, grid.code());
        assertTrue(grid.err().contains("--grid:"), grid.err());
        Outcome widths = run("experiment", "phase-diagram", "--grid", "1:0", "--widths", "33,64", "--out", dir.toString());
        assertEquals(2, widths.code());
        assertTrue(widths.err().contains("--widths:") && widths.err().contains("even"), widths.err());
    }

    @Test
    void repeatedValuesNameTheirOption(@TempDir Path dir) {
        Outcome seeds = run("experiment", "phase-diagram", "--grid", "1:0", "--widths", "32,64", "--seeds", "1,1",
            "--out", dir.toString());
        assertEquals(2, seeds.code());
        assertTrue(seeds.err().contains("--seeds: every value must be distinct"), seeds.err());
        Outcome grid = run("experiment", "phase-diagram", "--grid", "1:0,1:-0", "--widths", "32,64", "--out",
            dir.toString());
        assertEquals(2, grid.code());
        assertTrue(grid.err().contains("--grid: every value must be distinct"), grid.err());
        Outcome widths = run("experiment", "phase-diagram", "--grid", "1:0", "--widths", "16..32x20", "--out",
            dir.toString());
        assertEquals(2, widths.code());
        assertTrue(widths.err().contains("--widths:") && widths.err().contains("twice"), widths.err());
    }

    /**
     * A directory belongs to one setting: a rerun with another --loss-threshold is refused in one line naming the
     * option, the old and the new value and --restart, before any file is touched; --restart then starts again.
     */
    @Test
    void anotherThresholdIsRefusedUnlessRestarted(@TempDir Path dir) throws Exception {
        String[] common = {"experiment", "phase-diagram", "--grid", "0.5:0", "--widths", "32,64", "--seeds", "1",
            "--threads", "1", "--out", dir.toString()};
        Outcome first = run(concat(common, "--loss-threshold", "1e-2"));
        assertEquals(0, first.code(), first.err());
        java.util.Map<Path, String> before = contents(dir);
        Outcome other = run(concat(common, "--loss-threshold", "5e-3"));
        assertEquals(2, other.code(), other.err());
        assertEquals(1, other.err().lines().count(), other.err());
        assertTrue(other.err().contains("--loss-threshold: '" + dir + "' holds runs made with --loss-threshold 0.01,"
                + " not 0.005") && other.err().contains("--restart"), other.err());
        assertEquals(before, contents(dir), "nothing was touched");
        Outcome shard = run(concat(common, "--loss-threshold", "5e-3", "--shard", "1/2"));
        assertEquals(2, shard.code(), shard.err());
        assertEquals(before, contents(dir), "nor by a shard");
        Outcome badRestart = run(concat(common, "--loss-threshold", "-1", "--restart"));
        assertEquals(2, badRestart.code(), badRestart.err());
        assertEquals(before, contents(dir), "--restart removes nothing before the options are valid");
        Outcome restarted = run(concat(common, "--loss-threshold", "5e-3", "--restart"));
        assertEquals(0, restarted.code(), restarted.err());
        assertTrue(restarted.err().contains("2 runs done now, 0 already"), restarted.err());
        assertTrue(Files.readString(dir.resolve("g0.5_gp0.0_m32_s1.csv")).contains(",0.005,"));
    }

    /** --threads is >= 1 as in train (0 no longer means all cores: the default does). */
    @Test
    void zeroThreadsIsRefused(@TempDir Path dir) {
        Outcome zero = run("experiment", "phase-diagram", "--grid", "1:0", "--threads", "0", "--out", dir.toString());
        assertEquals(2, zero.code());
        assertTrue(zero.err().contains("--threads: must be an integer >= 1, got 0"), zero.err());
    }

    static java.util.Map<Path, String> contents(Path dir) throws Exception {
        java.util.Map<Path, String> m = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName(), Files.readString(p));
            }
        }
        return m;
    }

    static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
