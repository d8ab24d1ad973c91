package twolayer.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build step that writes what the documentation site needs before Asciidoctor converts {@code docs/}:
 * the claims-ledger partials (from the tests' claim records) and the figures.
 *
 * <p>Run by the build at {@code prepare-package} (exec-maven-plugin) as
 * <pre>
 * SiteGenerator &lt;claims dir&gt; &lt;generated-docs dir&gt; &lt;figures dir&gt; [&lt;docs dir&gt; [&lt;run id&gt;]]
 * </pre>
 * with the claims directory {@code target/claims} (it may be missing: then the ledger pages say that no
 * records were found), the generated-docs directory {@code target/docs-generated} (the chapters' {@code {gendir}})
 * and {@code target/site/figures}, and optionally the chapters' directory {@code docs} (then each claim id links to
 * its chapter, each source to the bibliography, and a chapter without claims says so; see {@link DocsIndex}; and
 * the claims registry {@code docs/claims.txt} lists every claim, so one without a record shows as missing; and the
 * performance chapter's table and figure come from the committed {@code benchmarks/results} beside it), and the
 * build's run id, the one it gave its tests: only records of that run show pass or fail, any other is stale
 * ({@link LedgerPages}). Without a run id the newest run among the records is taken.
 * On any failure it throws with a message that names the file or directory;
 * run standalone, the JVM then exits with status 1.
 */
public final class SiteGenerator {

    private SiteGenerator() {}

    public static void main(String[] args) {
        if (args.length < 3 || args.length > 5) {
            throw new IllegalArgumentException("usage: SiteGenerator <claims dir> <generated-docs dir> <figures dir>"
                    + " [<docs dir> [<run id>]] (got " + args.length + " arguments)");
        }
        Path claimsDir = Path.of(args[0]);
        Path genDir = Path.of(args[1]);
        Path figuresDir = Path.of(args[2]);
        try {
            writableDirectory(genDir, "generated-docs");
            writableDirectory(figuresDir, "figures");
            DocsIndex docs = args.length >= 4 ? DocsIndex.read(Path.of(args[3]), LedgerPages.CHAPTERS) : DocsIndex.NONE;
            java.util.List<LedgerPages.RegisteredClaim> registry = args.length >= 4
                    ? LedgerPages.readRegistry(Path.of(args[3]).resolve("claims.txt")) : java.util.List.of();
            String runId = args.length == 5 && !args[4].isBlank() ? args[4].strip() : null;
            LedgerPages.Summary ledger = LedgerPages.writeAll(claimsDir, genDir, docs, registry, runId);
            // the repository root is the parent of docs/: the performance chapter reads benchmarks/results there,
            // the replications chapter results/
            Path root = args.length >= 4 ? Path.of(args[3]).toAbsolutePath().normalize().getParent() : null;
            Figures.writeAll(figuresDir, genDir, root == null ? null : root.resolve("benchmarks").resolve("results"),
                    root == null ? Path.of("results") : root.resolve("results"));
            PackageDiagram.writeAll(PackageGraph.read(classesDir()), figuresDir, genDir);
            System.out.printf("twolayer site: claims ledger of %d claims (%d pass, %d fail, %d stale, %d missing) in %d"
                    + " pages -> %s; figures -> %s%n", ledger.claims(), ledger.pass(), ledger.fail(), ledger.stale(),
                    ledger.missing(), ledger.pages(), genDir, figuresDir);
        } catch (IOException e) {
            String message = "twolayer site generation failed: " + e.getMessage();
            System.err.println(message);
            throw new IllegalStateException(message, e);
        }
    }

    /** The directory of twolayer's compiled classes, from which the package diagram is drawn. */
    private static Path classesDir() throws IOException {
        try {
            Path where = Path.of(SiteGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(where)) {
                throw new IOException("the package diagram needs the compiled classes as a directory, but they were"
                        + " loaded from " + where);
            }
            return where;
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the compiled classes: " + e.getMessage(), e);
        }
    }

    private static void writableDirectory(Path dir, String what) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the " + what + " directory " + dir + ": " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("the " + what + " directory " + dir + " is not writable");
        }
    }
}
