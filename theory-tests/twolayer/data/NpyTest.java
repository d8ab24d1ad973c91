package twolayer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Npy} against files NumPy wrote (theory-tests/twolayer/data/npy, made by make_fixtures.py there, whose arrays
 * are restated here), against files broken on purpose, and against itself: write then read returns every bit.
 */
class NpyTest {

    static final Path FIXTURES = Path.of("theory-tests", "twolayer", "data", "npy");

    /** The 2x3 matrix M of make_fixtures.py, row-major. */
    static final double[] M = {1.5, -2.0, 0.25, 3.0, 1e-300, -0.0};

    @TempDir
    Path tmp;

    static NpyArray fixture(String name) throws IOException {
        return Npy.read(FIXTURES.resolve(name));
    }

    /** T of make_fixtures.py: shape (2, 3, 4), value (i, j, k) = (12 i + 4 j + k) / 4, row-major. */
    static double[] t() {
        double[] t = new double[24];
        for (int k = 0; k < 24; k++) {
            t[k] = k / 4.0;
        }
        return t;
    }

    static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int k = 0; k < expected.length; k++) {
            assertEquals(Double.doubleToRawLongBits(expected[k]), Double.doubleToRawLongBits(actual[k]),
                    what + ": value " + k + " is " + actual[k] + ", expected " + expected[k]);
        }
    }

    // ---- Files NumPy wrote

    @Test
    void readsEveryByteOrderLayoutAndVersionNumPyWrites() throws IOException {
        for (String name : List.of("f8_le_2x3.npy", "f8_be_2x3.npy", "fortran_2x3.npy", "v2_2x3.npy", "v3_2x3.npy")) {
            NpyArray a = fixture(name);
            assertArrayEquals(new int[] {2, 3}, a.shape(), name);
            assertBits(M, a.data(), name);
        }
        NpyArray c3 = fixture("c_2x3x4.npy"), f3 = fixture("fortran_2x3x4.npy");
        assertArrayEquals(new int[] {2, 3, 4}, c3.shape());
        assertArrayEquals(new int[] {2, 3, 4}, f3.shape());
        assertBits(t(), c3.data(), "C-order 3-d");
        assertBits(t(), f3.data(), "Fortran-order 3-d, put into C order");
        assertEquals(5.5, f3.at(1 * 12 + 2 * 4 + 2), 0.0, "index (1, 2, 2) = 22 / 4");
    }

    @Test
    void readsScalarsVectorsAndFloat32() throws IOException {
        NpyArray s = fixture("scalar.npy");
        assertEquals(0, s.ndim());
        assertBits(new double[] {-7.25}, s.data(), "0-d");
        NpyArray v = fixture("vector_5.npy");
        assertArrayEquals(new int[] {5}, v.shape());
        assertBits(new double[] {0.0, 1.0, -1.0, 2.5, 1e300}, v.data(), "1-d");
        // float32 values are widened exactly: 0.1f is 0.100000001490116..., 1e-45f the smallest subnormal 2^-149
        NpyArray f4 = fixture("f4_le_3.npy");
        assertBits(new double[] {0.1f, -2.5, Math.scalb(1.0, -149)}, f4.data(), "<f4");
        NpyArray f4be = fixture("f4_be_2x2.npy");
        assertArrayEquals(new int[] {2, 2}, f4be.shape());
        assertBits(new double[] {0.5, -0.75, 1e30f, 7.0}, f4be.data(), ">f4");
    }

    @Test
    void readsNonFiniteValuesAndRequireFiniteNamesTheFirst() throws IOException {
        NpyArray a = fixture("specials.npy");
        double[] v = a.data();
        assertTrue(Double.isNaN(v[0]));
        assertBits(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
            Double.MAX_VALUE}, Arrays.copyOfRange(v, 1, 6), "specials");
        Path file = FIXTURES.resolve("specials.npy");
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.requireFinite(file, a)), file,
                "value at index (0,) is NaN; every value must be finite");

        double[] m = M.clone();
        m[5] = Double.NEGATIVE_INFINITY;
        Path named = Path.of("m.npy");
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.requireFinite(named, NpyArray.matrix(m, 2, 3))),
                named, "value at index (1, 2) is -inf; every value must be finite");
        NpyArray finite = fixture("f8_le_2x3.npy");
        assertEquals(finite, Npy.requireFinite(named, finite));
    }

    // ---- What Java writes is what NumPy writes

    @Test
    void writesTheBytesNumPyWrites() throws IOException {
        record Case(String file, NpyArray array) { }
        for (Case c : List.of(new Case("f8_le_2x3.npy", NpyArray.matrix(M, 2, 3)),
                new Case("c_2x3x4.npy", new NpyArray(new int[] {2, 3, 4}, t())),
                new Case("scalar.npy", new NpyArray(new int[0], new double[] {-7.25})),
                new Case("vector_5.npy", NpyArray.vector(new double[] {0.0, 1.0, -1.0, 2.5, 1e300})))) {
            byte[] numpy = Files.readAllBytes(FIXTURES.resolve(c.file()));
            assertArrayEquals(numpy, Npy.encode(c.array()), c.file() + ": encode");
            Path out = tmp.resolve(c.file());
            Npy.write(out, c.array());
            assertArrayEquals(numpy, Files.readAllBytes(out), c.file() + ": write");
        }
        // the data start at a multiple of 64 bytes and the header ends with a newline, as NumPy requires
        byte[] b = Npy.encode(NpyArray.vector(new double[] {1, 2, 3}));
        int headerEnd = 10 + (b[8] & 0xff | (b[9] & 0xff) << 8);
        assertEquals(0, headerEnd % 64);
        assertEquals('\n', b[headerEnd - 1]);
    }

    @Test
    void writeReplacesAFileAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path out = tmp.resolve("sub").resolve("a.npy");
        Npy.write(out, NpyArray.vector(new double[] {1, 2}));
        Npy.write(out, NpyArray.matrix(M, 3, 2));
        assertEquals(NpyArray.matrix(M, 3, 2), Npy.read(out));
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of("a.npy"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** Random shapes (0-d to 3-d, empty axes included) and values: every bit comes back. */
    @Test
    void roundTripIsBitExact() throws IOException {
        SplittableRandom random = new SplittableRandom(20240611L);
        double[] special = {-0.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
            -Double.MIN_NORMAL / 3, Double.MAX_VALUE, -1.0};
        for (int trial = 0; trial < 200; trial++) {
            int[] shape = new int[random.nextInt(4)];
            int count = 1;
            for (int j = 0; j < shape.length; j++) {
                shape[j] = random.nextInt(trial % 10 == 0 ? 0 : 1, 6);
                count *= shape[j];
            }
            double[] data = new double[count];
            for (int k = 0; k < count; k++) {
                long bits = random.nextLong();
                double v = Double.longBitsToDouble(bits);
                // a signalling NaN may be quieted by the hardware on the way; a quiet NaN keeps its payload
                data[k] = random.nextInt(4) == 0 ? special[random.nextInt(special.length)]
                        : Double.isNaN(v) ? Double.longBitsToDouble(bits | 0x0008_0000_0000_0000L) : v;
            }
            NpyArray a = new NpyArray(shape, data);
            Path file = tmp.resolve("r" + trial + ".npy");
            Npy.write(file, a);
            NpyArray back = Npy.read(file);
            assertArrayEquals(shape, back.shape(), "trial " + trial);
            assertBits(data, back.data(), "trial " + trial + " " + Arrays.toString(shape));
        }
    }

    /** A header too long for version 1.0's two length bytes is written as version 2.0, and read back. */
    @Test
    void aHeaderBeyond65535BytesIsWrittenAsVersion2() throws IOException {
        int[] shape = new int[22_000];
        Arrays.fill(shape, 1);
        NpyArray a = new NpyArray(shape, new double[] {Math.PI});
        byte[] b = Npy.encode(a);
        assertEquals(2, b[6]);
        int headerEnd = 12 + ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(0, headerEnd % 64);
        Path file = tmp.resolve("long.npy");
        Files.write(file, b);
        assertEquals(a, Npy.read(file));
        assertEquals(1, Npy.encode(NpyArray.vector(new double[] {1}))[6], "short headers stay version 1.0");
    }

    // ---- Headers NumPy would read, written differently

    @Test
    void acceptsOtherSpellingsOfAValidHeader() throws IOException {
        byte[] data = le(M);
        for (String header : List.of(
                "{\"shape\": (2, 3), \"fortran_order\": False, \"descr\": \"<f8\"}\n",   // other quotes and order
                "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3,)}    \n",    // no comma after the entry
                "{ 'descr' : '<f8' ,\n 'fortran_order' : False ,\t'shape' : ( 2 , 3 ) , }\n",
                "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }\n")) {    // not padded to 64
            Path file = npy("h.npy", 1, header.getBytes(StandardCharsets.ISO_8859_1), data);
            assertEquals(NpyArray.matrix(M, 2, 3), Npy.read(file), header);
        }
        // fortran_order on a 1-d array changes nothing
        Path file = npy("f.npy", 1, "{'descr': '<f8', 'fortran_order': True, 'shape': (6,), }\n".getBytes(
                StandardCharsets.ISO_8859_1), data);
        assertEquals(NpyArray.vector(M), Npy.read(file));
        // an empty array has no data bytes
        Path empty = npy("e.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 0), }\n".getBytes(
                StandardCharsets.ISO_8859_1), new byte[0]);
        assertEquals(new NpyArray(new int[] {2, 0}, new double[0]), Npy.read(empty));
    }

    // ---- Refused, with one line naming the file, what was found and what is allowed

    @Test
    void refusesInt64AndTruncatedFilesNumPyWrote() {
        Path i8 = FIXTURES.resolve("i8_3.npy");
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(i8)), i8,
                "dtype '<i8' is not supported; allowed: '<f8', '>f8', '<f4', '>f4' (little- or big-endian float64 or"
                        + " float32)");
        Path cut = FIXTURES.resolve("truncated_2x3.npy");
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(cut)), cut,
                "truncated: shape (2, 3) of '<f8' needs 48 data bytes, found 40");
    }

    static Stream<Arguments> broken() {
        String ok = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }\n";
        return Stream.of(
                Arguments.of("trailing bytes", 1, ok, 51, "3 trailing bytes: shape (2, 3) of '<f8' needs 48 data bytes,"
                        + " found 51; the file must end with the data"),
                Arguments.of("version 4.0", 4, ok, 48, ".npy format version 4.0 is not supported; allowed: 1.0, 2.0, 3.0"),
                Arguments.of("native byte order", 1, ok.replace("<f8", "=f8"), 48, "dtype '=f8' is not supported ('='"
                        + " is the writing machine's byte order, which the file does not record); allowed: '<f8'"),
                Arguments.of("not applicable byte order", 1, ok.replace("<f8", "|f8"), 48, "dtype '|f8' is not supported"
                        + " ('|' is for one-byte types); allowed:"),
                Arguments.of("complex", 1, ok.replace("<f8", "<c16"), 48, "dtype '<c16' is not supported; allowed:"),
                Arguments.of("structured", 1, ok.replace("'<f8'", "[('a', '<f8')]"), 48, "expected a string, True,"
                        + " False, an integer or a tuple, found '['"),
                Arguments.of("missing key", 1, "{'descr': '<f8', 'shape': (2, 3), }\n", 48,
                        "header keys [descr, shape]; expected exactly descr, fortran_order, shape"),
                Arguments.of("extra key", 1, ok.replace("}", "'x': 1, }"), 48,
                        "header keys [descr, fortran_order, shape, x]; expected exactly"),
                Arguments.of("twice", 1, ok.replace("}", "'shape': (6,), }"), 48, "the key 'shape' appears twice"),
                Arguments.of("order not bool", 1, ok.replace("False", "0"), 48, "fortran_order 0 is not True or False"),
                Arguments.of("order as text", 1, ok.replace("False", "'C'"), 48, "fortran_order C is not True or False"),
                Arguments.of("shape not a tuple", 1, ok.replace("(2, 3)", "(6)"), 48,
                        "(6) is a number, not a tuple; a 1-d shape is written (n,)"),
                Arguments.of("negative shape", 1, ok.replace("(2, 3)", "(-2, 3)"), 48,
                        "expected an integer >= 0, found '-'"),
                Arguments.of("list shape", 1, ok.replace("(2, 3)", "[2, 3]"), 48, "found '['"),
                Arguments.of("float shape", 1, ok.replace("(2, 3)", "(2.0, 3)"), 48, "expected ',' or ')' in the shape,"
                        + " found '.'"),
                Arguments.of("no newline", 1, ok.strip() + "   ", 48, "the header must end with a newline"),
                Arguments.of("after the dict", 1, ok.replace("}\n", "} x\n"), 48, "unexpected 'x' after the closing '}'"),
                Arguments.of("not a dict", 1, "('<f8', False, (2, 3))\n", 48, "expected '{', found '('"),
                Arguments.of("huge", 1, ok.replace("(2, 3)", "(100000, 100000)"), 48, "shape (100000, 100000) has more"
                        + " values than one Java array holds; allowed: at most 2147483639"),
                Arguments.of("too large an axis", 1, ok.replace("(2, 3)", "(2, 3000000000)"), 48,
                        "3000000000 is larger than 2147483647"),
                Arguments.of("invalid UTF-8 in 3.0", 3, ok.replace("<f8", "<f8\u00ff"), 48,
                        "the version 3.0 header is not valid UTF-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void refusesABrokenFileInOneLine(String name, int major, String header, int dataBytes, String expected)
            throws IOException {
        // Latin-1 bytes: in a 3.0 header the lone byte 0xff is not UTF-8
        Path file = npy(name.replace(' ', '_') + ".npy", major, header.getBytes(StandardCharsets.ISO_8859_1),
                Arrays.copyOf(le(M), dataBytes));
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(file)), file, expected);
    }

    @Test
    void version3HeadersAreUtf8AndOthersLatin1() throws IOException {
        String header = "{'descr': '\u00e9', 'fortran_order': False, 'shape': (2, 3), }\n";
        Path v3 = npy("v3.npy", 3, header.getBytes(StandardCharsets.UTF_8), le(M));
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(v3)), v3,
                "dtype '\u00e9' is not supported");
        Path v1 = npy("v1.npy", 1, header.getBytes(StandardCharsets.UTF_8), le(M));
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(v1)), v1,
                "dtype '\u00c3\u00a9' is not supported");
    }

    @Test
    void refusesWhatIsNotANpyFile() throws IOException {
        Path zip = Files.write(tmp.resolve("a.npy"), new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0});
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(zip)), zip,
                "not a .npy file: it starts with 50 4b 03 04 14 00, expected the magic string 93 4e 55 4d 50 59");
        Path empty = Files.write(tmp.resolve("empty.npy"), new byte[0]);
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(empty)), empty,
                "not a .npy file: it starts with nothing (the file is empty)");
        Path minor = npy("minor.npy", 1, "{}\n".getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
        byte[] b = Files.readAllBytes(minor);
        b[7] = 1;
        Files.write(minor, b);
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(minor)), minor,
                "version 1.1 is not supported; allowed: 1.0, 2.0, 3.0");
        Path cutHeader = Files.write(tmp.resolve("cut.npy"), Arrays.copyOf(
                Files.readAllBytes(FIXTURES.resolve("f8_le_2x3.npy")), 50));
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(cutHeader)), cutHeader,
                "truncated: the header length says 118 bytes, but only 40 follow the preamble");
        Path cutLength = Files.write(tmp.resolve("cutlen.npy"), Arrays.copyOf(
                Files.readAllBytes(FIXTURES.resolve("v2_2x3.npy")), 10));
        assertMessage(assertThrows(Npy.FormatException.class, () -> Npy.read(cutLength)), cutLength,
                "truncated: the file ends inside the header length (10 bytes)");
        Path none = tmp.resolve("none.npy");
        IOException e = assertThrows(IOException.class, () -> Npy.read(none));
        assertFalse(e instanceof Npy.FormatException);
        assertEquals("cannot read " + none + ": no such file", e.getMessage());
    }

    @Test
    void arraysCheckTheirShape() {
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {2, 3}, new double[5]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {-1}, new double[0]));
        assertEquals(1, new NpyArray(new int[0], new double[] {3}).size());
        assertArrayEquals(new int[] {1, 2, 3}, new NpyArray(new int[] {2, 3, 4}, t()).index(12 + 8 + 3));
    }

    // ---- Helpers

    /** One line: "FILE: problem", containing {@code expected}. */
    static void assertMessage(Exception e, Path file, String expected) {
        String m = e.getMessage();
        assertTrue(m.startsWith(file + ": "), "names the file: " + m);
        assertTrue(m.contains(expected), "expected '" + expected + "' in: " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
    }

    /** Values as little-endian float64 bytes. */
    static byte[] le(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    /** A file with the given version, header bytes (as they are: no padding added) and data bytes. */
    Path npy(String name, int major, byte[] header, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer length = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            length.putShort((short) header.length);
        } else {
            length.putInt(header.length);
        }
        out.write(length.array());
        out.write(header);
        out.write(data);
        return Files.write(tmp.resolve(name), out.toByteArray());
    }
}
