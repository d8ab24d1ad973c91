package twolayer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static twolayer.cli.TrainCommandTest.files;
import static twolayer.cli.TrainCommandTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import twolayer.cli.TrainCommandTest.Run;
import twolayer.data.CsvData;
import twolayer.data.Dataset;
import twolayer.data.Npy;
import twolayer.data.NpyArray;

/**
 * Data from .npy files on the command line: {@code train --x X.npy --y y.npy} trains exactly as the same numbers in
 * CSV do, the run record names each file with its checksum, and every bad file or extension is one line naming
 * the option. Also {@code kernel --x A.npy}.
 */
class NpyDataCommandTest {

    static final int N = 20, D = 3;
    static final Path FIXTURES = Path.of("theory-tests", "twolayer", "data", "npy");

    @TempDir
    Path tmp;

    double[] x = new double[N * D], y = new double[N];
    Path xNpy, yNpy, xCsv, yCsv;

    @BeforeEach
    void data() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int k = 0; k < x.length; k++) {
            x[k] = random.nextGaussian();
        }
        for (int i = 0; i < N; i++) {
            y[i] = Math.sin(x[i * D]) + 0.1 * random.nextGaussian();
        }
        xNpy = tmp.resolve("X.npy");
        yNpy = tmp.resolve("y.npy");
        Npy.write(xNpy, NpyArray.matrix(x, N, D));
        Npy.write(yNpy, NpyArray.vector(y));
        xCsv = tmp.resolve("X.csv");
        yCsv = tmp.resolve("y.csv");
        CsvData.write(xCsv, yCsv, new Dataset(x, y, N, D));
    }

    static String[] train(Path x, Path y, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--no-progress", "--width", "8", "--steps", "5", "--x",
                x.toString(), "--y", y.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** A train run's exit code, one line on stderr that starts with the option and contains {@code expected}, nothing written. */
    static void assertOneLine(Run r, int code, String option, String expected, Path out) throws IOException {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.err().lines().count(), "one line\n" + r);
        assertTrue(r.err().startsWith("twolayer train: " + option + ": "), r.toString());
        assertTrue(r.err().contains(expected), "says '" + expected + "'\n" + r);
        if (out != null) {
            assertEquals(List.of(), files(out));
        }
    }

    @Test
    void npyDataTrainWithoutDataOptionAndRecordTheFiles() throws Exception {
        Path out = tmp.resolve("run");
        Run npy = run(train(xNpy, yNpy, "--out", out.toString()));
        assertEquals(0, npy.code(), npy.toString());
        Run csv = run(train(xCsv, yCsv));
        assertEquals(0, csv.code(), csv.toString());
        assertEquals(csv.out(), Files.readString(out.resolve("history.csv")), "the same numbers train the same");
        assertEquals(csv.out(), run(train(xNpy, yNpy, "--data", "csv")).out(), "--data csv is a synonym of files");
        assertEquals(csv.out(), run(train(xNpy, yCsv, "--data", "files")).out(), "formats mix");

        JsonNode data = new ObjectMapper().readTree(out.resolve("run.json").toFile()).at("/data");
        assertEquals("files", data.at("/kind").asText());
        assertEquals(N, data.at("/n").asInt());
        assertEquals(D, data.at("/d").asInt());
        for (String key : List.of("x", "y")) {
            Path file = key.equals("x") ? xNpy : yNpy;
            assertEquals(file.toString(), data.at("/" + key + "/file").asText());
            assertEquals("npy", data.at("/" + key + "/format").asText());
            assertEquals(sha256(file), data.at("/" + key + "/sha256").asText());
        }
        assertEquals(D, data.at("/x/columns").asInt());
    }

    @Test
    void targetsOfShapeNBy1TrainLikeShapeN() throws IOException {
        Path column = tmp.resolve("y_column.npy");
        Npy.write(column, NpyArray.matrix(y, N, 1));
        Run r = run(train(xNpy, column));
        assertEquals(0, r.code(), r.toString());
        assertEquals(run(train(xNpy, yNpy)).out(), r.out());
    }

    @Test
    void fortranOrderFileTrainsLikeItsCOrderTwin() throws IOException {
        Path yTwo = tmp.resolve("y2.npy");
        Npy.write(yTwo, NpyArray.vector(new double[] {0.5, -1}));
        Run fortran = run(train(FIXTURES.resolve("fortran_2x3.npy"), yTwo));
        assertEquals(0, fortran.code(), fortran.toString());
        assertEquals(run(train(FIXTURES.resolve("f8_le_2x3.npy"), yTwo)).out(), fortran.out());
    }

    @Test
    void mismatchedNIsOneLine() throws IOException {
        Path shortY = tmp.resolve("short.npy");
        Npy.write(shortY, NpyArray.vector(java.util.Arrays.copyOf(y, N - 1)));
        Path out = tmp.resolve("out");
        assertOneLine(run(train(xNpy, shortY, "--out", out.toString())), 1, "--y",
                "'" + shortY + "' has 19 rows but --x '" + xNpy + "' has 20; one target per point", out);
    }

    @Test
    void wrongExtensionIsAUsageError() throws IOException {
        Path txt = Files.copy(xNpy, tmp.resolve("X.txt"));
        Path out = tmp.resolve("out");
        assertOneLine(run(train(txt, yNpy, "--out", out.toString())), 2, "--x",
                "'" + txt + "' has the extension '.txt'; allowed: .csv, .npy", out);
        Path bare = Files.copy(yNpy, tmp.resolve("y"));
        assertOneLine(run(train(xNpy, bare, "--out", out.toString())), 2, "--y", "has no extension; allowed: .csv, .npy",
                out);
    }

    @Test
    void nanOrInfinityInAFileNamesTheFileAndTheIndex() throws IOException {
        double[] bad = x.clone();
        bad[3 * D + 1] = Double.NaN;
        Path nan = tmp.resolve("nan.npy");
        Npy.write(nan, NpyArray.matrix(bad, N, D));
        Path out = tmp.resolve("out");
        assertOneLine(run(train(nan, yNpy, "--out", out.toString())), 1, "--x",
                nan + ": value at index (3, 1) is NaN; every value must be finite", out);
        double[] badY = y.clone();
        badY[N - 1] = Double.NEGATIVE_INFINITY;
        Path inf = tmp.resolve("inf.npy");
        Npy.write(inf, NpyArray.vector(badY));
        assertOneLine(run(train(xNpy, inf, "--out", out.toString())), 1, "--y",
                inf + ": value at index (19,) is -inf; every value must be finite", out);
    }

    @Test
    void wrongShapesAndDtypesAreOneLine() throws IOException {
        Path out = tmp.resolve("out");
        assertOneLine(run(train(yNpy, yNpy, "--out", out.toString())), 1, "--x",
                "'" + yNpy + "' has shape (20,); expected (n, d) with n, d >= 1: one row per point", out);
        assertOneLine(run(train(xNpy, xNpy, "--out", out.toString())), 1, "--y",
                "'" + xNpy + "' has 3 columns; expected 1 (one target per point)", out);
        Path scalar = FIXTURES.resolve("scalar.npy");
        assertOneLine(run(train(xNpy, scalar, "--out", out.toString())), 1, "--y",
                "has shape (); expected (n,) or (n, 1) with n >= 1: one target per point", out);
        Path i8 = FIXTURES.resolve("i8_3.npy");
        assertOneLine(run(train(i8, yNpy, "--out", out.toString())), 1, "--x",
                i8 + ": dtype '<i8' is not supported; allowed: '<f8', '>f8', '<f4', '>f4'", out);
        assertOneLine(run(train(xNpy, yNpy, "--data", "teacher", "--out", out.toString())), 2, "--x",
                "applies only to --data files, not --data teacher", out);
        assertOneLine(run("train", "--no-progress", "--y", yNpy.toString()), 2, "--x",
                "--data files needs both --x FILE (inputs) and --y FILE (targets)", null);
    }

    @Test
    void kernelAndPredictReadNpyToo() throws IOException {
        String[] kernel = {"kernel", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
            "--x"};
        Run fromNpy = run(TrainCommandTest.with(kernel, xNpy.toString()));
        assertEquals(0, fromNpy.code(), fromNpy.toString());
        assertEquals(run(TrainCommandTest.with(kernel, xCsv.toString())).out(), fromNpy.out());

        String[] predict = {"predict", "--activation", "relu", "--kernel", "ntk", "--sigma-w", "1", "--sigma-v", "1",
            "--times", "0,1,inf", "--test-x"};
        Run p = run(TrainCommandTest.with(predict, xCsv.toString(), "--train-x", xNpy.toString(), "--train-y",
                yNpy.toString()));
        assertEquals(0, p.code(), p.toString());
        assertEquals(run(TrainCommandTest.with(predict, xCsv.toString(), "--train-x", xCsv.toString(), "--train-y",
                yCsv.toString())).out(), p.out());
        assertFalse(p.out().isEmpty());
    }
}
