package twolayer.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import twolayer.data.AtomicFiles;

/**
 * The {@code --out} directory of a run, checked before the run and written all at once after it.
 * <ol>
 *   <li>{@link #prepare}: creates the directory (and missing parents) and proves it writable with a probe file
 *       that is deleted again, so a bad {@code --out} fails before any training time is spent.</li>
 *   <li>{@link #commit}: writes every file (a name may have subdirectories, {@code params/a.npy}) to a
 *       temporary file beside its target, then renames each onto its target ({@code ATOMIC_MOVE}; a plain {@code REPLACE_EXISTING} move where the file system cannot do
 *       that). If anything fails, the temporary files, any file already moved and any subdirectory it created are
 *       deleted, so a failed run leaves no partial output.</li>
 *   <li>{@link #abandon}: after a failed run, removes the directories {@code prepare} created if they are still
 *       empty.</li>
 * </ol>
 */
final class OutputDir {
    private final Path dir;
    private final String shown;          // the path as the user wrote it, for messages
    private final List<Path> created;    // directories prepare() created, outermost first

    private OutputDir(Path dir, String shown, List<Path> created) {
        this.dir = dir;
        this.shown = shown;
        this.created = created;
    }

    /**
     * Creates and checks the directory. An empty name or a path that exists as a file is invalid input (exit 2); a
     * directory that cannot be created or written is a failed write (exit 1, as the commands' help says); both name
     * {@code option}.
     */
    static OutputDir prepare(Path dir, String option) {
        String shown = dir.toString();
        if (shown.isBlank()) {
            // Path.of("") is the current directory: a command would silently write its files there
            throw CliException.usage(option + ": must be a directory name, got an empty one");
        }
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw CliException.usage(option + ": '" + shown + "' exists and is not a directory");
        }
        // Remember which directories are new, so that a failed run can remove them again
        List<Path> missing = new ArrayList<>();
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        OutputDir out = new OutputDir(absolute, shown, missing);
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            out.abandon();
            throw CliException.runtime(option + ": cannot create directory '" + shown + "': " + reason(e));
        }
        try {
            Path probe = Files.createTempFile(absolute, ".twolayer-probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            out.abandon();
            throw CliException.runtime(option + ": directory '" + shown + "' is not writable: " + reason(e));
        }
        return out;
    }

    /**
     * Refuses, before any work, a directory that holds anything but what {@code ours} accepts (a relative path
     * such as {@code params/a.npy}; a subdirectory is looked into): a run writing there would mix its files with
     * others'. A missing or empty directory passes.
     *
     * @param fix what the user can do, for the message
     */
    static void requireOnly(Path dir, String option, java.util.function.Predicate<String> ours, String fix) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        String other = firstOther(dir, dir, ours);
        if (other != null) {
            throw CliException.usage(option + ": '" + dir + "' holds '" + other + "', which is not the output of "
                    + fix);
        }
    }

    private static String firstOther(Path root, Path dir, java.util.function.Predicate<String> ours) {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries.sorted()::iterator) {
                String name = root.relativize(p).toString().replace('\\', '/');
                if (Files.isDirectory(p) && ours.test(name + "/")) {
                    String inner = firstOther(root, p, ours);
                    if (inner != null) {
                        return inner;
                    }
                } else if (!ours.test(name)) {
                    return name + (Files.isDirectory(p) ? "/" : "");
                }
            }
            return null;
        } catch (IOException e) {
            throw CliException.usage("cannot list '" + dir + "': " + reason(e));
        }
    }

    /** Writes the files (name -> content) into the directory, all or none. */
    void commit(Map<String, byte[]> files) {
        Map<Path, Path> staged = new LinkedHashMap<>(); // temporary file -> target
        List<Path> moved = new ArrayList<>();
        List<Path> madeDirs = new ArrayList<>();        // subdirectories this commit created, outermost first
        try {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path target = dir.resolve(f.getKey()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IllegalArgumentException("file name '" + f.getKey() + "' leaves the directory");
                }
                List<Path> missing = new ArrayList<>();
                for (Path p = target.getParent(); !p.equals(dir) && !Files.exists(p); p = p.getParent()) {
                    missing.add(0, p);
                }
                Path tmp = AtomicFiles.stage(target);
                madeDirs.addAll(missing);
                staged.put(tmp, target);
                Files.write(tmp, f.getValue());
            }
            for (Map.Entry<Path, Path> s : staged.entrySet()) {
                AtomicFiles.publish(s.getKey(), s.getValue());
                moved.add(s.getValue());
            }
        } catch (IOException e) {
            for (Path p : staged.keySet()) {
                deleteQuietly(p);
            }
            for (Path p : moved) {
                deleteQuietly(p);
            }
            for (int i = madeDirs.size() - 1; i >= 0; i--) {
                deleteQuietly(madeDirs.get(i));
            }
            throw CliException.runtime("cannot write into '" + shown + "': " + reason(e) + "; no files were written");
        }
    }

    /**
     * Deletes the files among {@code candidates} (relative names) that exist but were not just written, and a
     * subdirectory left empty by that: what an earlier run left that this run does not replace. Best effort.
     */
    void removeStale(java.util.Collection<String> candidates, java.util.Set<String> written) {
        for (String name : candidates) {
            if (!written.contains(name)) {
                Path p = dir.resolve(name);
                deleteQuietly(p);
                Path parent = p.getParent();
                if (parent != null && !parent.equals(dir)) {
                    deleteQuietly(parent);   // only succeeds when empty
                }
            }
        }
    }

    /** Removes the directories that {@link #prepare} created, innermost first, as long as they are empty. */
    void abandon() {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (IOException e) {
                return; // not empty (or not ours to remove): leave it and everything above it
            }
        }
    }

    /** The path as the user wrote it, with a file name appended. */
    String shown(String file) {
        return Path.of(shown).resolve(file).toString();
    }

    /** A short reason for an I/O failure, without the stack of exception class names. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "'" + f.getFile() + "' exists and is not a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the error that made us clean up is the one reported
        }
    }
}
