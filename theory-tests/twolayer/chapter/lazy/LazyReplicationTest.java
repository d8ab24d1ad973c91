package twolayer.chapter.lazy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import twolayer.run.ResultsFolder;

/**
 * The replications chapter's page on the study's lazy-training sweeps, drawn from unit files as {@code twolayer
 * experiment lazy-width}, {@code lazy-scale} and {@code lazy-breakdown} write them: the slopes it reports are the
 * least-squares slopes of the points, the ratios are per initialisation, and folders that are mixed, incomplete or of
 * another experiment are refused with a message naming them.
 */
class LazyReplicationTest {

    private static final int[] WIDTHS = {100, 1000, 10000};
    private static final int INITS = 3;

    private static String unit(String experiment, String key, String settings, String result) {
        return "{\"experiment\":\"" + experiment + "\",\"version\":1,\"key\":{" + key + "},\"settings\":" + settings
                + ",\"result\":{" + result + "},\"provenance\":{\"java\":\"Test 17\",\"wall_seconds\":36.0}}";
    }

    /** RD_w = 0.4 m^(-1/2) times a seeded factor in [0.8, 1.25] per unit, so that the fit has a scatter. */
    private static double rdW(int m, int init) {
        return 0.4 / Math.sqrt(m) * (0.8 + 0.45 * new SplittableRandom(31L * m + init).nextDouble());
    }

    private static void widthFolder(Path root, String settings) throws IOException {
        Path runs = Files.createDirectories(root.resolve(LazyReplication.WIDTH).resolve("runs"));
        for (int m : WIDTHS) {
            for (int i = 0; i < INITS; i++) {
                double rd = rdW(m, i);
                Files.writeString(runs.resolve("variant=ntk,m=" + m + ",init=" + i + ".json"), unit("lazy-width",
                        "\"variant\":\"ntk\",\"m\":\"" + m + "\",\"init\":\"" + i + "\"", settings,
                        "\"rd_a\":" + 6 * rd + ",\"rd_w\":" + rd + ",\"gap\":" + rd * rd + ",\"drift\":" + 2 * rd * rd));
            }
        }
    }

    private static void scaleFolder(Path root) throws IOException {
        Path runs = Files.createDirectories(root.resolve(LazyReplication.SCALE).resolve("runs"));
        for (double p : new double[] {0, 0.5}) {
            for (boolean anti : new boolean[] {false, true}) {
                for (int i = 0; i < INITS; i++) {
                    double alpha = Math.pow(10000, p), rd = (1 + 0.1 * i) / alpha;   // slope -1 exactly
                    Files.writeString(runs.resolve("m=10000,antisymmetric=" + anti + ",p=" + p + ",init=" + i + ".json"),
                            unit("lazy-scale", "\"m\":\"10000\",\"antisymmetric\":\"" + anti + "\",\"p\":\"" + p
                                    + "\",\"init\":\"" + i + "\"", "{\"--eta\":\"4.0\"}", "\"alpha\":" + alpha
                                    + ",\"rd_a\":" + rd + ",\"rd_w\":" + rd + ",\"drift\":" + rd * rd));
                }
            }
        }
    }

    /** Steps 0.16, 1.6, 16 and momenta 0, 0.9 at 1.6: RD_w = eta_eff times 1 + init, gap = RD_w^2. */
    private static void breakdownFolder(Path root) throws IOException {
        Path runs = Files.createDirectories(root.resolve(LazyReplication.BREAKDOWN).resolve("runs"));
        String settings = "{\"--width\":\"5000\",\"--base-eta\":\"1.6\",\"--steps\":\"10\"}";
        String[][] grid = {{"eta", "0.16", "0.16"}, {"eta", "1.6", "1.6"}, {"eta", "16.0", "16"}, {"mu", "0.0", "1.6"},
            {"mu", "0.9", "16"}, {"init-std", "1.0", "1"}, {"init-std", "0.15811388300841897", "6"}};
        for (String[] g : grid) {
            for (int i = 0; i < INITS; i++) {
                double rd = Double.parseDouble(g[2]) * (1 + i);
                Files.writeString(runs.resolve("sweep=" + g[0] + ",value=" + g[1] + ",init=" + i + ".json"),
                        unit("lazy-breakdown", "\"sweep\":\"" + g[0] + "\",\"value\":\"" + g[1] + "\",\"init\":\"" + i
                                + "\"", settings, "\"steps\":10,\"gap\":" + rd * rd + ",\"rd_w\":" + rd + ",\"rd_a\":" + rd
                                + ",\"train_loss\":0.5,\"train_loss_linear\":0.25"));
            }
        }
    }

    @Test
    void reportsTheLeastSquaresSlopesAndPerInitialisationRatios(@TempDir Path tmp) throws IOException {
        Path figures = Files.createDirectories(tmp.resolve("figures"));
        Path gen = Files.createDirectories(tmp.resolve("gen"));
        LazyReplication.writeAll(tmp, figures, gen);
        assertTrue(Files.readString(gen.resolve(LazyReplication.TABLE)).startsWith("NOTE: No results"));
        assertFalse(Files.exists(figures.resolve(LazyReplication.WIDTH_FIGURE)));

        widthFolder(tmp, "{\"--eta\":\"4.0\",\"--steps\":\"8\"}");
        LazyReplication.writeAll(tmp, figures, gen);
        String table = Files.readString(gen.resolve(LazyReplication.TABLE));
        // an independent fit: commons-math over every (log m, log RD_w) point, and the spread of the per-init slopes
        SimpleRegression pooled = new SimpleRegression();
        SummaryStatistics perInit = new SummaryStatistics();
        for (int i = 0; i < INITS; i++) {
            SimpleRegression one = new SimpleRegression();
            for (int m : WIDTHS) {
                pooled.addData(Math.log(m), Math.log(rdW(m, i)));
                one.addData(Math.log(m), Math.log(rdW(m, i)));
            }
            perInit.addValue(one.getSlope());
        }
        ResultsFolder r = ResultsFolder.read(tmp.resolve(LazyReplication.WIDTH));
        java.util.Map<Integer, double[][]> byInit = new java.util.TreeMap<>();
        for (int i = 0; i < INITS; i++) {
            final int init = i;
            byInit.put(i, new double[][] {java.util.Arrays.stream(WIDTHS).asDoubleStream().toArray(),
                java.util.Arrays.stream(WIDTHS).mapToDouble(m -> rdW(m, init)).toArray()});
        }
        LazyReplication.Fit fit = LazyReplication.fit("test", byInit);
        assertEquals(pooled.getSlope(), fit.slope(), 1e-12);
        assertEquals(perInit.getStandardDeviation() / Math.sqrt(INITS), fit.standardError(), 1e-12);
        String expected = String.format(Locale.ROOT, "%.3f +- %.3f (3 inits)", pooled.getSlope(),
                perInit.getStandardDeviation() / Math.sqrt(INITS));
        assertTrue(table.contains("| ntk, RD_w | -0.46 (dtheta, printed) | " + expected), table);
        // the gap is RD_w^2 point by point: twice the slope
        assertTrue(table.contains(String.format(Locale.ROOT, "| ntk, gap f - f_lin | - | %.3f", 2 * pooled.getSlope())),
                table);
        assertTrue(table.contains("9 units, 0.1 hours of unit wall time; JDK Test 17; no invocation log"), table);
        assertTrue(table.contains("No results in `results/lazy-scale-study/`"), table);
        assertEquals(9, r.units().size());
        assertTrue(Files.size(figures.resolve(LazyReplication.WIDTH_FIGURE)) > 1000);

        scaleFolder(tmp);
        breakdownFolder(tmp);
        LazyReplication.writeAll(tmp, figures, gen);
        table = Files.readString(gen.resolve(LazyReplication.TABLE));
        // every init's RD is c_i / alpha: slope -1 with no spread across inits
        assertTrue(table.contains("| slope against alpha | | -0.53 (computed from the plot-read values)  | -1.000 +- 0.000"),
                table);
        // 16 / 1.6 = 10 on every init, and the gap its square; the study's 0.7096 / 0.02844
        assertTrue(table.contains("| largest step over a tenth of it (eta = 16 / eta = 1.6) | 25.0 (printed) | 10.0 [10.0,"
                + " 10.0] | 100 [100, 100] | at the larger (lr 1)"), table);
        assertTrue(table.contains("| mu = 0.9 over ten times the step at mu = 0 (mu = 0.9 / eta = 16) | 0.846"
                + " (plot-read over printed) | 1.00 [1.00, 1.00]"), table);
        assertTrue(table.contains("| w ~ N(0, I/d) over N(0, I) (ReLU) (ReLU, w ~ N(0, I/d) / ReLU, w ~ N(0, I)) | 180"),
                table);
        assertTrue(table.contains("| mu = 0.9 | 10 | 16 | 160 |"), table);
        for (String f : new String[] {LazyReplication.SCALE_FIGURE, LazyReplication.BREAKDOWN_FIGURE}) {
            assertTrue(Files.size(figures.resolve(f)) > 1000, f);
        }
        assertFalse(table.contains("lazy-breakdown-study-long"), table);

        // an investigation folder: its own tables under its own name, no figure of its own
        Path from = tmp.resolve(LazyReplication.BREAKDOWN).resolve("runs");
        Path to = Files.createDirectories(tmp.resolve(LazyReplication.INVESTIGATIONS.get(0)).resolve("runs"));
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        LazyReplication.writeAll(tmp, figures, gen);
        table = Files.readString(gen.resolve(LazyReplication.TABLE));
        assertTrue(table.contains(".`results/lazy-breakdown-study-long`: every setting at m = 5000"), table);
        assertTrue(table.contains(".`results/lazy-breakdown-study-long`: the study's comparisons"), table);
        assertTrue(table.contains("made by `results/replicate.sh lazy-breakdown-study-long`: 21 units"), table);
    }

    @Test
    void refusesMixedIncompleteAndForeignFolders(@TempDir Path tmp) throws IOException {
        Path figures = Files.createDirectories(tmp.resolve("figures"));
        Path gen = Files.createDirectories(tmp.resolve("gen"));
        widthFolder(tmp, "{\"--eta\":\"4.0\",\"--steps\":\"8\"}");
        Path runs = tmp.resolve(LazyReplication.WIDTH).resolve("runs");
        // a unit made under other settings
        Path odd = runs.resolve("variant=ntk,m=100,init=7.json");
        Files.writeString(odd, unit("lazy-width", "\"variant\":\"ntk\",\"m\":\"100\",\"init\":\"7\"",
                "{\"--eta\":\"2.0\",\"--steps\":\"8\"}", "\"rd_a\":1,\"rd_w\":1,\"gap\":1,\"drift\":1"));
        IOException mixed = assertThrows(IOException.class, () -> LazyReplication.writeAll(tmp, figures, gen));
        assertTrue(mixed.getMessage().contains("variant=ntk,m=100,init=7.json: its experiment or settings differ"),
                mixed.getMessage());
        // an initialisation that has not reached every width (an unfinished run): the slope would mix designs
        Files.writeString(odd, unit("lazy-width", "\"variant\":\"ntk\",\"m\":\"100\",\"init\":\"7\"",
                "{\"--eta\":\"4.0\",\"--steps\":\"8\"}", "\"rd_a\":1,\"rd_w\":1,\"gap\":1,\"drift\":1"));
        IOException partial = assertThrows(IOException.class, () -> LazyReplication.writeAll(tmp, figures, gen));
        assertTrue(partial.getMessage().contains("variant ntk, rd_w: initialisation 7 has the points [100.0]"),
                partial.getMessage());
        assertTrue(partial.getMessage().contains("finish the run"), partial.getMessage());
        Files.delete(odd);
        // a value a log cannot take
        Path first = runs.resolve("variant=ntk,m=100,init=0.json");
        String good = Files.readString(first);
        Files.writeString(first, good.replaceFirst("\"rd_w\":[0-9.Ee-]+", "\"rd_w\":0"));
        IOException zero = assertThrows(IOException.class, () -> LazyReplication.writeAll(tmp, figures, gen));
        assertTrue(zero.getMessage().contains("needs finite positive values"), zero.getMessage());
        Files.writeString(first, good);
        // a folder of another experiment under the name
        Path scale = Files.createDirectories(tmp.resolve(LazyReplication.SCALE).resolve("runs"));
        Files.writeString(scale.resolve("m=4,seed=1.json"), unit("teacher-student", "\"m\":\"4\",\"seed\":\"1\"",
                "{}", "\"final_test_error\":1"));
        IOException foreign = assertThrows(IOException.class, () -> LazyReplication.writeAll(tmp, figures, gen));
        assertTrue(foreign.getMessage().contains("lazy-scale-study: expected unit files of lazy-scale, found"
                + " teacher-student"), foreign.getMessage());
        Files.delete(scale.resolve("m=4,seed=1.json"));
        // a breakdown setting that lacks an initialisation the others have
        breakdownFolder(tmp);
        Files.delete(tmp.resolve(LazyReplication.BREAKDOWN).resolve("runs").resolve("sweep=mu,value=0.9,init=2.json"));
        IOException missing = assertThrows(IOException.class, () -> LazyReplication.writeAll(tmp, figures, gen));
        assertTrue(missing.getMessage().contains("setting mu = 0.9 has the initialisations [0, 1], the folder [0, 1, 2]"),
                missing.getMessage());
    }

    /** The committed results render (the site draws them the same way); prints the table for the chapter's prose. */
    @Test
    void rendersTheCommittedResults(@TempDir Path tmp) throws IOException {
        Path results = Path.of("results");
        LazyReplication.writeAll(results, tmp, tmp);
        String table = Files.readString(tmp.resolve(LazyReplication.TABLE));
        assertFalse(table.contains("NOTE: No results"), table);
        System.out.println(table);
        for (String f : new String[] {LazyReplication.WIDTH_FIGURE, LazyReplication.SCALE_FIGURE,
            LazyReplication.BREAKDOWN_FIGURE}) {
            assertTrue(Files.size(tmp.resolve(f)) > 1000, f);
        }
    }
}
