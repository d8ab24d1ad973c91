package twolayer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import twolayer.data.AtomicFiles;

/**
 * The {@code --out FILE} of a command that writes one file, checked before the work and written all at once after
 * it (the one-file counterpart of {@link OutputDir}).
 * <ol>
 *   <li>{@link #prepare}: the file must not be a directory and its directory must exist and be writable (proved with
 *       a probe file that is deleted again), so a bad {@code --out} fails before any computing.</li>
 *   <li>{@link #commit}: writes a temporary file beside the target and renames it onto the target
 *       ({@link AtomicFiles}); if that fails, the temporary file is deleted and the target is untouched.</li>
 * </ol>
 */
final class OutputFile {
    private final Path target;
    private final String option;
    private final String shown;

    private OutputFile(Path target, String option, String shown) {
        this.target = target;
        this.option = option;
        this.shown = shown;
    }

    /**
     * Checks that {@code file} can be written. An empty name, a directory or a missing directory is invalid input
     * (exit 2); a directory that cannot be written is a failed write (exit 1); both name {@code option}.
     */
    static OutputFile prepare(Path file, String option) {
        String shown = file.toString();
        if (shown.isBlank()) {
            throw CliException.usage(option + ": must be a file name, got an empty one");
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw CliException.usage(option + ": '" + shown + "' is a directory; give a file name");
        }
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw CliException.usage(option + ": the directory of '" + shown + "' does not exist");
        }
        try {
            Path probe = Files.createTempFile(dir, ".twolayer-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw CliException.runtime(option + ": cannot write '" + shown + "': directory not writable ("
                    + OutputDir.reason(e) + ")");
        }
        return new OutputFile(absolute, option, shown);
    }

    /** Writes the content, all or nothing. */
    void commit(byte[] content) {
        Path tmp = null;
        try {
            tmp = AtomicFiles.stage(target);
            Files.write(tmp, content);
            AtomicFiles.publish(tmp, target);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the error that made us clean up is the one reported
                }
            }
            throw CliException.runtime(option + ": cannot write '" + shown + "': " + OutputDir.reason(e)
                    + "; nothing was written");
        }
    }

    /** The path as the user wrote it. */
    String shown() {
        return shown;
    }
}
