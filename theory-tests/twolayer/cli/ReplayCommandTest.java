package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.cli.TrainCommandTest.Run;
import twolayer.data.Npy;
import twolayer.data.NpyArray;

/**
 * Exporting a {@code train} run (parameters, outputs, every random draw) and replaying it
 * ({@code twolayer replay}): every dynamics reproduces its files bit for bit with 1 and 2 threads when fed its
 * own draws, a run started from its exported row 0 is the same run, a changed number is found with its row and
 * column, and every bad input file is one line naming the file, with nothing written.
 */
class ReplayCommandTest {

    @TempDir
    Path tmp;

    private static Run run(String... args) {
        return TrainCommandTest.run(args);
    }

    private static String[] with(String[] base, String... more) {
        return TrainCommandTest.with(base, more);
    }

    /** n = 12 points of (X, y) in d = 2 and 5 test points, as files, so that the outputs can be checked against y. */
    private Path[] data() throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        double[] x = new double[12 * 2], y = new double[12], t = new double[5 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        for (int i = 0; i < 12; i++) {
            y[i] = Math.tanh(x[2 * i] - 0.5 * x[2 * i + 1]);
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = r.nextGaussian();
        }
        Path xf = tmp.resolve("X.npy"), yf = tmp.resolve("y.npy"), tf = tmp.resolve("T.npy");
        Npy.write(xf, NpyArray.matrix(x, 12, 2));
        Npy.write(yf, NpyArray.vector(y));
        Npy.write(tf, NpyArray.matrix(t, 5, 2));
        return new Path[] {xf, yf, tf};
    }

    /** The four dynamics, each with every draw it makes saved. */
    static Stream<Arguments> dynamics() {
        return Stream.of(
                Arguments.of("gd", List.of("--dynamics", "gd", "--sigma-b", "0.5", "--eta", "0.2", "--steps", "30",
                        "--momentum", "0.5", "--batch-size", "5", "--save-batches"), List.of("batches.npy")),
                Arguments.of("flow", List.of("--dynamics", "flow", "--sigma-b", "0.5", "--time", "2"), List.of()),
                Arguments.of("mfld", List.of("--dynamics", "mfld", "--parameterization", "mean-field", "--activation",
                        "tanh", "--hidden-bias", "--eta", "0.05", "--steps", "30", "--save-noise"), List.of("noise.npy")),
                Arguments.of("two-timescale", List.of("--dynamics", "two-timescale", "--parameterization", "mean-field",
                        "--activation", "tanh", "--hidden-bias", "--eta", "0.1", "--steps", "30", "--lambda", "0.001",
                        "--lambda-a", "0.01", "--lambda-w", "0.01", "--label-noise", "0.2", "--save-noise",
                        "--save-label-noise"), List.of("noise.npy", "label_noise.npy")));
    }

    private String[] exported(Path[] files, List<String> dynamics, Path out) {
        List<String> args = new ArrayList<>(List.of("train", "--no-progress", "--x", files[0].toString(), "--y",
                files[1].toString(), "--width", "6", "--observe", "5", "--threads", "1", "--save-params", "--test-x",
                files[2].toString()));
        args.addAll(dynamics);
        args.addAll(List.of("--out", out.toString()));
        return args.toArray(String[]::new);
    }

    /**
     * Each dynamics exports its parameters at the history's times, its outputs (whose squared error is the
     * history's loss) and its draws; replay feeds the draws back and reproduces every file bit for bit with 1 and
     * 2 threads.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dynamics")
    void everyDynamicsExportsAndReplaysBitForBit(String name, List<String> dynamics, List<String> draws)
            throws IOException {
        Path[] files = data();
        Path out = tmp.resolve("run");
        Run r = run(exported(files, dynamics, out));
        assertEquals(0, r.code(), r.toString());

        // times.npy is the history's time column; f_train's squared error is its loss
        List<String> history = Files.readAllLines(out.resolve("history.csv"));
        double[] times = Npy.read(out.resolve("params/times.npy")).data();
        NpyArray fTrain = Npy.read(out.resolve("f_train.npy"));
        double[] y = Npy.read(files[1]).data();
        assertEquals(history.size() - 1, times.length);
        assertArrayEquals(new int[] {times.length, 12}, fTrain.shape());
        assertArrayEquals(new int[] {times.length, 5}, Npy.read(out.resolve("f_test.npy")).shape());
        for (int row = 0; row < times.length; row++) {
            String[] cells = history.get(row + 1).split(",");
            assertEquals(Double.parseDouble(cells[0]), times[row], 0.0);
            double loss = 0;
            for (int i = 0; i < 12; i++) {
                double e = fTrain.at(row * 12 + i) - y[i];
                loss += e * e / 24;
            }
            assertEquals(Double.parseDouble(cells[2]), loss, 1e-12 * Math.max(1, loss), "row " + row);
        }
        assertArrayEquals(new int[] {times.length, 6, 2}, Npy.read(out.resolve("params/w.npy")).shape());
        for (String draw : draws) {
            assertEquals(30, Npy.read(out.resolve(draw)).shape()[0], draw + ": one row per step");
        }

        // the seeded run fed its own draws is the same run, on 1 and on 2 threads
        for (String threads : new String[] {"1", "2"}) {
            Run replay = run("replay", out.toString(), "--threads", threads, "--tolerance", "0");
            assertEquals(0, replay.code(), replay.toString());
            assertTrue(replay.out().startsWith("reproduced bit for bit: history.csv, params/times.npy"), replay.toString());
            assertEquals("", replay.err(), replay.toString());
        }
    }

    /** The draws matter: other Gaussian increments give another history, and replay then says where it parts. */
    @Test
    void otherDrawsGiveAnotherRunAndReplayNamesTheFirstDifference() throws IOException {
        Path[] files = data();
        Path out = tmp.resolve("run");
        List<String> mfld = (List<String>) dynamics().toList().get(2).get()[1];
        assertEquals(0, run(exported(files, mfld, out)).code());
        NpyArray noise = Npy.read(out.resolve("noise.npy"));
        double[] flipped = noise.data();
        for (int k = 0; k < flipped.length; k++) {
            flipped[k] = -flipped[k];
        }
        Path other = tmp.resolve("flipped.npy");
        Npy.write(other, new NpyArray(noise.shape(), flipped));
        Path out2 = tmp.resolve("run2");
        String[] args = exported(files, mfld, out2);
        Run r = run(with(args, "--noise-in", other.toString()));
        assertEquals(0, r.code(), r.toString());
        assertNotEquals(Files.readString(out.resolve("history.csv")), Files.readString(out2.resolve("history.csv")));
        assertEquals(Npy.read(other), Npy.read(out2.resolve("noise.npy")), "the given noise is the noise saved");

        // one number changed in the exported parameters: replay finds it, with its index
        NpyArray a = Npy.read(out.resolve("params/a.npy"));
        double[] changed = a.data();
        changed[2 * 6 + 3] = Math.nextUp(changed[2 * 6 + 3]);
        Npy.write(out.resolve("params/a.npy"), new NpyArray(a.shape(), changed));
        Run replay = run("replay", out.toString(), "--tolerance", "0");
        assertEquals(1, replay.code(), replay.toString());
        assertEquals(1, replay.err().lines().count(), replay.toString());
        assertTrue(replay.err().startsWith("twolayer replay: not reproduced: params/a.npy index (2, 3): "),
                replay.toString());
        // one ulp is within the default tolerance, and the verdict says it is not bit for bit
        Run loose = run("replay", out.toString());
        assertEquals(0, loose.code(), loose.toString());
        assertTrue(loose.out().startsWith("reproduced within tolerance 1.0E-9, not bit for bit"), loose.toString());
        assertTrue(loose.out().contains("params/a.npy index (2, 3)"), loose.toString());
    }

    /**
     * A run started with --init-params from another run's exported row 0 is that run: the same history and
     * parameters to the byte; and it replays too (its inputs are checked by checksum).
     */
    @Test
    void aRunStartedFromItsExportedRowZeroIsTheSameRun() throws IOException {
        Path[] files = data();
        List<String> gd = (List<String>) dynamics().toList().get(0).get()[1];
        Path first = tmp.resolve("first");
        assertEquals(0, run(exported(files, gd, first)).code());
        Path start = tmp.resolve("start");
        for (String group : new String[] {"a", "w", "b", "c"}) {
            NpyArray all = Npy.read(first.resolve("params/" + group + ".npy"));
            int[] shape = all.shape();
            int[] rowShape = Arrays.copyOfRange(shape, 1, shape.length);
            int size = all.size() / shape[0];
            Npy.write(start.resolve(group + ".npy"), new NpyArray(rowShape, Arrays.copyOf(all.data(), size)));
        }
        Path second = tmp.resolve("second");
        List<String> args = new ArrayList<>(List.of(exported(files, gd, second)));
        args.addAll(List.of("--init-params", start.toString()));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        for (String file : new String[] {"history.csv", "params/times.npy", "params/a.npy", "params/w.npy",
            "params/b.npy", "params/c.npy", "f_train.npy", "f_test.npy", "batches.npy"}) {
            assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)), file);
        }
        JsonNode json = new ObjectMapper().readTree(second.resolve("run.json").toFile());
        assertFalse(json.at("/seeds").has("init"), "no init seed is in effect");
        assertEquals(64, json.at("/inputs/init-params/sha256/w.npy").asText().length());
        Run replay = run("replay", second.toString(), "--tolerance", "0");
        assertEquals(0, replay.code(), replay.toString());

        // the start changed afterwards: replay refuses, naming the file
        Npy.write(start.resolve("a.npy"), NpyArray.vector(new double[6]));
        Run changed = run("replay", second.toString());
        assertEquals(2, changed.code(), changed.toString());
        assertTrue(changed.err().contains("--init-params: '" + start.resolve("a.npy") + "' has changed since the run"),
                changed.toString());
    }

    /**
     * --linearized trains the Taylor model at theta0: gradient flow of the linearised model is a linear ODE in the
     * outputs, whose solution {@code twolayer predict --empirical --f0-net} computes in closed form from the same
     * init seed. With tolerances 1e-12 the exported outputs on the training and test points agree with it to
     * 1e-9 (measured 1.7e-11; the net itself, trained alike, differs from it by 4e-3 on the training points and
     * 3e-2 on the test points of a similar problem).
     */
    @Test
    void linearizedFlowOutputsAreThePredictCommandsClosedForm() throws IOException {
        Path[] files = data();
        Path out = tmp.resolve("lin");
        Run r = run("train", "--no-progress", "--dynamics", "flow", "--linearized", "--x", files[0].toString(), "--y",
                files[1].toString(), "--test-x", files[2].toString(), "--width", "64", "--time", "5", "--observe", "5",
                "--abs-tol", "1e-12", "--rel-tol", "1e-12", "--out", out.toString());
        assertEquals(0, r.code(), r.toString());
        Path predicted = tmp.resolve("P.csv");
        Run p = run("predict", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
                "--empirical", "--width", "64", "--seed", "2", "--f0-net", "--train-x", files[0].toString(),
                "--train-y", files[1].toString(), "--test-x", files[2].toString(), "--times", "0,1,2,3,4,5", "--out",
                predicted.toString());
        assertEquals(0, p.code(), p.toString());
        NpyArray train = Npy.read(out.resolve("f_train.npy")), test = Npy.read(out.resolve("f_test.npy"));
        List<String> rows = Files.readAllLines(predicted);
        assertEquals("time,set,index,value", rows.get(0));
        assertEquals(1 + 6 * (12 + 5), rows.size());
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",");
            int t = (int) Double.parseDouble(c[0]), i = Integer.parseInt(c[2]);
            double exported = c[1].equals("train") ? train.at(t * 12 + i) : test.at(t * 5 + i);
            assertEquals(Double.parseDouble(c[3]), exported, 1e-9, row);
        }
    }

    /** A bad file or option: exit code, one line starting with the option, naming the file; no output at all. */
    private void assertRefused(int code, String start, String contains, String... args) {
        Path out = tmp.resolve("refused");
        Run r = run(with(args, "--out", out.toString()));
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line\n" + r);
        assertTrue(r.err().startsWith("twolayer train: " + start), r.toString());
        assertTrue(r.err().contains(contains), "says '" + contains + "'\n" + r);
        assertFalse(Files.exists(out), "nothing written\n" + r);
    }

    private static final String[] GD = {"train", "--no-progress", "--n", "12", "--d", "2", "--width", "6", "--steps",
        "10", "--threads", "1"};

    @Test
    void badInitialParametersAreOneLineNamingTheFile() throws IOException {
        Path dir = tmp.resolve("init");
        Npy.write(dir.resolve("a.npy"), NpyArray.vector(new double[6]));
        Npy.write(dir.resolve("w.npy"), NpyArray.matrix(new double[12], 6, 2));
        String[] init = with(GD, "--init-params", dir.toString());
        assertEquals(0, run(init).code(), "a, w fit a net without biases");

        assertRefused(2, "--init-params: ", "b.npy' is missing; the net has hidden biases b: give b.npy of shape (6,)",
                with(init, "--sigma-b", "1"));
        assertRefused(2, "--width: 7 does not match --init-params", "which has 6 neurons; drop --width",
                "train", "--no-progress", "--n", "12", "--d", "2", "--width", "7", "--steps", "10", "--init-params",
                dir.toString());
        assertRefused(2, "--init-seed: ", "the files give theta0", with(init, "--init-seed", "3"));
        assertRefused(2, "--init-params: no such directory", "missing",
                with(GD, "--init-params", tmp.resolve("missing").toString()));

        Npy.write(dir.resolve("w.npy"), NpyArray.matrix(new double[18], 6, 3));
        assertRefused(1, "--init-params: ", "w.npy' has shape (6, 3); expected (6, 2) = (m, d)", init);

        double[] w = new double[12];
        w[7] = Double.POSITIVE_INFINITY;
        Npy.write(dir.resolve("w.npy"), NpyArray.matrix(w, 6, 2));
        assertRefused(1, "--init-params: ", "value at index (3, 1) is +inf; every value must be finite", init);

        Npy.write(dir.resolve("w.npy"), NpyArray.matrix(new double[12], 6, 2));
        Npy.write(dir.resolve("b.npy"), NpyArray.vector(new double[6]));
        assertRefused(2, "--init-params: ", "b.npy' is given but the net has no hidden biases b; remove the file", init);
        Files.delete(dir.resolve("b.npy"));

        byte[] bytes = Files.readAllBytes(dir.resolve("a.npy"));
        Files.write(dir.resolve("a.npy"), Arrays.copyOf(bytes, bytes.length - 8));
        assertRefused(1, "--init-params: ", "truncated", init);
        Files.writeString(dir.resolve("a.npy"), "not an array\n");
        assertRefused(1, "--init-params: ", "a.npy", init);
    }

    @Test
    void badDrawFilesAreOneLineNamingTheFileAndWhatFits() throws IOException {
        String[] mfld = {"train", "--no-progress", "--dynamics", "mfld", "--parameterization", "mean-field", "--n",
            "12", "--d", "2", "--width", "6", "--steps", "40", "--threads", "1"};
        Path noise = tmp.resolve("noise.npy");
        Npy.write(noise, NpyArray.matrix(new double[20 * 18], 20, 18));
        assertRefused(1, "--noise-in '" + noise + "': ", "has 20 steps, the run needs 40; expected (40, 18)",
                with(mfld, "--noise-in", noise.toString()));
        Npy.write(noise, NpyArray.matrix(new double[40 * 17], 40, 17));
        assertRefused(1, "--noise-in '" + noise + "': ", "has shape (40, 17); expected (40, 18): one row per step",
                with(mfld, "--noise-in", noise.toString()));
        double[] nan = new double[40 * 18];
        nan[5] = Double.NaN;
        Npy.write(noise, NpyArray.matrix(nan, 40, 18));
        assertRefused(1, "--noise-in: ", "value at index (0, 5) is NaN", with(mfld, "--noise-in", noise.toString()));
        assertRefused(2, "--noise-in: ", "applies only to --dynamics mfld|two-timescale with --lambda > 0 (lambda = 0",
                with(mfld, "--lambda", "0", "--noise-in", noise.toString()));
        assertRefused(2, "--save-noise: ", "not --dynamics gd", with(GD, "--save-noise"));
        assertRefused(2, "--linearized: ", "applies only to --dynamics gd|flow", with(mfld, "--linearized"));

        Path batches = tmp.resolve("batches.npy");
        double[] rows = new double[10 * 4];
        rows[6] = 2.5;
        Npy.write(batches, NpyArray.matrix(rows, 10, 4));
        assertRefused(1, "--batches-in '" + batches + "': ", "value 2.5 at index (1, 2) is not a row",
                with(GD, "--batches-in", batches.toString()));
        rows[6] = 12;
        Npy.write(batches, NpyArray.matrix(rows, 10, 4));
        assertRefused(1, "--batches-in '" + batches + "': ", "value 12.0 at index (1, 2)",
                with(GD, "--batches-in", batches.toString()));
        assertRefused(2, "--batch-size: ", "does not match --batches-in",
                with(GD, "--batch-size", "5", "--batches-in", batches.toString()));
        assertRefused(2, "--save-batches: ", "not full-batch gd", with(GD, "--save-batches"));
    }

    /** --out must be new, empty or an earlier train run's; what an earlier run wrote and this one does not is gone. */
    @Test
    void outputDirectoryHoldsOneRun() throws IOException {
        Path out = tmp.resolve("out");
        assertEquals(0, run(with(GD, "--save-params", "--batch-size", "4", "--save-batches", "--out",
                out.toString())).code());
        assertTrue(Files.exists(out.resolve("params/w.npy")) && Files.exists(out.resolve("batches.npy")));
        Run again = run(with(GD, "--out", out.toString()));
        assertEquals(0, again.code(), again.toString());
        assertEquals(List.of("history.csv", "run.json"), TrainCommandTest.files(out), "the stale arrays are gone");

        Files.writeString(out.resolve("notes.txt"), "mine\n");
        Run refused = run(with(GD, "--out", out.toString()));
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().startsWith("twolayer train: --out: '" + out + "' holds 'notes.txt', which is not the"
                + " output of a twolayer train run"), refused.toString());
        assertEquals("mine\n", Files.readString(out.resolve("notes.txt")));

        Run noOut = run(with(GD, "--save-params"));
        assertEquals(2, noOut.code(), noOut.toString());
        assertTrue(noOut.err().startsWith("twolayer train: --save-params: applies only to runs with --out DIR"),
                noOut.toString());
    }

    @Test
    void helpListsTheExportOptionsAndReplay() {
        Run train = run("train", "--help");
        for (String option : new String[] {"--init-params", "--save-params", "--test-x", "--linearized", "--noise-in",
            "--save-noise", "--batches-in", "--save-batches", "--label-noise-in", "--save-label-noise"}) {
            assertTrue(train.out().contains(option), "help lacks " + option + "\n" + train.out());
        }
        Run replay = run("replay", "--help");
        assertEquals(0, replay.code(), replay.toString());
        assertTrue(replay.out().contains("--tolerance") && replay.out().contains("bit for bit"), replay.toString());
    }

    @Test
    void replayOfSomethingElseIsOneLine() throws IOException {
        Run none = run("replay", tmp.toString());
        assertEquals(2, none.code(), none.toString());
        assertTrue(none.err().startsWith("twolayer replay: DIR: '" + tmp + "' holds no run.json"), none.toString());

        Path[] files = data();
        Path out = tmp.resolve("run");
        assertEquals(0, run(exported(files, (List<String>) dynamics().toList().get(1).get()[1], out)).code());
        Files.write(files[1], Files.readAllBytes(files[1]), java.nio.file.StandardOpenOption.APPEND);
        Run changed = run("replay", out.toString());
        assertEquals(2, changed.code(), changed.toString());
        assertTrue(changed.err().startsWith("twolayer replay: --y: '" + files[1] + "' has changed since the run"),
                changed.toString());
    }
}
