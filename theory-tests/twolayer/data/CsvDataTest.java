package twolayer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.ledger.Seeds;

/** CSV: bit-exact round trips, the accepted variants of the format, and one clear message per error. */
class CsvDataTest {

    @TempDir
    Path dir;

    static Stream<Long> seeds() {
        return Seeds.of(5);
    }

    /** Seeded values over many magnitudes, plus the doubles most likely to lose bits in text. */
    private static Dataset awkwardData(long seed) {
        int n = 30;
        int d = 3;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(-300, 300));
        }
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextDouble() / 3;
        }
        double[] special = {-0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 0.1, 1.0 / 3, 2e-3, Math.nextUp(1.0), 1e23};
        System.arraycopy(special, 0, x, 0, special.length);
        y[0] = -0.0;
        y[1] = Double.MIN_NORMAL;
        return new Dataset(x, y, n, d);
    }

    private static void assertBitIdentical(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                    what + "[" + i + "]: wrote " + expected[i] + ", read " + actual[i]);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void roundTripIsBitExact(long seed) throws IOException {
        Dataset data = awkwardData(seed);
        CsvData.write(dir.resolve("X.csv"), dir.resolve("y.csv"), data);
        Dataset twoFiles = CsvData.read(dir.resolve("X.csv"), dir.resolve("y.csv"));
        CsvData.write(dir.resolve("sub/xy.csv"), data);
        Dataset oneFile = CsvData.read(dir.resolve("sub/xy.csv"));
        for (Dataset back : new Dataset[] {twoFiles, oneFile}) {
            assertEquals(data.n(), back.n());
            assertEquals(data.d(), back.d());
            assertBitIdentical(data.x(), back.x(), "x");
            assertBitIdentical(data.y(), back.y(), "y");
        }
    }

    @Test
    void acceptsCrLfBlanksAroundCellsByteOrderMarkAndTrailingBlankLines() throws IOException {
        String[] variants = {
            "1,2.5,3\n-4,5e-1,6",
            "1,2.5,3\n-4,5e-1,6\n",
            "1,2.5,3\r\n-4,5e-1,6\r\n",
            "\uFEFF1, 2.5 ,3\r\n-4,5e-1,\t6\n\n  \r\n\n",
        };
        for (int v = 0; v < variants.length; v++) {
            Path file = dir.resolve("variant" + v + ".csv");
            Files.writeString(file, variants[v], StandardCharsets.UTF_8);
            Dataset data = CsvData.read(file);
            assertEquals(2, data.n(), "variant " + v);
            assertEquals(2, data.d(), "variant " + v);
            assertArrayEquals(new double[] {1, 2.5, -4, 0.5}, data.x(), 0.0, "variant " + v);
            assertArrayEquals(new double[] {3, 6}, data.y(), 0.0, "variant " + v);
        }
    }

    /** Bad single-file inputs: file name, content, line, column (0: the whole line), words of the problem. */
    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("empty.csv", "", 1, 0, "empty"),
                Arguments.of("onlyBlank.csv", "\n  \n\r\n", 1, 0, "empty"),
                Arguments.of("ragged.csv", "1,2,3\n4,5,6\n7,8\n", 3, 0, "ragged row: 2 columns, but the first row has 3"),
                Arguments.of("word.csv", "1,2\n3,abc\n", 2, 2, "'abc' is not a number"),
                Arguments.of("emptyCell.csv", "1,2,3\n4,,6\n", 2, 2, "empty cell"),
                Arguments.of("suffix.csv", "1,2f\n", 1, 2, "'2f' is not a number"),
                Arguments.of("nan.csv", "1,2\nNaN,3\n", 2, 1, "'NaN' is NaN; NaN and infinite values are rejected"),
                Arguments.of("inf.csv", "1,2\n3,4\n5,-Infinity\n", 3, 2, "is infinite; NaN and infinite values are rejected"),
                Arguments.of("overflow.csv", "1e400,2\n", 1, 1, "'1e400' is infinite"),
                Arguments.of("blankInside.csv", "1,2\n\n3,4\n", 2, 0, "blank line inside the data"),
                Arguments.of("oneColumn.csv", "1\n2\n", 1, 0, "expected at least 2 columns"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsReportedWithFileLineColumnAndProblem(String name, String content, int line, int column, String problem)
            throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        CsvData.FormatException e = assertThrows(CsvData.FormatException.class, () -> CsvData.read(file));
        String message = e.getMessage();
        assertTrue(message.contains(name), message);
        assertTrue(message.contains("line " + line), message);
        assertTrue(column == 0 || message.contains("column " + column), message);
        assertTrue(message.contains(problem), message);
        assertEquals(file, e.file());
        assertEquals(line, e.line());
        assertEquals(column, e.column());
    }

    @Test
    void missingFileIsReportedByName() {
        Path missing = dir.resolve("missingX.csv");
        IOException e = assertThrows(IOException.class, () -> CsvData.read(missing, dir.resolve("y.csv")));
        assertTrue(e.getMessage().contains("missingX.csv") && e.getMessage().contains("no such file"), e.getMessage());
        IOException directory = assertThrows(IOException.class, () -> CsvData.read(dir));
        assertTrue(directory.getMessage().startsWith("cannot read " + dir), directory.getMessage());
    }

    @Test
    void rowCountMismatchNamesBothFilesAndTheFirstUnmatchedLine() throws IOException {
        Path x = dir.resolve("inputsX.csv");
        Path y = dir.resolve("targetsY.csv");
        Files.writeString(x, "1,2\n3,4\n5,6\n");
        Files.writeString(y, "1\n2\n");
        CsvData.FormatException e = assertThrows(CsvData.FormatException.class, () -> CsvData.read(x, y));
        String message = e.getMessage();
        assertTrue(message.contains("inputsX.csv") && message.contains("targetsY.csv") && message.contains("line 3")
                && message.contains("row count mismatch") && message.contains("3 rows") && message.contains("has 2"), message);
    }

    @Test
    void targetsFileMustHaveOneColumn() throws IOException {
        Path x = dir.resolve("X.csv");
        Path y = dir.resolve("wideY.csv");
        Files.writeString(x, "1,2\n3,4\n");
        Files.writeString(y, "1,0\n2,0\n");
        String message = assertThrows(CsvData.FormatException.class, () -> CsvData.read(x, y)).getMessage();
        assertTrue(message.contains("wideY.csv") && message.contains("line 1") && message.contains("expected 1 column"), message);
    }

    @Test
    void writeReplacesAnExistingFileWhole() throws IOException {
        Path file = dir.resolve("replace.csv");
        Files.writeString(file, "a much longer previous content that must not survive in any part\n".repeat(20));
        CsvData.writeTable(file, new CsvData.Table(new double[] {1.5, -2}, 1, 2));
        assertEquals("1.5,-2.0\n", Files.readString(file));
    }

    @Test
    void failedWriteReportsThePathAndLeavesNoFileBehind() throws IOException {
        // The target is a non-empty directory: the final rename must fail
        Path occupied = dir.resolve("occupied.csv");
        Files.createDirectories(occupied.resolve("inside"));
        CsvData.Table table = new CsvData.Table(new double[] {1, 2, 3, 4}, 2, 2);
        IOException e = assertThrows(IOException.class, () -> CsvData.writeTable(occupied, table));
        assertTrue(e.getMessage().startsWith("cannot write " + occupied), e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(1, left.count(), "only the directory itself remains, no temporary file");
        }
        // The parent is a regular file: nothing can be created under it
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "x");
        Path under = plain.resolve("X.csv");
        IOException parent = assertThrows(IOException.class, () -> CsvData.writeTable(under, table));
        assertTrue(parent.getMessage().startsWith("cannot write " + under), parent.getMessage());
        assertEquals("x", Files.readString(plain));
    }

    @Test
    void invalidTableNamesTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CsvData.Table(new double[3], 2, 2))
                .getMessage().startsWith("values:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CsvData.Table(new double[] {Double.NaN}, 1, 1))
                .getMessage().startsWith("values:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CsvData.Table(new double[0], 0, 1))
                .getMessage().startsWith("rows, columns:"));
    }
}
