package twolayer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import twolayer.data.CsvData;
import twolayer.data.Npy;
import twolayer.data.NpyArray;

/**
 * A table of numbers given to an option ({@code --x A.csv}, {@code --x A.npy}), read by its extension: {@code .csv}
 * with {@link CsvData#readTable}, {@code .npy} with {@link Npy#read} (a 2-d array of rows; for a column of values
 * also a 1-d one), and checked against the other files of the command. Every message names the option and the
 * file: a missing file or another extension is invalid input (exit 2); a file that is not a table of finite
 * numbers, or whose shape does not fit the others, is a run that failed (exit 1), as for {@code train}'s
 * {@code --x}/{@code --y}. See the baseline chapter, section "Data as .npy files".
 *
 * @param option the option, e.g. {@code --x}
 * @param file   the file as the user wrote it
 * @param table  its rows and columns
 * @param sha256 the SHA-256 checksum of the file's bytes, in hex, for the run record
 */
record TableOption(String option, Path file, CsvData.Table table, String sha256) {

    /** The file extensions read, lower case. */
    static final String ALLOWED_EXTENSIONS = ".csv, .npy";

    /** Reads the file given to {@code option}: a CSV table, or a 2-d .npy array, one row per point. */
    static TableOption read(String option, Path file) {
        return read(option, file, false, null);
    }

    /**
     * Reads a column of values: a CSV table of one column, or a .npy array of shape (n,) or (n, 1).
     *
     * @param what what a row holds, for messages: "one target per row"
     */
    static TableOption column(String option, Path file, String what) {
        TableOption t = read(option, file, true, what);
        t.oneColumn(what);
        return t;
    }

    private static TableOption read(String option, Path file, boolean column, String what) {
        if (!Files.exists(file)) {
            throw CliException.usage(option + ": no such file '" + file + "'");
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.usage(option + ": '" + file + "' is not a regular file");
        }
        boolean npy = isNpy(option, file);
        try {
            String sha256 = sha256(file);
            return new TableOption(option, file, npy ? npyTable(option, file, column, what) : CsvData.readTable(file),
                    sha256);
        } catch (IOException e) {
            // CsvData.FormatException and Npy.FormatException name the file and the problem in one line
            throw CliException.runtime(option + ": " + e.getMessage());
        }
    }

    /** Whether the file is .npy (else .csv), by its extension; any other is a usage error. */
    static boolean isNpy(String option, Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".npy") || lower.endsWith(".csv")) {
            return lower.endsWith(".npy");
        }
        int dot = name.lastIndexOf('.');
        throw CliException.usage(option + ": '" + file + "' has " + (dot < 0 ? "no extension" : "the extension '"
                + name.substring(dot) + "'") + "; allowed: " + ALLOWED_EXTENSIONS + " (the extension says the format)");
    }

    /** A .npy array as a table: (n, d) is n rows of d; a column may also be (n,). Every value must be finite. */
    private static CsvData.Table npyTable(String option, Path file, boolean column, String what) throws IOException {
        NpyArray a = Npy.requireFinite(file, Npy.read(file));
        int[] shape = a.shape();
        boolean fits = shape.length == 2 || (column && shape.length == 1);
        int rows = fits ? shape[0] : 0, columns = shape.length == 2 ? shape[1] : 1;
        if (!fits || rows < 1 || columns < 1) {
            String expected = column ? "(n,) or (n, 1) with n >= 1: " + what : "(n, d) with n, d >= 1: one row per point";
            throw CliException.runtime(option + ": '" + file + "' has shape " + Npy.pythonShape(shape) + "; expected "
                    + expected);
        }
        return new CsvData.Table(a.data(), rows, columns);
    }

    /** The SHA-256 checksum of a file's bytes, lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int k; (k = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, k);
            }
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** What the run record says about the file: its path, format, rows, columns and checksum. */
    Map<String, Object> description() {
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("file", file.toString());
        about.put("format", file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy") ? "npy" : "csv");
        about.put("rows", rows());
        about.put("columns", columns());
        about.put("sha256", sha256);
        return about;
    }

    int rows() {
        return table.rows();
    }

    int columns() {
        return table.columns();
    }

    /** The values, (rows, columns) row-major. */
    double[] values() {
        return table.values();
    }

    /** "--x 'A.csv'", for messages. */
    String shown() {
        return option + " '" + file + "'";
    }

    /** Requires as many columns as {@code other} has: both hold points of the same dimension. */
    void sameColumns(TableOption other, String what) {
        if (columns() != other.columns()) {
            throw CliException.runtime(option + ": '" + file + "' has " + count(columns(), "column") + " but "
                    + other.shown() + " has " + other.columns() + "; " + what);
        }
    }

    /** Requires as many rows as {@code other} has: one row per point of it. */
    void sameRows(TableOption other, String what) {
        if (rows() != other.rows()) {
            throw CliException.runtime(option + ": '" + file + "' has " + count(rows(), "row") + " but "
                    + other.shown() + " has " + other.rows() + "; " + what);
        }
    }

    /** Requires a single column. */
    void oneColumn(String what) {
        if (columns() != 1) {
            throw CliException.runtime(option + ": '" + file + "' has " + count(columns(), "column") + "; expected 1 ("
                    + what + ")");
        }
    }

    private static String count(int k, String noun) {
        return k + " " + noun + (k == 1 ? "" : "s");
    }

    /** A table as CSV text: one row per line, cells as {@link Double#toString(double)}, which parses back exactly. */
    static String csv(double[] values, int rows, int columns) {
        StringBuilder out = new StringBuilder(rows * columns * 20);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                if (j > 0) {
                    out.append(',');
                }
                out.append(Double.toString(values[i * columns + j]));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
