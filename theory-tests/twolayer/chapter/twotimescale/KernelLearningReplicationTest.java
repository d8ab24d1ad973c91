package twolayer.chapter.twotimescale;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replications chapter's Takakura-Suzuki page drawn from unit files as {@code twolayer experiment kernel-learning}
 * writes them: seed means with their standard errors, the net against the best kernel paired by seed, the label-noise
 * folder as its own row, and clear errors for folders whose units disagree.
 */
class KernelLearningReplicationTest {

    private static final String SETTINGS = "{\"--width\":\"2000\",\"--steps\":\"10\",\"--d\":\"15\",\"--n\":\"200\",\"--label-noise\":"
            + "\"%s\",\"--observations\":\"2\",\"--baselines\":\"%s\"}";

    /** A unit whose series are (0, v, 2v) at steps 0, 5, 10 (the test error starts at 1), with net test error 2v and kernels 3v, v, 4v, 5v. */
    private static String unit(double sigma, int seed, double v, boolean baselines, double labelNoise, String steps) {
        String krr = baselines ? ",\"krr_intrinsic_init_test_error\":" + 3 * v + ",\"krr_ntk_init_test_error\":" + v
                + ",\"krr_relu_ntk_test_error\":" + 4 * v + ",\"krr_gaussian_test_error\":" + 5 * v : "";
        String series = "[0," + v + "," + 2 * v + "]";
        return "{\"experiment\":\"kernel-learning\",\"version\":1,\"key\":{\"sigma\":\"" + sigma + "\",\"seed\":\"" + seed
                + "\"},\"settings\":" + String.format(SETTINGS, labelNoise, baselines) + ",\"result\":{"
                + "\"final_test_error\":" + 2 * v + ",\"final_df\":" + 2 * v + ",\"plane_share\":0.5,\"steps\":" + steps + ",\"alignment\":"
                + series + ",\"df\":" + series + ",\"test_error\":[1," + v + "," + 2 * v + "]" + krr + "},\"provenance\":{\"java\":"
                + "\"Test 17\",\"wall_seconds\":720.0}}";
    }

    @Test
    void tablesSeedMeansStandardErrorsAndThePairedGap(@TempDir Path tmp) throws IOException {
        Path figures = Files.createDirectories(tmp.resolve("figures"));
        Path gen = Files.createDirectories(tmp.resolve("gen"));
        KernelLearningReplication.writeAll(tmp, figures, gen);
        assertTrue(Files.readString(gen.resolve(KernelLearningReplication.TABLE)).startsWith("NOTE: No results"));
        assertFalse(Files.exists(figures.resolve("replication-kernel-learning-df.svg")));

        Path runs = Files.createDirectories(tmp.resolve("kernel-learning-d15").resolve("runs"));
        Files.writeString(runs.resolve("sigma=0.0,seed=1.json"), unit(0, 1, 1.0, true, 0, "[0,5,10]"));
        Files.writeString(runs.resolve("sigma=0.0,seed=2.json"), unit(0, 2, 3.0, true, 0, "[0,5,10]"));
        Path noisy = Files.createDirectories(tmp.resolve("kernel-learning-label-noise-d15").resolve("runs"));
        Files.writeString(noisy.resolve("sigma=0.0,seed=1.json"), unit(0, 1, 0.5, false, 1, "[0,5,10]"));
        KernelLearningReplication.writeAll(tmp, figures, gen);
        String table = Files.readString(gen.resolve(KernelLearningReplication.TABLE));
        // final series values 2 and 6: mean 4, sample sd 2 sqrt(2), standard error 2
        assertTrue(table.contains("| d = 15, n = 200, sigma = 0 | 2 | 0.00 +- 0.0 -> 4.00 +- 2.0 |"), table);
        // one seed: no standard error, only the mean
        assertTrue(table.contains("| d = 15, n = 200, sigma = 0, label noise 1 | 1 | 0.00 -> 1.00 |"), table);
        // net 2v against the best kernel (the tangent kernel, v): differences 1 and 3, mean 2 +- 1
        assertTrue(table.contains("| 4.00 +- 2.0 | 6.00 +- 3.0 | 2.00 +- 1.0 | 8.00 +- 4.0 | 10.0 +- 5.0 | 2.00 +- 1.0"
                + " (tangent kernel at init)"), table);
        assertFalse(table.contains("| d = 15, n = 200, sigma = 0, label noise 1 | 0.500"), "no baselines row without them");
        // the label-noise seed 1 (final df and test error 2 * 0.5) against the clean seed 1 (2 * 1): -1 each, one seed
        assertTrue(table.contains("| d = 15, n = 200, sigma = 0, label noise 1 | 1 | -1.00 (negative on 1 of 1) | -1.00 (negative"
                + " on 1 of 1)"), table);
        assertTrue(table.contains("2 units, 0.4 hours of unit wall time; JDK Test 17; no invocation log"), table);
        for (String s : new String[] {"alignment", "df", "test-error"}) {
            assertTrue(Files.size(figures.resolve("replication-kernel-learning-" + s + ".svg")) > 1000, s);
        }

        // a sample-size folder is its own row, labelled by its --n, in both tables, after the d = 15, n = 200 rows
        Path n400 = Files.createDirectories(tmp.resolve("kernel-learning-d15-n400").resolve("runs"));
        for (int seed = 1; seed <= 2; seed++) {
            Files.writeString(n400.resolve("sigma=0.0,seed=" + seed + ".json"),
                    unit(0, seed, seed, true, 0, "[0,5,10]").replace("\"--n\":\"200\"", "\"--n\":\"400\""));
        }
        KernelLearningReplication.writeAll(tmp, figures, gen);
        String withN = Files.readString(gen.resolve(KernelLearningReplication.TABLE));
        // v = 1, 2: the net 2, 4 against the tangent kernel 1, 2: differences 1 and 2, mean 1.5 +- 0.5
        assertTrue(withN.contains("| d = 15, n = 400, sigma = 0 | 3.00 +- 1.0 | 4.50 +- 1.5 | 1.50 +- 0.50 | 6.00 +- 2.0"
                + " | 7.50 +- 2.5 | 1.50 +- 0.50 (tangent kernel at init)"), withN);
        assertTrue(withN.indexOf("| d = 15, n = 400, sigma = 0 | 2 |") > withN.indexOf("| d = 15, n = 200, sigma = 0 | 2 |"),
                withN);
        assertTrue(withN.contains("`results/kernel-learning-d15-n400`: settings"), withN);
        Files.delete(n400.resolve("sigma=0.0,seed=1.json"));
        Files.delete(n400.resolve("sigma=0.0,seed=2.json"));

        // a label-noise folder of another width cannot be paired with the clean runs
        Path f = noisy.resolve("sigma=0.0,seed=1.json");
        String good = Files.readString(f);
        Files.writeString(f, good.replace("\"--width\":\"2000\"", "\"--width\":\"1000\""));
        IOException unpaired = assertThrows(IOException.class, () -> KernelLearningReplication.writeAll(tmp, figures, gen));
        assertTrue(unpaired.getMessage().contains("cannot be paired with results/kernel-learning-d15: --width is 1000"
                + " there and 2000 here"), unpaired.getMessage());
        Files.writeString(f, good);

        // a unit observed at other steps than the folder's first: refused, naming the folder and the unit
        Files.writeString(runs.resolve("sigma=1.0,seed=1.json"), unit(1, 1, 1.0, true, 0, "[0,4,10]"));
        IOException steps = assertThrows(IOException.class, () -> KernelLearningReplication.writeAll(tmp, figures, gen));
        assertTrue(steps.getMessage().contains("kernel-learning-d15: unit {sigma=1.0, seed=1} records other steps"),
                steps.getMessage());
    }
}
