package twolayer.site;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import twolayer.data.AtomicFiles;

/**
 * Draws the {@link PackageGraph} for the architecture chapter: an SVG with one row of boxes per layer (the bottom
 * layer at the bottom) and an arrow from each package to each package it uses, and an AsciiDoc table of the same
 * graph. Both are written by the site build from the compiled classes.
 */
final class PackageDiagram {
    private static final int WIDTH = 1120;
    private static final int ROW = 78;
    private static final int BOX_HEIGHT = 30;
    private static final int MARGIN = 20;

    private PackageDiagram() {}

    /** Writes {@code packages.svg} into the figures directory and {@code architecture-packages.adoc} into gendir. */
    static void writeAll(PackageGraph graph, Path figuresDir, Path genDir) throws IOException {
        AtomicFiles.writeString(figuresDir.resolve("packages.svg"), svg(graph));
        AtomicFiles.writeString(genDir.resolve("architecture-packages.adoc"), table(graph));
    }

    private static String shortName(String pkg) {
        return pkg.replaceFirst("^twolayer\\.", "");
    }

    /** The box label: a chapter package by its chapter's name alone (its row says chapter.*), so that it fits. */
    private static String label(String pkg) {
        return pkg.startsWith("twolayer.chapter.") ? pkg.substring("twolayer.chapter.".length()) : shortName(pkg);
    }

    /** The packages of each layer, bottom first, in name order. */
    private static List<List<String>> rows(PackageGraph graph) {
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < PackageGraph.LAYERS.size(); k++) {
            rows.add(new ArrayList<>());
        }
        for (String pkg : graph.uses().keySet()) {
            int layer = PackageGraph.layer(pkg);
            if (layer >= 0) {
                rows.get(layer).add(pkg);
            }
        }
        return rows;
    }

    static String svg(PackageGraph graph) {
        List<List<String>> rows = rows(graph);
        int layers = rows.size();
        int height = 2 * MARGIN + layers * ROW;
        Map<String, double[]> box = new LinkedHashMap<>(); // x, y (top-left), w
        for (int k = 0; k < layers; k++) {
            List<String> row = rows.get(k);
            double y = MARGIN + (layers - 1 - k) * ROW;
            double slot = (WIDTH - 2.0 * MARGIN - 120) / Math.max(1, row.size());
            double w = Math.min(170, slot - 12);
            for (int i = 0; i < row.size(); i++) {
                double x = MARGIN + 120 + i * slot + (slot - w) / 2;
                box.put(row.get(i), new double[] {x, y, w});
            }
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        s.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\""
                + " markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#667\"/>"
                + "</marker></defs>\n");
        s.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        for (int k = 0; k < layers; k++) {
            double y = MARGIN + (layers - 1 - k) * ROW;
            boolean chapters = rows.get(k).stream().anyMatch(p -> p.startsWith("twolayer.chapter."));
            s.append(String.format("<text x=\"%d\" y=\"%.1f\" fill=\"#555\">layer %d%s</text>%n", MARGIN,
                    y + BOX_HEIGHT / 2.0 + 4, k, chapters ? ": chapter.*" : ""));
        }
        for (Map.Entry<String, Set<String>> e : graph.uses().entrySet()) {
            double[] a = box.get(e.getKey());
            for (String target : e.getValue()) {
                double[] b = box.get(target);
                if (a == null || b == null) {
                    continue;
                }
                s.append(String.format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#667\""
                        + " stroke-opacity=\"0.35\" marker-end=\"url(#arrow)\"/>%n",
                        a[0] + a[2] / 2, a[1] + BOX_HEIGHT, b[0] + b[2] / 2, b[1]));
            }
        }
        for (Map.Entry<String, double[]> e : box.entrySet()) {
            double[] b = e.getValue();
            s.append(String.format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"4\" fill=\"#eef3fb\""
                    + " stroke=\"#3b5b92\"/>%n", b[0], b[1], b[2], BOX_HEIGHT));
            s.append(String.format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    b[0] + b[2] / 2, b[1] + BOX_HEIGHT / 2.0 + 4, label(e.getKey())));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    static String table(PackageGraph graph) {
        StringBuilder s = new StringBuilder();
        s.append("[cols=\"2,1,5\",options=\"header\"]\n|===\n|Package |Layer |Uses (twolayer packages)\n");
        List<List<String>> rows = rows(graph);
        for (int k = rows.size() - 1; k >= 0; k--) {
            for (String pkg : rows.get(k)) {
                Set<String> used = graph.uses().get(pkg);
                s.append("|`").append(shortName(pkg)).append("` |").append(k).append(" |")
                        .append(used.isEmpty() ? "(nothing)" : String.join(", ",
                                used.stream().map(PackageDiagram::shortName).toList()))
                        .append('\n');
            }
        }
        s.append("|===\n");
        return s.toString();
    }
}
