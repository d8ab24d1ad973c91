package twolayer.site;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * The package graph of twolayer as compiled, and the layering rule it must keep (architecture chapter, section
 * "Packages and what each may import"). The graph is read from the class files by the JDK's {@code jdeps}, so the
 * architecture chapter's diagram and table, which the build draws from it, cannot drift from the code; a test
 * checks the rule on every build.
 *
 * <p>The rule: the packages form the {@link #LAYERS} below, bottom first; a package may use packages of lower
 * layers only, never one of its own layer (so no chapter package uses another chapter's) nor a higher one.
 */
public final class PackageGraph {

    /**
     * The layers, bottom first. A chapter's package is {@code twolayer.chapter.<name>}; every such package is in
     * the chapters' layer.
     */
    // tag::site-layers[]
    public static final List<List<String>> LAYERS = List.of(
            List.of("twolayer.linalg"),                    // dense products with SIMD and scalar twins
            List.of("twolayer.model"),                     // the network, its parameterisations, sums
            List.of("twolayer.data"),                      // data sets, CSV and .npy files
            List.of("twolayer.kernel"),                    // empirical, analytic and intrinsic kernels
            List.of("twolayer.dynamics"),                  // every trainer, one contract
            List.of("twolayer.measure"),                   // diagnostics, certificates, fits
            List.of("twolayer.plot"),                      // the chart toolkit
            List.of("twolayer.run"),                       // train's back-end, runs shared by chapters
            List.of("twolayer.conformance"),               // the conformance vectors (they replay train's records)
            List.of("twolayer.chapter.*"),                 // one package per chapter: experiments, figures
            List.of("twolayer.site", "twolayer.cli"));     // the site generator; the command line
    // end::site-layers[]

    private static final Pattern EDGE = Pattern.compile("^\\s+(twolayer[\\w.]*)\\s+->\\s+(twolayer[\\w.]*)\\s");

    private final Map<String, Set<String>> uses;

    private PackageGraph(Map<String, Set<String>> uses) {
        this.uses = uses;
    }

    /**
     * Reads the graph of the classes under {@code classes} with jdeps ({@code -verbose:package}, twolayer's own
     * packages only).
     *
     * @throws IOException if jdeps is missing (a JRE without the JDK tools) or fails
     */
    public static PackageGraph read(Path classes) throws IOException {
        Optional<ToolProvider> jdeps = ToolProvider.findFirst("jdeps");
        if (jdeps.isEmpty()) {
            throw new IOException("jdeps is not available: the package graph needs a JDK, not a JRE");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = jdeps.get().run(o, e, "-verbose:package", "-e", "twolayer\\..*", classes.toString());
        }
        if (code != 0) {
            throw new IOException("jdeps failed on " + classes + " (exit " + code + "): "
                    + err.toString(StandardCharsets.UTF_8).strip());
        }
        Map<String, Set<String>> uses = new TreeMap<>();
        try (var packages = Files.walk(classes)) {
            packages.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p.getParent()).toString().replace(java.io.File.separatorChar, '.'))
                    .forEach(p -> uses.computeIfAbsent(p, k -> new TreeSet<>()));
        }
        for (String line : out.toString(StandardCharsets.UTF_8).split("\\R")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                uses.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return new PackageGraph(uses);
    }

    /** Every package, with the twolayer packages it uses (itself excluded), in name order. */
    public Map<String, Set<String>> uses() {
        return uses;
    }

    /** The layer of a package (0 = bottom), or -1 if it is in none. */
    public static int layer(String pkg) {
        for (int k = 0; k < LAYERS.size(); k++) {
            for (String entry : LAYERS.get(k)) {
                if (entry.endsWith(".*") ? pkg.startsWith(entry.substring(0, entry.length() - 1))
                        : pkg.equals(entry)) {
                    return k;
                }
            }
        }
        return -1;
    }

    /** Every breach of the layering rule, one line each ("a uses b: ..."); empty when the rule holds. */
    public List<String> violations() {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : uses.entrySet()) {
            int from = layer(e.getKey());
            if (from < 0) {
                found.add(e.getKey() + " is in no layer: add it to PackageGraph.LAYERS and to the architecture"
                        + " chapter");
                continue;
            }
            for (String target : e.getValue()) {
                int to = layer(target);
                if (to == from) {
                    found.add(e.getKey() + " uses " + target + ": packages of one layer must not use each other");
                } else if (to > from) {
                    found.add(e.getKey() + " uses " + target + ": a lower layer must not use a higher one");
                }
            }
        }
        return found;
    }
}
