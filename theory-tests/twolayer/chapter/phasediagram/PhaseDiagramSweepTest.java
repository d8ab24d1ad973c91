package twolayer.chapter.phasediagram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.Config;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.Point;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.Record;
import twolayer.measure.RdSlope;

/**
 * The sweep's bookkeeping: deterministic records, resuming under the same settings only, shards that merge by file,
 * distinct keys, a run that gives up, the slope fit.
 */
class PhaseDiagramSweepTest {

    /** A tiny sweep: two points, widths 32 and 64, two seeds, a loose loss threshold (a few hundred steps). */
    static Config tiny() {
        return new Config(List.of(new Point(0.5, 0), new Point(1, 0)), new int[] {32, 64}, new long[] {1, 2}, 1e-2,
                20_000, 0.3);
    }

    @Test
    void recordsAreTheSameForAnyThreadCount() throws Exception {
        List<Record> one = PhaseDiagramSweep.runAll(tiny(), 1);
        List<Record> two = PhaseDiagramSweep.runAll(tiny(), 2);
        assertEquals(one, two);
        assertEquals(8, one.size());
        for (Record r : one) {
            assertTrue(r.converged() && r.loss() < 1e-2, r.toString());
        }
    }

    @Test
    void shardsMergeByFileAndARerunResumes(@TempDir Path dir) throws Exception {
        Config c = tiny();
        int a = PhaseDiagramSweep.run(c, dir, 1, 3, 2, r -> { });
        int b = PhaseDiagramSweep.run(c, dir, 2, 3, 2, r -> { });
        int d = PhaseDiagramSweep.run(c, dir, 3, 3, 2, r -> { });
        assertEquals(8, a + b + d);
        assertEquals(0, PhaseDiagramSweep.run(c, dir, 1, 1, 2, r -> { }), "every run file exists: nothing to redo");
        Files.delete(dir.resolve(c.keys().get(5).fileName()));
        assertEquals(1, PhaseDiagramSweep.run(c, dir, 1, 1, 2, r -> { }), "an interrupted sweep redoes only what is missing");
        List<Record> fromFiles = PhaseDiagramSweep.read(dir);
        List<Record> inMemory = PhaseDiagramSweep.runAll(c, 2);
        assertEquals(new java.util.HashSet<>(inMemory), new java.util.HashSet<>(fromFiles));
        assertEquals(2, PhaseDiagramSweep.summarise(dir).size());
        assertTrue(Files.readString(dir.resolve("slopes.csv")).startsWith("gamma,gamma_prime,regime,slope,s_w"));
    }

    @Test
    void badShardIsRejected(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PhaseDiagramSweep.run(tiny(), dir, 4, 3, 1, r -> { }));
        assertTrue(e.getMessage().startsWith("shard:"), e.getMessage());
    }

    @Test
    void slopeOfAnExactPowerLawIsItsExponent() {
        int[] m = {100, 1000, 10000};
        double[][] rd = new double[3][2];
        for (int i = 0; i < 3; i++) {
            rd[i][0] = 2.0 * Math.pow(m[i], -0.5);
            rd[i][1] = 7.0 * Math.pow(m[i], -0.5);
        }
        RdSlope s = RdSlope.fit(m, rd);
        assertEquals(-0.5, s.slope(), 1e-12);
        assertEquals(0.5, s.sw(), 1e-12);
        assertEquals(0.0, s.stdError(), 1e-8);      // SimpleRegression's sums leave ~1e-9 of round-off
        assertEquals(0.0, s.seedStdError(), 1e-8);
        assertArrayEquals(new double[] {-0.5, -0.5}, s.seedSlopes(), 1e-12);
    }

    /** One point, width and seed under the given cap and threshold: a single run of a few hundred steps. */
    static Config single(long seed, double threshold, long maxSteps) {
        return new Config(List.of(new Point(0.5, 0)), new int[] {32}, new long[] {seed}, threshold, maxSteps, 0.3);
    }

    @Test
    void resumeCountsARunAsDoneOnlyUnderItsSettings(@TempDir Path dir) throws Exception {
        Config capped = single(1, 1e-2, 5);
        assertEquals(1, PhaseDiagramSweep.run(capped, dir, 1, 1, 1, r -> { }));
        Record unconverged = PhaseDiagramSweep.read(dir).get(0);
        assertFalse(unconverged.converged());
        assertEquals(capped.settings(), unconverged.settings(), "the file stores the settings");
        assertEquals(0, PhaseDiagramSweep.run(capped, dir, 1, 1, 1, r -> { }), "same settings: done");
        Config longer = single(1, 1e-2, 20_000);
        assertEquals(1, PhaseDiagramSweep.run(longer, dir, 1, 1, 1, r -> { }),
                "an unconverged run recorded with a smaller max-steps is redone");
        Record converged = PhaseDiagramSweep.read(dir).get(0);
        assertTrue(converged.converged() && converged.restarts() == 0, converged.toString());
        Config longerStill = single(1, 1e-2, 30_000);
        assertEquals(0, PhaseDiagramSweep.run(longerStill, dir, 1, 1, 1, r -> { }),
                "a run converged without restarts is the same bits under a larger cap: kept");
        assertEquals(converged.withSettings(longerStill.settings()), PhaseDiagramSweep.read(dir).get(0),
                "and relabelled with the new cap");
        String before = Files.readString(dir.resolve(converged.key().fileName()));
        PhaseDiagramSweep.SettingsConflict other = assertThrows(PhaseDiagramSweep.SettingsConflict.class,
                () -> PhaseDiagramSweep.run(single(1, 5e-3, 30_000), dir, 1, 1, 1, r -> { }),
                "another loss threshold: refused, the directory belongs to one setting");
        assertEquals("loss threshold", other.setting());
        assertEquals("0.01", other.old());
        assertEquals("0.005", other.asked());
        assertEquals(before, Files.readString(dir.resolve(converged.key().fileName())), "and nothing was touched");
        assertThrows(PhaseDiagramSweep.SettingsConflict.class,
                () -> PhaseDiagramSweep.run(new Config(List.of(new Point(0.5, 0)), new int[] {32}, new long[] {1}, 1e-2, 30_000, 0.2), dir, 1, 1, 1, r -> { }),
                "another step factor: refused");
    }

    /** A run that did not converge under a cap is not replaced by one cut shorter under a smaller cap. */
    @Test
    void aSmallerCapDoesNotReplaceAnUnconvergedRun(@TempDir Path dir) throws Exception {
        PhaseDiagramSweep.run(single(1, 1e-2, 5), dir, 1, 1, 1, r -> { });
        PhaseDiagramSweep.SettingsConflict e = assertThrows(PhaseDiagramSweep.SettingsConflict.class,
                () -> PhaseDiagramSweep.run(single(1, 1e-2, 3), dir, 1, 1, 1, r -> { }));
        assertEquals("max steps", e.setting());
    }

    /**
     * A run file edited so that its contents name another run than its file name is refused (it would otherwise
     * be read as a second record of that run, or hide the run its name promises); so is a non-boolean converged.
     */
    @Test
    void aRunFileThatDisagreesWithItsNameIsRefused(@TempDir Path dir) throws Exception {
        PhaseDiagramSweep.run(single(1, 1e-2, 20_000), dir, 1, 1, 1, r -> { });
        Path file = dir.resolve("g0.5_gp0.0_m32_s1.csv");
        String text = Files.readString(file);
        Files.writeString(dir.resolve("g0.5_gp0.0_m32_s2.csv"), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhaseDiagramSweep.summarise(dir));
        assertTrue(e.getMessage().contains("'g0.5_gp0.0_m32_s2.csv': holds the run 'g0.5_gp0.0_m32_s1.csv'"),
                e.getMessage());
        Files.delete(dir.resolve("g0.5_gp0.0_m32_s2.csv"));
        String[] lines = text.split("\n");
        Files.writeString(file, lines[0] + "\n" + lines[1].replace(",true,", ",yes,") + "\n");
        e = assertThrows(IllegalArgumentException.class, () -> PhaseDiagramSweep.read(dir));
        assertTrue(e.getMessage().contains("not a run record"), e.getMessage());
    }

    /** A grid point without a slope (one width) is a row of slopes.csv with an empty slope and its reason. */
    @Test
    void aPointWithoutASlopeIsListedWithItsReason(@TempDir Path dir) throws Exception {
        PhaseDiagramSweep.run(single(1, 1e-2, 20_000), dir, 1, 1, 1, r -> { });
        assertEquals(List.of(), PhaseDiagramSweep.summarise(dir));
        List<String> rows = Files.readAllLines(dir.resolve("slopes.csv"));
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(0).endsWith(",not_converged,reason"), rows.get(0));
        assertEquals("0.5,0.0,linear,,,,,32,1,0,one width (m = 32); a slope needs 2", rows.get(1));
    }

    @Test
    void summariseRefusesRunFilesOfMixedSettings(@TempDir Path dir, @TempDir Path other) throws Exception {
        // two directories of one setting each; a file copied from one into the other mixes them
        PhaseDiagramSweep.run(single(1, 1e-2, 20_000), dir, 1, 1, 1, r -> { });
        PhaseDiagramSweep.run(single(2, 5e-3, 20_000), other, 1, 1, 1, r -> { });
        Files.copy(other.resolve("g0.5_gp0.0_m32_s2.csv"), dir.resolve("g0.5_gp0.0_m32_s2.csv"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PhaseDiagramSweep.summarise(dir));
        assertTrue(e.getMessage().contains("mixed run settings") && e.getMessage().contains("g0.5_gp0.0_m32_s1.csv")
                && e.getMessage().contains("g0.5_gp0.0_m32_s2.csv"), e.getMessage());
    }

    @Test
    void repeatedPointsWidthsAndSeedsAreRejected() {
        List<Point> two = List.of(new Point(1, 0), new Point(0.5, 0));
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> Config.of(two, new int[] {32, 32}, new long[] {1}));
        assertTrue(w.getMessage().startsWith("widths:") && w.getMessage().contains("32 repeats"), w.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> Config.of(two, new int[] {32}, new long[] {1, 1}));
        assertTrue(s.getMessage().startsWith("seeds:"), s.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> Config.of(PhaseDiagramSweep.parseGrid("1:0,1:-0"), new int[] {32}, new long[] {1}));
        assertTrue(g.getMessage().startsWith("grid:"), g.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
                () -> PhaseDiagramSweep.parseWidths("16..32x20"));
        assertTrue(r.getMessage().startsWith("widths:") && r.getMessage().contains("twice"), r.getMessage());
    }

    @Test
    void minusZeroIsZero() {
        Point p = PhaseDiagramSweep.parseGrid("-0:-0.0").get(0);
        assertEquals(new Point(0, 0), p);
        assertEquals("g0.0_gp0.0_m32_s1.csv", new PhaseDiagramSweep.Key(p, 32, 1).fileName());
    }

    @Test
    void configDoesNotExposeItsArrays() {
        Config c = tiny();
        c.widths()[0] = 1000;
        c.seeds()[0] = 99;
        assertArrayEquals(new int[] {32, 64}, c.widths());
        assertArrayEquals(new long[] {1, 2}, c.seeds());
    }

    @Test
    void aRunThatGivesUpIsRecordedAndTheSweepCompletes(@TempDir Path dir) throws Exception {
        // (gamma, gamma') = (0, -213): a ~ m^106 and w ~ m^-106, so f and the loss are finite but the tangent kernel
        // (a^2 ~ m^213) overflows, the step is NaN and every restart fails again; the other point converges as usual
        Config c = new Config(List.of(new Point(0, -213), new Point(0.5, 0)), new int[] {32, 64}, new long[] {1},
                1e-2, 20_000, 0.3);
        assertEquals(4, PhaseDiagramSweep.run(c, dir, 1, 1, 1, r -> { }));
        List<Record> records = PhaseDiagramSweep.read(dir);
        assertEquals(4, records.size());
        for (Record r : records) {
            boolean unstable = r.key().point().gammaPrime() == -213;
            assertEquals(!unstable, r.converged(), r.toString());
            assertEquals(unstable ? PhaseRun.MAX_RESTARTS + 1 : 0, r.restarts(), r.toString());
        }
        assertEquals(0, PhaseDiagramSweep.run(c, dir, 1, 1, 1, r -> { }), "a run that gave up is done too");
        List<PhaseDiagramSweep.PointSlope> slopes = PhaseDiagramSweep.summarise(dir);
        assertEquals(1, slopes.size(), "the unstable point has no converged width: no slope");
        assertEquals(new Point(0.5, 0), slopes.get(0).point());
    }

    @Test
    void errorIsNaNWhenNeitherErrorIsDefined() {
        RdSlope s = RdSlope.fit(new int[] {100, 1000}, new double[][] {{0.1}, {0.01}});
        assertTrue(Double.isNaN(s.stdError()) && Double.isNaN(s.seedStdError()));
        assertTrue(Double.isNaN(s.error()), "two widths and one seed: no error to report, not 0");
    }
}
