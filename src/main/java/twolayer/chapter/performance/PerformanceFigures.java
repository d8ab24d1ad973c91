package twolayer.chapter.performance;

import static twolayer.plot.Charts.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.data.AtomicFiles;
import twolayer.plot.Charts;

/**
 * The figure and the results table of the performance chapter, from the committed benchmark results
 * ({@code benchmarks/results/summary-<date>.csv} and its {@code .json} description of the machine, written by
 * {@code benchmarks/run-all.sh} with {@code BENCH_RECORD=1}); the build runs no benchmark:
 * <ul>
 *   <li>{@code performance-time-vs-m.svg}: time of one gradient-descent step (relu, ntk preset) against the
 *       width m, log-log, Java and NumPy, 1 and 2 threads;</li>
 *   <li>{@code performance-results.adoc} (in the generated-docs directory): the machine and the table of every
 *       row, with the nominal FLOP of each benchmark, GFLOP/s and the fraction of the machine's nominal peak,
 *       GFLOP/s = FLOP / time and peak = threads x (FLOP per cycle) x (nominal clock).</li>
 * </ul>
 * With several result files the newest (by the date in its name) is shown.
 */
public final class PerformanceFigures {

    /** The figure's file name. */
    public static final String FIGURE = "performance-time-vs-m.svg";
    /** The generated table's file name (included by the chapter from {@code {gendir}}). */
    public static final String TABLE = "performance-results.adoc";
    static final String HEADER = "benchmark,threads,m,java_ms,numpy_ms,ratio";
    /** The benchmark drawn against m. */
    static final String SWEPT = "gd-step-relu-ntk";

    private PerformanceFigures() {
    }

    /** One row of the summary: one benchmark at one thread count and width; ratio = javaMs / numpyMs. */
    public record Row(String benchmark, int threads, int m, double javaMs, double numpyMs, double ratio) {}

    /** One results file and its description of the machine. */
    public record Results(Path csv, List<Row> rows, JsonNode meta) {}

    /**
     * Nominal FLOP of one call (a multiply and an add are two FLOP; activations, comparisons and random draws are
     * not counted), at the shapes of the benchmarks; the performance chapter derives each count.
     *
     * @throws IllegalArgumentException for a benchmark name this table does not know
     */
    public static double flops(String benchmark, int m) {
        if (benchmark.startsWith("gd-step-")) {
            return gdStep(1000, 100, m);
        }
        return switch (benchmark) {
            case "ntk-gram" -> {
                double n = 500, d = 100;
                yield 4 * n * n * m + 2 * n * n * d + 2 * n * m * d;
            }
            case "mfld-step" -> gdStep(1000, 100, m) + 4.0 * m * (100 + 1);
            case "two-timescale-step" -> {
                double n = 400, d = 15;
                yield 4 * n * m * d + 6 * n * m + 7 * m * d + 2 * n * m * d + n * n * m + n * n * n / 3 + 2 * n * n
                        + 2 * n * m;
            }
            default -> throw new IllegalArgumentException("benchmark: unknown name " + benchmark
                    + " (expected gd-step-*, ntk-gram, mfld-step or two-timescale-step)");
        };
    }

    /** Forward 2nmd + 2nm, backward 2nmd + 4nm + md, update 2m(d + 1). */
    static double gdStep(double n, double d, double m) {
        return 4 * n * m * d + 6 * n * m + 3 * m * d + 2 * m;
    }

    /**
     * Writes the figure into {@code figuresDir} and the table into {@code genDir}, from the newest
     * {@code summary-*.csv} in {@code resultsDir}; with no results directory or no file in it, writes a table
     * partial that says so and no figure.
     *
     * @throws IOException if a results file is malformed (the message names file, line and field)
     */
    public static void writeAll(Path resultsDir, Path figuresDir, Path genDir) throws IOException {
        Path csv = newest(resultsDir);
        if (csv == null) {
            AtomicFiles.writeString(genDir.resolve(TABLE), "No benchmark results were found in `benchmarks/results/`:"
                    + " run `BENCH_RECORD=1 benchmarks/run-all.sh` and commit its two files.\n");
            return;
        }
        Results r = read(csv);
        AtomicFiles.writeString(genDir.resolve(TABLE), table(r));
        figure(r, figuresDir.resolve(FIGURE));
    }

    /** The newest {@code summary-*.csv} in dir (ISO dates sort by name), or null. */
    static Path newest(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("summary-.*\\.csv"))
                    .max(Path::compareTo).orElse(null);
        }
    }

    /** Reads a summary and the JSON beside it (same name, {@code .json}). */
    public static Results read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IOException(csv + ": the first line must be the header " + HEADER);
        }
        List<Row> rows = new ArrayList<>();
        for (int k = 1; k < lines.size(); k++) {
            String line = lines.get(k).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 6) {
                throw new IOException(csv + " line " + (k + 1) + ": expected 6 fields (" + HEADER + "), got " + f.length);
            }
            try {
                Row row = new Row(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), positive(f[3], "java_ms"),
                        positive(f[4], "numpy_ms"), positive(f[5], "ratio"));
                flops(row.benchmark(), row.m());
                rows.add(row);
            } catch (IllegalArgumentException e) {
                throw new IOException(csv + " line " + (k + 1) + ": " + e.getMessage(), e);
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(csv + ": no rows after the header");
        }
        Path json = csv.resolveSibling(csv.getFileName().toString().replaceFirst("\\.csv$", ".json"));
        if (!Files.isRegularFile(json)) {
            throw new IOException(json + ": missing; every summary CSV has its machine description beside it");
        }
        JsonNode meta;
        try {
            meta = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IOException(json + ": not valid JSON: " + e.getMessage(), e);
        }
        for (String field : new String[] {"date", "cpu_model", "peak_gflops_per_core", "jdk", "numpy"}) {
            if (!meta.hasNonNull(field)) {
                throw new IOException(json + ": field " + field + " is missing");
            }
        }
        if (!(meta.get("peak_gflops_per_core").asDouble() > 0)) {
            throw new IOException(json + ": peak_gflops_per_core must be > 0");
        }
        return new Results(csv, rows, meta);
    }

    private static double positive(String s, String field) {
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": not a number: " + s);
        }
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + ": must be finite and > 0, got " + s);
        }
        return v;
    }

    /** The machine paragraph and the AsciiDoc table of every row. */
    static String table(Results r) {
        JsonNode meta = r.meta();
        double peakCore = meta.get("peak_gflops_per_core").asDouble();
        JsonNode np = meta.get("numpy");
        StringBuilder sb = new StringBuilder();
        sb.append("Measured ").append(text(meta, "date")).append(", ").append(text(meta, "mode")).append(", file `benchmarks/results/")
                .append(r.csv().getFileName()).append("`. CPU: ").append(text(meta, "cpu_model")).append(" (")
                .append(text(meta, "cpu_family_model")).append("), ").append(text(meta, "cores")).append(" cores at a nominal ")
                .append(text(meta, "cpu_mhz_nominal")).append(" MHz; nominal peak ")
                .append(fmt(peakCore, 1)).append(" GFLOP/s per core (").append(text(meta, "peak_basis")).append("). ")
                .append(text(meta, "jdk")).append("; NumPy ").append(text(np, "numpy")).append(" with ")
                .append(text(np, "blas")).append(" (core ").append(text(np, "openblas_core")).append("). Load average ")
                .append(text(meta, "load_average_start")).append(" at the start, ").append(text(meta, "load_average_end"))
                .append(" at the end. ").append(text(meta, "note")).append("\n\n");
        sb.append("[cols=\"3,>1,>1,>1,>2,>2,>1,>2,>2\",options=\"header\"]\n|===\n")
                .append("| benchmark | threads | m | GFLOP | Java ms | NumPy ms | Java / NumPy | Java GFLOP/s (% peak)"
                        + " | NumPy GFLOP/s (% peak)\n");
        for (Row row : r.rows()) {
            double gflop = flops(row.benchmark(), row.m()) / 1e9;
            double peak = peakCore * row.threads();
            double gj = gflop / (row.javaMs() / 1e3), gn = gflop / (row.numpyMs() / 1e3);
            sb.append("| `").append(row.benchmark()).append("` | ").append(row.threads()).append(" | ").append(row.m())
                    .append(" | ").append(fmt(gflop, 3)).append(" | ").append(fmt(row.javaMs(), 1)).append(" | ")
                    .append(fmt(row.numpyMs(), 1)).append(" | ").append(fmt(row.ratio(), 2)).append(" | ")
                    .append(fmt(gj, 1)).append(" (").append(fmt(100 * gj / peak, 0)).append(" %) | ")
                    .append(fmt(gn, 1)).append(" (").append(fmt(100 * gn / peak, 0)).append(" %)\n");
        }
        sb.append("|===\n");
        return sb.toString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        String s = v == null || v.isNull() ? "unknown" : v.isTextual() ? v.asText() : v.toString();
        return s.replace("|", "\\|");
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Time against m for {@link #SWEPT}, log-log: Java and NumPy, 1 and 2 threads. */
    static void figure(Results r, Path file) throws IOException {
        XYChart c = chart("One gradient-descent step (relu, ntk preset, n = 1000, d = 100)", "width m",
                "time per step (ms)");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        int drawn = 0;
        for (String side : new String[] {"Java", "NumPy"}) {
            for (int threads : new int[] {1, 2}) {
                List<double[]> points = new ArrayList<>();
                for (Row row : r.rows()) {
                    if (row.benchmark().equals(SWEPT) && row.threads() == threads) {
                        points.add(new double[] {row.m(), side.equals("Java") ? row.javaMs() : row.numpyMs()});
                    }
                }
                if (points.isEmpty()) {
                    continue;
                }
                points.sort((p, q) -> Double.compare(p[0], q[0]));
                double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
                double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
                XYSeries s = c.addSeries(side + ", " + threads + (threads == 1 ? " thread" : " threads"), xs, ys);
                s.setMarker(side.equals("Java") ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
                if (threads == 2) {
                    s.setLineStyle(Charts.dashed(1.5f));
                }
                drawn++;
            }
        }
        if (drawn == 0) {
            throw new IOException(r.csv() + ": no rows of " + SWEPT + " to draw against m");
        }
        Charts.saveSvg(c, file);
    }

    /** The names of the files written into the figures directory. */
    public static List<String> files() {
        return List.of(FIGURE);
    }
}
