package twolayer.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Arrays of doubles as NumPy {@code .npy} files, read and written. A file is a preamble, a header and the data:
 * <ul>
 *   <li>the magic string {@code \x93NUMPY}, then the format version as two bytes, major and minor: 1.0, 2.0 or 3.0;</li>
 *   <li>the header length, little-endian unsigned: 2 bytes in version 1.0, 4 bytes in 2.0 and 3.0;</li>
 *   <li>the header, a Python dict literal such as {@code {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }},
 *       Latin-1 text (UTF-8 in version 3.0), padded with spaces and ended by a newline so that the data start at a
 *       multiple of 64 bytes (of 16 in old files; the reader does not insist on either);</li>
 *   <li>the {@code prod(shape)} values, nothing before and nothing after them.</li>
 * </ul>
 * {@link #read} takes the dtypes {@code '<f8'}, {@code '>f8'}, {@code '<f4'}, {@code '>f4'} (little- or
 * big-endian float64 or float32; a float32 is widened exactly) in C or Fortran order and any number of axes; a
 * Fortran-order file (the first index fastest) is put into C order, so {@link NpyArray#data()} is always row-major.
 * {@code '=f8'} (the writer's native order) and {@code '|f8'} are refused: the file does not say which byte order
 * was meant. Any other file (wrong magic, version, header, dtype, order or shape, fewer data bytes than the shape
 * needs, bytes after the data) is a {@link FormatException} whose one-line message names the file, what was
 * found and what is allowed. NaN and infinite values are read as they are; {@link #requireFinite} refuses them.
 * {@link #write} writes {@code '<f8'} in C order, version 1.0 (2.0 only if the header does not fit 65535 bytes),
 * with the header NumPy itself writes for the array, so the file is byte-for-byte what {@code numpy.save} of
 * NumPy 2.4 makes (the version the test fixtures come from);
 * it is written atomically with {@link AtomicFiles}. See the baseline chapter, section "Data as .npy files".
 *
 * <p>Why not a library: Maven Central's {@code org.jetbrains.bio:npy} 0.3.5 (which also brings the 1.5 MB Kotlin
 * standard library) refuses Fortran-order arrays and version 3.0 headers, fails on 0-d arrays with "Empty array
 * can't be reduced", reads a truncated file as if it ended in zeros, throws an {@code IndexOutOfBoundsException}
 * on trailing bytes and a {@code ClassCastException} on an int64 file asked for doubles. The format is small
 * enough to read strictly here.
 */
public final class Npy {

    /** A file that is readable but is not a {@code .npy} array this reader takes. */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path file;

        FormatException(Path file, String problem) {
            super(file + ": " + problem);
            this.file = file;
        }

        /** The offending file. */
        public Path file() {
            return file;
        }
    }

    /** The dtypes read; float32 values are widened to double, which is exact. */
    private enum Dtype {
        F8_LITTLE("<f8", 8, ByteOrder.LITTLE_ENDIAN), F8_BIG(">f8", 8, ByteOrder.BIG_ENDIAN),
        F4_LITTLE("<f4", 4, ByteOrder.LITTLE_ENDIAN), F4_BIG(">f4", 4, ByteOrder.BIG_ENDIAN);

        final String descr;
        final int bytes;
        final ByteOrder order;

        Dtype(String descr, int bytes, ByteOrder order) {
            this.descr = descr;
            this.bytes = bytes;
            this.order = order;
        }
    }

    private static final String ALLOWED_DTYPES = "allowed: '<f8', '>f8', '<f4', '>f4' (little- or big-endian float64"
            + " or float32)";
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    /** The largest Java array. */
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;
    /** NumPy leaves room for the first axis to grow to this many digits in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private Npy() {
    }

    /** What a header says. */
    record Header(String descr, boolean fortranOrder, int[] shape) {
    }

    /**
     * Reads an array.
     *
     * @throws FormatException if the file is not a {@code .npy} array of float64 or float32 values
     * @throws IOException     naming the file if it cannot be read
     */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, in);
        } catch (FormatException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static NpyArray read(Path file, FileChannel in) throws IOException {
        long size = in.size();
        // Preamble: magic, version, header length
        ByteBuffer pre = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(in, pre);
        if (pre.position() < 8 || !startsWithMagic(pre)) {
            throw new FormatException(file, "not a .npy file: it starts with " + hex(pre) + ", expected the magic"
                    + " string 93 4e 55 4d 50 59 (\\x93NUMPY), a version and a header");
        }
        int major = pre.get(6) & 0xff, minor = pre.get(7) & 0xff;
        if (minor != 0 || major < 1 || major > 3) {
            throw new FormatException(file, ".npy format version " + major + "." + minor + " is not supported;"
                    + " allowed: 1.0, 2.0, 3.0");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(in, lengthBytes);
        if (lengthBytes.hasRemaining()) {
            throw new FormatException(file, "truncated: the file ends inside the header length (" + size + " bytes)");
        }
        long headerLength = major == 1 ? lengthBytes.getShort(0) & 0xffffL : lengthBytes.getInt(0) & 0xffffffffL;
        long dataStart = 8 + lengthBytes.capacity() + headerLength;
        if (dataStart > size) {
            throw new FormatException(file, "truncated: the header length says " + headerLength + " bytes, but only "
                    + (size - 8 - lengthBytes.capacity()) + " follow the preamble");
        }

        // Header
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(in, headerBytes);
        Header h = parseHeader(file, decodeHeader(file, headerBytes.flip(), major));
        Dtype dtype = dtype(file, h.descr());
        long count = 1;
        for (int s : h.shape()) {
            count = Math.min(count * s, (long) MAX_VALUES + 1);
        }
        if (count > MAX_VALUES) {
            throw new FormatException(file, "shape " + pythonShape(h.shape()) + " has more values than one Java array"
                    + " holds; allowed: at most " + MAX_VALUES);
        }
        long need = count * dtype.bytes, found = size - dataStart;
        String what = "shape " + pythonShape(h.shape()) + " of '" + dtype.descr + "' needs " + need + " data bytes";
        if (found < need) {
            throw new FormatException(file, "truncated: " + what + ", found " + found);
        }
        if (found > need) {
            throw new FormatException(file, (found - need) + " trailing bytes: " + what + ", found " + found
                    + "; the file must end with the data");
        }

        // Data, in chunks of whole values
        double[] values = new double[(int) count];
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(dtype.order);
        for (int k = 0; k < count; ) {
            int n = (int) Math.min(chunk.capacity() / dtype.bytes, count - k);
            chunk.clear().limit(n * dtype.bytes);
            readFully(in, chunk);
            if (chunk.hasRemaining()) {
                throw new FormatException(file, "truncated while reading: the file shrank to fewer than " + need
                        + " data bytes");
            }
            chunk.flip();
            if (dtype.bytes == 8) {
                chunk.asDoubleBuffer().get(values, k, n);
            } else {
                FloatBuffer floats = chunk.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    values[k + i] = floats.get(i);
                }
            }
            k += n;
        }
        return new NpyArray(h.shape(), h.fortranOrder() ? fortranToC(values, h.shape()) : values);
    }

    /** The values of a Fortran-order listing (the first index fastest) in C order (the last index fastest). */
    static double[] fortranToC(double[] fortran, int[] shape) {
        int ndim = shape.length;
        if (ndim < 2 || fortran.length == 0) {
            return fortran;
        }
        int[] fStride = new int[ndim];
        fStride[0] = 1;
        for (int j = 1; j < ndim; j++) {
            fStride[j] = fStride[j - 1] * shape[j - 1];
        }
        double[] c = new double[fortran.length];
        int[] index = new int[ndim];
        int offset = 0; // sum_j index[j] * fStride[j]
        for (int k = 0; k < c.length; k++) {
            c[k] = fortran[offset];
            // Advance the C-order odometer, the last index fastest
            for (int j = ndim - 1; j >= 0; j--) {
                if (++index[j] < shape[j]) {
                    offset += fStride[j];
                    break;
                }
                offset -= (shape[j] - 1) * fStride[j];
                index[j] = 0;
            }
        }
        return c;
    }

    private static String decodeHeader(Path file, ByteBuffer bytes, int major) throws FormatException {
        if (major < 3) {
            return StandardCharsets.ISO_8859_1.decode(bytes).toString();
        }
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return text.toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(file, "the version 3.0 header is not valid UTF-8");
        }
    }

    private static Dtype dtype(Path file, String descr) throws FormatException {
        for (Dtype t : Dtype.values()) {
            if (t.descr.equals(descr)) {
                return t;
            }
        }
        String why = descr.startsWith("=") ? " ('=' is the writing machine's byte order, which the file does not"
                + " record)" : descr.startsWith("|") ? " ('|' is for one-byte types)" : "";
        throw new FormatException(file, "dtype '" + descr + "' is not supported" + why + "; " + ALLOWED_DTYPES);
    }

    // tag::data-npy-header[]
    /** Parses a header, a Python dict literal: {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }. */
    static Header parseHeader(Path file, String text) throws FormatException {
        HeaderScanner s = new HeaderScanner(file, text);
        Map<String, Object> dict = new LinkedHashMap<>();
        s.expect('{');
        while (!s.at('}')) {
            String key = s.string();
            s.expect(':');
            if (dict.put(key, s.value()) != null) {
                throw s.error("the key '" + key + "' appears twice");
            }
            if (!s.at('}')) {
                s.expect(',');              // a comma after the last entry is allowed, as in Python
            }
        }
        s.expect('}');
        s.end();                            // then only blanks, and the final newline
        if (!dict.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
            throw new FormatException(file, "header keys " + dict.keySet() + "; expected exactly descr,"
                    + " fortran_order, shape");
        }
        // end::data-npy-header[]
        if (!(dict.get("descr") instanceof String descr)) {
            throw new FormatException(file, "descr " + dict.get("descr") + " is not a string; " + ALLOWED_DTYPES);
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new FormatException(file, "fortran_order " + dict.get("fortran_order") + " is not True or False");
        }
        if (!(dict.get("shape") instanceof int[] shape)) {
            throw new FormatException(file, "shape " + dict.get("shape") + " is not a tuple of integers >= 0,"
                    + " such as (), (n,) or (n, d)");
        }
        return new Header(descr, fortran, shape);
    }

    /**
     * The tokens of a header: string literals, {@code True}, {@code False}, integers {@code >= 0} and tuples of
     * them; blanks between tokens are skipped. Every error quotes the header and the offending position.
     */
    private static final class HeaderScanner {
        private final Path file;
        private final String text;
        private int pos;

        HeaderScanner(Path file, String text) {
            this.file = file;
            this.text = text;
        }

        FormatException error(String problem) {
            return new FormatException(file, "header " + quoted(text) + ": " + problem + " (at character " + (pos + 1)
                    + "); expected a dict such as {'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }");
        }

        private void skipBlanks() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        boolean at(char c) {
            skipBlanks();
            return pos < text.length() && text.charAt(pos) == c;
        }

        void expect(char c) throws FormatException {
            if (!at(c)) {
                throw error("expected '" + c + "', found " + found());
            }
            pos++;
        }

        void end() throws FormatException {
            skipBlanks();
            if (pos < text.length()) {
                throw error("unexpected " + found() + " after the closing '}'");
            }
            if (!text.endsWith("\n")) {
                throw error("the header must end with a newline");
            }
        }

        private String found() {
            return pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
        }

        /** A string literal in single or double quotes, without escapes. */
        String string() throws FormatException {
            skipBlanks();
            char q = pos < text.length() ? text.charAt(pos) : 0;
            if (q != '\'' && q != '"') {
                throw error("expected a quoted key or string, found " + found());
            }
            int close = text.indexOf(q, pos + 1);
            int escape = text.indexOf('\\', pos + 1);
            if (close < 0 || (escape >= 0 && escape < close)) {
                throw error(close < 0 ? "unterminated string" : "escapes in strings are not supported");
            }
            String s = text.substring(pos + 1, close);
            pos = close + 1;
            return s;
        }

        /** A string, True or False, an integer, or a tuple of integers (an int[]). */
        Object value() throws FormatException {
            skipBlanks();
            if (at('\'') || at('"')) {
                return string();
            }
            if (at('(')) {
                return tuple();
            }
            for (String word : new String[] {"True", "False"}) {
                if (text.startsWith(word, pos) && !identifierAt(pos + word.length())) {
                    pos += word.length();
                    return word.equals("True");
                }
            }
            if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                return (long) integer();
            }
            throw error("expected a string, True, False, an integer or a tuple, found " + found());
        }

        private boolean identifierAt(int i) {
            return i < text.length() && Character.isJavaIdentifierPart(text.charAt(i));
        }

        /** (), (n,), (n, d), (n, d,): one entry needs its comma, else Python reads a number in parentheses. */
        private int[] tuple() throws FormatException {
            expect('(');
            List<Integer> items = new ArrayList<>();
            boolean comma = false;
            while (!at(')')) {
                items.add(integer());
                comma = at(',');
                if (comma) {
                    pos++;
                } else if (!at(')')) {
                    throw error("expected ',' or ')' in the shape, found " + found());
                }
            }
            if (items.size() == 1 && !comma) {
                throw error("(" + items.get(0) + ") is a number, not a tuple; a 1-d shape is written (n,)");
            }
            pos++;
            return items.stream().mapToInt(Integer::intValue).toArray();
        }

        /** A decimal integer >= 0 that fits an int, no leading zeros (as in Python 3). */
        private int integer() throws FormatException {
            skipBlanks();
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
                pos++;
            }
            String digits = text.substring(start, pos);
            if (digits.isEmpty()) {
                throw error("expected an integer >= 0, found " + found());
            }
            if (identifierAt(pos) || (digits.length() > 1 && digits.charAt(0) == '0')) {
                throw error("'" + digits + text.substring(pos, Math.min(pos + 1, text.length()))
                        + "' is not a decimal integer");
            }
            if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
                throw error(digits + " is larger than " + Integer.MAX_VALUE);
            }
            return Integer.parseInt(digits);
        }
    }

    /**
     * Refuses an array with a NaN or infinite value, naming the file and the first such value's index.
     *
     * @return {@code array}
     * @throws FormatException "FILE: value at index (i, j) is NaN; every value must be finite"
     */
    public static NpyArray requireFinite(Path file, NpyArray array) throws FormatException {
        for (int k = 0; k < array.size(); k++) {
            double v = array.at(k);
            if (!Double.isFinite(v)) {
                throw new FormatException(file, "value at index " + pythonShape(array.index(k)) + " is "
                        + (Double.isNaN(v) ? "NaN" : v > 0 ? "+inf" : "-inf") + "; every value must be finite");
            }
        }
        return array;
    }

    /** Writes an array as {@code '<f8'} in C order, atomically. */
    public static void write(Path file, NpyArray array) throws IOException {
        byte[] header = header(array.shape());
        AtomicFiles.write(file, out -> {
            out.write(header);
            writeData(out, array);
        });
    }

    /** The whole file {@link #write} writes. */
    public static byte[] encode(NpyArray array) {
        byte[] header = header(array.shape());
        ByteBuffer all = ByteBuffer.allocate(header.length + 8 * array.size()).order(ByteOrder.LITTLE_ENDIAN);
        all.put(header);
        for (int k = 0; k < array.size(); k++) {
            all.putDouble(array.at(k));
        }
        return all.array();
    }

    private static void writeData(OutputStream out, NpyArray array) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < array.size(); k++) {
            if (!chunk.hasRemaining()) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            chunk.putDouble(array.at(k));
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    /**
     * The preamble and header NumPy writes for a C-order float64 array: the dict with its keys sorted, room for
     * the first axis to grow, spaces so the data start at a multiple of 64 bytes, a newline; version 1.0 when the
     * header length fits two bytes, else 2.0.
     */
    static byte[] header(int[] shape) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': " + pythonShape(shape) + ", }"
                + (shape.length == 0 ? "" : " ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        int major = 1;
        int preamble = 10;
        int pad = ALIGN - (preamble + dict.length() + 1) % ALIGN;
        int headerLength = dict.length() + pad + 1;
        if (headerLength > 0xffff) {
            major = 2;
            preamble = 12;
            pad = ALIGN - (preamble + dict.length() + 1) % ALIGN;
            headerLength = dict.length() + pad + 1;
        }
        ByteBuffer b = ByteBuffer.allocate(preamble + headerLength).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) headerLength);
        } else {
            b.putInt(headerLength);
        }
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1)).put(" ".repeat(pad).getBytes(StandardCharsets.ISO_8859_1))
                .put((byte) '\n');
        return b.array();
    }

    /** A shape as Python writes a tuple: (), (3,), (2, 3). */
    public static String pythonShape(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int j = 0; j < shape.length; j++) {
            s.append(j > 0 ? ", " : "").append(shape[j]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static void readFully(FileChannel in, ByteBuffer b) throws IOException {
        while (b.hasRemaining() && in.read(b) >= 0) {
            // read until full or at the end of the file
        }
    }

    private static boolean startsWithMagic(ByteBuffer pre) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(ByteBuffer pre) {
        if (pre.position() == 0) {
            return "nothing (the file is empty)";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(pre.position(), MAGIC.length); i++) {
            s.append(i > 0 ? " " : "").append(String.format("%02x", pre.get(i) & 0xff));
        }
        return s.toString();
    }

    /** Text for a one-line message: control characters escaped, at most 100 characters. */
    private static String quoted(String text) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < text.length() && s.length() < 100; i++) {
            char c = text.charAt(i);
            s.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c < 0x20 ? String.format("\\x%02x",
                    (int) c) : String.valueOf(c));
        }
        return "\"" + (s.length() >= 100 ? s.substring(0, 100) + "..." : s.toString()) + "\"";
    }
}
