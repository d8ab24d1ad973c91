package twolayer.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files so that a reader never sees a half-written one: the content goes to a temporary file in
 * the target's own directory, which is then renamed onto the target ({@code ATOMIC_MOVE}; where the file
 * system cannot do that, a plain {@code REPLACE_EXISTING} move). Every file the project writes (CSV data, the
 * CLI's results, the site's figures and ledger pages) goes through here; {@link #stage} and {@link #publish}
 * let a caller write several files and publish them together.
 */
public final class AtomicFiles {

    /** Writes the content of a file to the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes {@code target} atomically, creating its parent directories.
     *
     * @throws IOException naming the file if the directory cannot be created or the file cannot be written
     */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path tmp;
        try {
            tmp = stage(absolute);
        } catch (IOException e) {
            throw new IOException("cannot write " + absolute + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            publish(tmp, absolute);
        } catch (IOException e) {
            throw new IOException("cannot write " + absolute + ": " + e, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Creates the target's directory and an empty, readable temporary file beside the target, to be written and
     * then {@linkplain #publish published}; the caller deletes it if anything fails.
     *
     * @throws IOException naming the directory if it cannot be created or written
     */
    public static Path stage(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create directory " + dir + ": " + e, e);
        }
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new IOException("cannot write in directory " + dir + ": " + e, e);
        }
        try {
            // a temporary file is private (rw-------); the result is a normal readable file
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep its default permissions
        }
        return tmp;
    }

    /** Renames a staged temporary file onto its target, atomically where the file system can. */
    public static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code text} as UTF-8 to {@code target}, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
