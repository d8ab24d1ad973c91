package twolayer.cli;

/**
 * A failure the user can fix, reported as one line on stderr. The exit code follows picocli: 2 for invalid
 * input (an option value out of range, a missing file, an output path that is empty or names a file where a
 * directory is needed), 1 for a run that failed (unreadable data, divergence, a failed write, including an output
 * directory that cannot be created or written).
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit code of invalid input (picocli's {@code exitCodeOnInvalidInput}). */
    static final int USAGE = 2;
    /** Exit code of a run that failed. */
    static final int RUNTIME = 1;

    private final int exitCode;

    private CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Invalid input; the message starts with the option it concerns, e.g. "--width: must be >= 1, got 0". */
    static CliException usage(String message) {
        return new CliException(message, USAGE);
    }

    /** A run that failed. */
    static CliException runtime(String message) {
        return new CliException(message, RUNTIME);
    }

    int exitCode() {
        return exitCode;
    }
}
