package twolayer.chapter.performance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The performance chapter's table and figure: the nominal FLOP counts the chapter derives, the reading of a results
 * file (and its one-line errors), and that the committed results file is complete and readable.
 */
class PerformanceFiguresTest {

    private static final String META = """
            {"date": "2026-12-07T12:00Z", "mode": "quick", "cpu_model": "Test CPU", "cpu_family_model": "x",
             "cores": 2, "cpu_mhz_nominal": 2000.0, "peak_gflops_per_core": 64.0, "peak_basis": "2 FMA x 8 x 2",
             "jdk": "openjdk 17", "numpy": {"numpy": "2.0", "blas": "openblas 0.3", "openblas_core": "Haswell"},
             "load_average_start": "1 1 1", "load_average_end": "2 2 2", "note": "a test"}
            """;

    @Test
    void flopCountsAreTheChaptersFormulas() {
        // 4nmd + 6nm + 3md + 2m at n = 1000, d = 100, m = 4096
        assertEquals(1_638_400_000.0 + 24_576_000 + 1_228_800 + 8_192, PerformanceFigures.flops("gd-step-tanh-meanfield", 4096));
        // 4n^2m + 2n^2d + 2nmd at n = 500, d = 100, m = 10^4: 11.05 GFLOP
        assertEquals(11.05e9, PerformanceFigures.flops("ntk-gram", 10_000), 1.0);
        assertEquals(PerformanceFigures.flops("gd-step-relu-ntk", 4096) + 4.0 * 4096 * 101,
                PerformanceFigures.flops("mfld-step", 4096));
        // the kernel term n^2 m is three quarters of the two-timescale step
        double tt = PerformanceFigures.flops("two-timescale-step", 2000);
        assertTrue(Math.abs(400.0 * 400 * 2000 / tt - 0.76) < 0.01, "kernel share " + 400.0 * 400 * 2000 / tt);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerformanceFigures.flops("gd-stop", 1));
        assertTrue(e.getMessage().contains("gd-stop"), e.getMessage());
    }

    @Test
    void writesTheTableAndTheFigureFromAResultsFile(@TempDir Path dir) throws IOException {
        Path results = Files.createDirectories(dir.resolve("results"));
        Files.writeString(results.resolve("summary-2026-01-01.csv"), "benchmark,threads,m,java_ms,numpy_ms,ratio\n"
                + "gd-step-relu-ntk,1,256,10,5,2\n");
        Files.writeString(results.resolve("summary-2026-01-01.json"), META);
        Files.writeString(results.resolve("summary-2026-12-07.csv"), "benchmark,threads,m,java_ms,numpy_ms,ratio\n"
                + "gd-step-relu-ntk,1,4096,100,50,2\ngd-step-relu-ntk,2,4096,64,64,1\n");
        Files.writeString(results.resolve("summary-2026-12-07.json"), META);
        Path figures = Files.createDirectories(dir.resolve("figures")), gen = Files.createDirectories(dir.resolve("gen"));
        PerformanceFigures.writeAll(results, figures, gen);
        String table = Files.readString(gen.resolve(PerformanceFigures.TABLE));
        // the newest file; 1.664 GFLOP in 100 ms is 16.6 GFLOP/s, 26 % of one core's 64; 2 threads: 26.0, 20 % of 128
        assertTrue(table.contains("summary-2026-12-07.csv") && !table.contains("| 256 |"), table);
        assertTrue(table.contains("| `gd-step-relu-ntk` | 1 | 4096 | 1.664 | 100.0 | 50.0 | 2.00 | 16.6 (26 %) | 33.3 (52 %)"),
                table);
        assertTrue(table.contains("| `gd-step-relu-ntk` | 2 | 4096 | 1.664 | 64.0 | 64.0 | 1.00 | 26.0 (20 %) | 26.0 (20 %)"),
                table);
        assertTrue(table.contains("Test CPU") && table.contains("a test"), table);
        assertTrue(Files.readString(figures.resolve(PerformanceFigures.FIGURE)).contains("<svg"));
    }

    @Test
    void withoutResultsThePartialSaysSoAndNoFigureIsDrawn(@TempDir Path dir) throws IOException {
        PerformanceFigures.writeAll(dir.resolve("absent"), dir, dir);
        assertTrue(Files.readString(dir.resolve(PerformanceFigures.TABLE)).startsWith("No benchmark results"));
        assertFalse(Files.exists(dir.resolve(PerformanceFigures.FIGURE)));
    }

    @Test
    void aMalformedFileIsNamedWithItsLineAndField(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("summary-x.csv");
        Files.writeString(csv, "benchmark,threads,m,java,numpy,ratio\n");
        IOException header = assertThrows(IOException.class, () -> PerformanceFigures.read(csv));
        assertTrue(header.getMessage().contains("summary-x.csv") && header.getMessage().contains("header"),
                header.getMessage());
        Files.writeString(csv, "benchmark,threads,m,java_ms,numpy_ms,ratio\nntk-gram,1,10000,-3,5,1\n");
        IOException value = assertThrows(IOException.class, () -> PerformanceFigures.read(csv));
        assertTrue(value.getMessage().contains("line 2") && value.getMessage().contains("java_ms"), value.getMessage());
        Files.writeString(csv, "benchmark,threads,m,java_ms,numpy_ms,ratio\nntk-gram,1,10000,3,5,0.6\n");
        IOException json = assertThrows(IOException.class, () -> PerformanceFigures.read(csv));
        assertTrue(json.getMessage().contains("summary-x.json"), json.getMessage());
    }

    /** The file the chapter shows: every benchmark of run-all.sh, 1 and 2 threads, ratio = java_ms / numpy_ms. */
    @Test
    void theCommittedResultsAreCompleteAndConsistent() throws IOException {
        Path csv = PerformanceFigures.newest(Path.of("benchmarks", "results"));
        assertNotNull(csv, "a committed benchmarks/results/summary-<date>.csv (the test runs from the project directory)");
        PerformanceFigures.Results r = PerformanceFigures.read(csv);
        Set<String> keys = r.rows().stream().map(row -> row.benchmark() + "/" + row.threads() + "/" + row.m())
                .collect(Collectors.toSet());
        for (String act : new String[] {"relu", "tanh"}) {
            for (String preset : new String[] {"ntk", "meanfield"}) {
                for (int m : new int[] {256, 4096, 16384}) {
                    for (int t = 1; t <= 2; t++) {
                        assertTrue(keys.contains("gd-step-" + act + "-" + preset + "/" + t + "/" + m), keys.toString());
                    }
                }
            }
        }
        for (int t = 1; t <= 2; t++) {
            assertTrue(keys.contains("ntk-gram/" + t + "/10000") && keys.contains("mfld-step/" + t + "/4096")
                    && keys.contains("two-timescale-step/" + t + "/2000"), keys.toString());
        }
        for (PerformanceFigures.Row row : r.rows()) {
            // the CSV rounds to 4 significant digits and the ratio to 3 decimals
            assertEquals(row.javaMs() / row.numpyMs(), row.ratio(), 2e-3 * row.ratio() + 1e-3, row.toString());
        }
    }
}
