package twolayer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import twolayer.data.CsvData;

/**
 * A CSV table given to an option ({@code --x A.csv}), read with {@link CsvData#readTable} and checked against the
 * other files of the command. Every message names the option and the file: a missing file is invalid input (exit
 * 2); a file that is not a table of finite numbers, or whose shape does not fit the others, is a run that failed
 * (exit 1), as for {@code train}'s {@code --x}/{@code --y}.
 *
 * @param option the option, e.g. {@code --x}
 * @param file   the file as the user wrote it
 * @param table  its rows and columns
 */
record CsvOption(String option, Path file, CsvData.Table table) {

    /** Reads the file given to {@code option}. */
    static CsvOption read(String option, Path file) {
        if (!Files.exists(file)) {
            throw CliException.usage(option + ": no such file '" + file + "'");
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.usage(option + ": '" + file + "' is not a regular file");
        }
        try {
            return new CsvOption(option, file, CsvData.readTable(file));
        } catch (CsvData.FormatException e) {
            throw CliException.runtime(option + ": " + e.getMessage());
        } catch (IOException e) {
            throw CliException.runtime(option + ": " + e.getMessage());
        }
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
    void sameColumns(CsvOption other, String what) {
        if (columns() != other.columns()) {
            throw CliException.runtime(option + ": '" + file + "' has " + count(columns(), "column") + " but "
                    + other.shown() + " has " + other.columns() + "; " + what);
        }
    }

    /** Requires as many rows as {@code other} has: one row per point of it. */
    void sameRows(CsvOption other, String what) {
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
