package twolayer.chapter.phasediagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.Point;

/**
 * The replications chapter's phase-diagram page: the scaling argument's exponent at the points the chapter derives
 * it for, and the page drawn from real run files (or the note that there are none).
 */
class PhaseDiagramReplicationTest {

    @Test
    void scalingExponentsAreTheChaptersAtItsNamedPoints() {
        assertEquals(-0.5, PhaseDiagramReplication.scalingSlope(0.5, 0), 1e-15);    // NTK point (PD-1)
        assertEquals(-1.5, PhaseDiagramReplication.scalingSlope(0.5, 0.5), 1e-15);  // LeCun point (PD-3)
        assertEquals(0.0, PhaseDiagramReplication.scalingSlope(1, 0), 0);           // mean-field point (PD-2)
        assertEquals(0.0, PhaseDiagramReplication.scalingSlope(1, -0.5), 0);        // critical line gamma = 1
        assertEquals(0.0, PhaseDiagramReplication.scalingSlope(1.5, 0.5), 0);       // critical line gamma' = gamma - 1
        assertEquals(-1.0, PhaseDiagramReplication.scalingSlope(1.5, 1), 1e-15);    // wedge: 2(gamma - 1 - gamma')
        assertEquals(0.5, PhaseDiagramReplication.scalingSlope(2, 0), 1e-15);       // condensed: (gamma - 1 - gamma')/2
        assertTrue(Double.isNaN(PhaseDiagramReplication.scalingSlope(1.25, -0.5))); // condensed, gamma + gamma' < 1
        // continuity across gamma = 1 for gamma' > 0: both sides give -2 gamma'
        assertEquals(PhaseDiagramReplication.scalingSlope(1 - 1e-6, 0.25),
                PhaseDiagramReplication.scalingSlope(1 + 1e-6, 0.25), 1e-5);
    }

    @Test
    void drawsTheSlopesTableAndCondensationFromRunFiles(@TempDir Path tmp) throws Exception {
        Path figures = Files.createDirectories(tmp.resolve("figures"));
        Path gen = Files.createDirectories(tmp.resolve("gen"));
        // no results yet: a note, no figure
        PhaseDiagramReplication.writeAll(tmp.resolve("results"), figures, gen);
        assertTrue(Files.readString(gen.resolve(PhaseDiagramReplication.TABLE)).startsWith("NOTE: No results"));
        assertFalse(Files.exists(figures.resolve(PhaseDiagramReplication.SLOPES)));

        Path dir = tmp.resolve("results").resolve(PhaseDiagramReplication.NAME);
        PhaseDiagramSweep.Config c = new PhaseDiagramSweep.Config(List.of(new Point(0.5, 0), new Point(1, 0)),
                new int[] {16, 32}, new long[] {1, 2}, 1e-3, 200_000, 0.3);
        PhaseDiagramSweep.run(c, dir, 1, 1, 2, r -> { });
        Files.writeString(dir.resolve("invocations.jsonl"), "{\"commit\":\"0123456789abcdef\",\"dirty\":0,"
                + "\"date\":\"2026-12-07T15:00:00Z\",\"cpu\":\"test cpu\",\"cores\":2}\n");
        PhaseDiagramReplication.writeAll(tmp.resolve("results"), figures, gen);
        String table = Files.readString(gen.resolve(PhaseDiagramReplication.TABLE));
        List<PhaseDiagramSweep.PointSlope> slopes = PhaseDiagramSweep.summarise(PhaseDiagramSweep.read(dir));
        assertEquals(2, slopes.size());
        for (PhaseDiagramSweep.PointSlope s : slopes) {
            // every fitted slope appears in the table as printed there
            assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%.3f +- %.3f", s.fit().slope(),
                    s.fit().error())), table);
            // with two widths the local slope is the fitted one (the fit runs through the two seed-means)
            assertEquals(s.fit().slope(), PhaseDiagramReplication.localSlope(PhaseDiagramSweep.read(dir), s.point()),
                    1e-12);
        }
        assertTrue(table.contains("| -0.50 |") && table.contains("| 0.00 |"), table);
        assertTrue(table.contains("8 runs in `results/phase-diagram/`, 0 of them not converged"), table);
        assertTrue(table.contains(": commit 0123456789; 2026-12-07; test cpu, 2 cores."), table);
        assertTrue(Files.size(figures.resolve(PhaseDiagramReplication.SLOPES)) > 1000);
        assertTrue(Files.size(figures.resolve(PhaseDiagramReplication.EXPONENTS)) > 1000);
    }
}
