package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static twolayer.cli.TrainCommandTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import twolayer.cli.TrainCommandTest.Run;

/**
 * run.json records a seed only where the run drew from it: the Langevin noise's only at lambda &gt; 0 and not when
 * the increments are given (--noise-in), the mini-batches' only when batches are drawn (0 &lt; B &lt; n) and not
 * when they are given, the label noise's only when it is drawn. A recorded seed that shaped nothing would tell a
 * reader the run depends on it.
 */
class RunJsonSeedsTest {

    @TempDir
    Path tmp;

    private static final List<String> BASE = List.of("train", "--n", "12", "--d", "2", "--width", "6", "--no-progress",
            "--observe", "2");
    private static final List<String> MFLD = List.of("--dynamics", "mfld", "--parameterization", "mean-field",
            "--activation", "tanh", "--eta", "0.05", "--steps", "4");
    private static final List<String> TT = List.of("--dynamics", "two-timescale", "--parameterization", "mean-field",
            "--activation", "tanh", "--hidden-bias", "--eta", "0.1", "--steps", "4", "--lambda-a", "0.01",
            "--lambda-w", "0.01");

    private int count;

    /** The seeds section of the run.json written by train with the given options. */
    private List<String> seeds(List<String> options, String... more) throws IOException {
        Path out = tmp.resolve("run" + count++);
        List<String> args = new ArrayList<>(BASE);
        args.addAll(options);
        args.addAll(List.of(more));
        args.addAll(List.of("--out", out.toString()));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        JsonNode seeds = new ObjectMapper().readTree(out.resolve("run.json").toFile()).get("seeds");
        List<String> names = new ArrayList<>();
        seeds.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theLangevinNoiseSeedOnlyWhenNoiseIsDrawn() throws IOException {
        assertEquals(List.of("data", "init", "noise"), seeds(MFLD, "--lambda", "0.01", "--save-noise"));
        assertEquals(List.of("data", "init"), seeds(MFLD, "--lambda", "0"), "lambda = 0 draws no noise");
        Path noise = tmp.resolve("run0").resolve("noise.npy");
        assertEquals(List.of("data", "init"), seeds(MFLD, "--lambda", "0.01", "--noise-in", noise.toString()),
                "given increments come from no seed");
        assertEquals(List.of("data", "init", "noise"), seeds(TT, "--lambda", "0.001"));
        assertEquals(List.of("data", "init"), seeds(TT, "--lambda", "0"), "two-timescale at lambda = 0");
    }

    @Test
    void theBatchSeedOnlyWhenBatchesAreDrawn() throws IOException {
        List<String> gd = List.of("--dynamics", "gd", "--eta", "0.1", "--steps", "4");
        assertEquals(List.of("data", "init", "sgd"), seeds(gd, "--batch-size", "5", "--save-batches"));
        assertEquals(List.of("data", "init"), seeds(gd, "--batch-size", "12"), "B = n draws no batch");
        assertEquals(List.of("data", "init"), seeds(gd), "full batch");
        Path batches = tmp.resolve("run0").resolve("batches.npy");
        assertEquals(List.of("data", "init"), seeds(gd, "--batch-size", "5", "--batches-in", batches.toString()),
                "given batches come from no seed");
    }

    @Test
    void theLabelNoiseSeedOnlyWhenLabelNoiseIsDrawn() throws IOException {
        assertEquals(List.of("data", "init", "noise", "label_noise"),
                seeds(TT, "--lambda", "0.001", "--label-noise", "0.2", "--save-label-noise"));
        Path eps = tmp.resolve("run0").resolve("label_noise.npy");
        assertEquals(List.of("data", "init", "noise"),
                seeds(TT, "--lambda", "0.001", "--label-noise", "0.2", "--label-noise-in", eps.toString()));
    }
}
