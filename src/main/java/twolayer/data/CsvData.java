package twolayer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Data sets as CSV: one row per point, cells separated by commas, no header, UTF-8 text.
 * <ul>
 *   <li>Two files: X.csv with d columns (the inputs) and y.csv with 1 column (the targets), the same number of
 *       rows ({@link #read(Path, Path)}, {@link #write(Path, Path, Dataset)}).</li>
 *   <li>One file with d + 1 columns, the last one the target ({@link #read(Path)}, {@link #write(Path, Dataset)}).</li>
 * </ul>
 * Reading accepts {@code \n} and {@code \r\n} line endings, a trailing newline, blanks around a cell, a UTF-8
 * byte-order mark and completely blank lines at the end of the file; anything else that is not a finite number
 * in a rectangular table is a {@link FormatException} naming the file, the line and (for a cell) the column,
 * both counted from 1. Writing uses {@link Double#toString(double)}, whose text parses back to the same double,
 * so a write-read round trip is bit-exact; each file is written atomically (a temporary file in the target's
 * directory, then renamed onto the target), so a failed write leaves no half-written file.
 */
public final class CsvData {

    /** A rectangular table of finite numbers: {@code rows} rows of {@code columns} cells, row-major. */
    public record Table(double[] values, int rows, int columns) {
        public Table {
            if (rows < 1 || columns < 1) {
                throw new IllegalArgumentException("rows, columns: must both be >= 1, got " + rows + ", " + columns);
            }
            if (values == null || values.length != (long) rows * columns) {
                throw new IllegalArgumentException("values: expected rows*columns = " + rows + "*" + columns
                        + " values, got " + (values == null ? "none" : values.length));
            }
            values = Args.finite(values, "values");
        }

        /** A copy of the values, (rows, columns) row-major. */
        @Override
        public double[] values() {
            return values.clone();
        }
    }

    /** A file that is readable but is not a table of finite numbers. */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path file;
        private final int line;
        private final int column;

        FormatException(Path file, int line, int column, String problem) {
            super(file + ": line " + line + (column > 0 ? ", column " + column : "") + ": " + problem);
            this.file = file;
            this.line = line;
            this.column = column;
        }

        /** The offending file. */
        public Path file() {
            return file;
        }

        /** The line, from 1. */
        public int line() {
            return line;
        }

        /** The column, from 1; 0 when the problem concerns the whole line or file. */
        public int column() {
            return column;
        }
    }

    private CsvData() {
    }

    /** Reads inputs from {@code xFile} (d columns) and targets from {@code yFile} (1 column). */
    public static Dataset read(Path xFile, Path yFile) throws IOException {
        Table x = readTable(xFile);
        Table y = readTable(yFile);
        if (y.columns() != 1) {
            throw new FormatException(yFile, 1, 2, "expected 1 column (the targets), found " + y.columns());
        }
        if (x.rows() != y.rows()) {
            Path longer = x.rows() > y.rows() ? xFile : yFile;
            throw new FormatException(longer, Math.min(x.rows(), y.rows()) + 1, 0, "row count mismatch: "
                    + xFile + " has " + x.rows() + " rows but " + yFile + " has " + y.rows());
        }
        return new Dataset(x.values(), y.values(), x.rows(), x.columns());
    }

    /** Reads one file whose first d columns are the inputs and whose last column is the target. */
    public static Dataset read(Path file) throws IOException {
        Table t = readTable(file);
        int n = t.rows();
        int d = t.columns() - 1;
        if (d < 1) {
            throw new FormatException(file, 1, 0, "expected at least 2 columns (d >= 1 inputs, then the target), found "
                    + t.columns());
        }
        double[] all = t.values(); // (n, d + 1)
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * (d + 1), x, i * d, d);
            y[i] = all[i * (d + 1) + d];
        }
        return new Dataset(x, y, n, d);
    }

    /** Writes the inputs to {@code xFile} (d columns) and the targets to {@code yFile} (1 column), each atomically. */
    public static void write(Path xFile, Path yFile, Dataset data) throws IOException {
        writeTable(xFile, new Table(data.x(), data.n(), data.d()));
        writeTable(yFile, new Table(data.y(), data.n(), 1));
    }

    /** Writes one file with the d inputs of each point followed by its target, atomically. */
    public static void write(Path file, Dataset data) throws IOException {
        int n = data.n();
        int d = data.d();
        double[] all = new double[n * (d + 1)]; // (n, d + 1)
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                all[i * (d + 1) + k] = data.x(i, k);
            }
            all[i * (d + 1) + d] = data.y(i);
        }
        writeTable(file, new Table(all, n, d + 1));
    }

    /** Reads a rectangular table of finite numbers. */
    public static Table readTable(Path file) throws IOException {
        try (BufferedReader in = new BufferedReader(
                // A Charset (not a decoder) replaces malformed bytes, so they surface as a bad cell with its position
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            return parse(file, in);
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

    /** Writes a table atomically, one row per line, each cell as {@link Double#toString(double)}. */
    public static void writeTable(Path file, Table table) throws IOException {
        AtomicFiles.write(file, stream -> {
            Writer out = new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8);
            double[] v = table.values;
            int columns = table.columns();
            for (int i = 0; i < table.rows(); i++) {
                for (int j = 0; j < columns; j++) {
                    if (j > 0) {
                        out.write(',');
                    }
                    out.write(Double.toString(v[i * columns + j]));
                }
                out.write('\n');
            }
            out.flush();
        });
    }

    private static Table parse(Path file, BufferedReader in) throws IOException {
        double[] values = new double[1024];
        int size = 0;
        int rows = 0;
        int columns = 0;
        int lineNo = 0;
        int firstBlank = 0; // the first of the blank lines seen since the last data row; 0 if none
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            // Blank lines are allowed only at the end: remember them until a data row proves otherwise
            if (line.isBlank()) {
                firstBlank = firstBlank == 0 ? lineNo : firstBlank;
                continue;
            }
            if (firstBlank != 0) {
                throw new FormatException(file, firstBlank, 0, "blank line inside the data (only trailing blank lines are allowed)");
            }
            // Split the row into cells and check it is as wide as the first
            String[] cells = line.split(",", -1);
            if (rows == 0) {
                columns = cells.length;
            } else if (cells.length != columns) {
                throw new FormatException(file, lineNo, 0, "ragged row: " + cells.length + " columns, but the first row has "
                        + columns);
            }
            if ((long) size + columns > Integer.MAX_VALUE - 8) {
                throw new FormatException(file, lineNo, 0, "too many values for one array");
            }
            if (size + columns > values.length) {
                values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * values.length, size + columns)));
            }
            for (int j = 0; j < columns; j++) {
                values[size++] = parseCell(file, lineNo, j + 1, cells[j]);
            }
            rows++;
        }
        if (rows == 0) {
            throw new FormatException(file, 1, 0, "file is empty: no data rows");
        }
        return new Table(Arrays.copyOf(values, size), rows, columns);
    }

    private static double parseCell(Path file, int line, int column, String raw) throws FormatException {
        String cell = raw.strip();
        if (cell.isEmpty()) {
            throw new FormatException(file, line, column, "empty cell; expected a number");
        }
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new FormatException(file, line, column, "'" + cell + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new FormatException(file, line, column, "'" + cell + "' is " + (Double.isNaN(v) ? "NaN" : "infinite")
                    + "; NaN and infinite values are rejected, every value must be finite");
        }
        // Java also accepts the type suffixes 1d and 1f; they are not CSV numbers
        char last = cell.charAt(cell.length() - 1);
        if (!Character.isDigit(last) && last != '.') {
            throw new FormatException(file, line, column, "'" + cell + "' is not a number");
        }
        return v;
    }
}
