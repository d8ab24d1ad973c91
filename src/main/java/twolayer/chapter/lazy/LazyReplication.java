package twolayer.chapter.lazy;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.data.AtomicFiles;
import twolayer.plot.Charts;
import twolayer.run.ResultsFolder;

/**
 * The NTK-and-MF-examples study's lazy-training sweeps at its widths, on the lazy chapter's synthetic task (the study
 * trained on MNIST, which this project does not ship), from the unit files of {@code twolayer experiment lazy-width},
 * {@code lazy-scale} and {@code lazy-breakdown} under {@code results/lazy-width-study}, {@code results/lazy-scale-study}
 * and {@code results/lazy-breakdown-study} (replications chapter, section "The study's lazy-training sweeps"; the lazy
 * training chapter, sections "How far the weights move" and "Three ways to break linearisation").
 * <ul>
 *   <li>{@code replication-lazy-width.svg}: the geometric mean over the initialisations of RD_w and RD_a against m,
 *       with the m^(-1/2) line and the study's displacements rescaled to twolayer's value at its smallest width;</li>
 *   <li>{@code replication-lazy-scale.svg}: RD_w and RD_a against alpha = m^p, with the 1/alpha line and the study's
 *       (rescaled) displacements;</li>
 *   <li>{@code replication-lazy-breakdown.svg}: RD_w and the gap f - f_lin against the effective step eta / (1 - mu)
 *       of the step-size and momentum sweeps, with the study's (rescaled) displacements;</li>
 *   <li>{@code replication-lazy.adoc} (generated docs): the slopes and ratios next to the study's, and the tables of
 *       the breakdown's investigation folders {@code results/lazy-breakdown-study-long} (ten times the budget) and
 *       {@code results/lazy-breakdown-study-large-steps} (steps 16 to 128) when they exist.</li>
 * </ul>
 * A slope is the least-squares slope of log y on log x over every (x, initialisation) point; its standard error is
 * the one across initialisations, s / sqrt(k) with s the sample standard deviation of the k per-initialisation slopes
 * (whose mean is the pooled slope, since every initialisation has the same x). A ratio between two settings is taken
 * per initialisation (the settings share theta0) and summarised by its geometric mean, min and max.
 */
public final class LazyReplication {

    static final String WIDTH = "lazy-width-study", SCALE = "lazy-scale-study", BREAKDOWN = "lazy-breakdown-study";
    /** The investigations of the step-size ratios (optional): ten times the budget, and steps up to 128. */
    static final List<String> INVESTIGATIONS = List.of("lazy-breakdown-study-long", "lazy-breakdown-study-large-steps");
    static final String TABLE = "replication-lazy.adoc";
    static final String WIDTH_FIGURE = "replication-lazy-width.svg", SCALE_FIGURE = "replication-lazy-scale.svg",
            BREAKDOWN_FIGURE = "replication-lazy-breakdown.svg";

    /** The study's widths and its mean per-neuron displacement dtheta at epoch 50 under alpha = sqrt m (printed). */
    static final double[] STUDY_WIDTHS = {100, 1000, 10000};
    static final double[] STUDY_DTHETA_NTK = {11.92, 3.869, 1.432};
    /** Its train_standard sweep at lr 0.1 (printed). */
    static final double[] STUDY_DTHETA_STANDARD = {2.066, 0.307, 0.0109};
    /** The slope of its output-weight displacement du against m (computed by the study's notebook). */
    static final double STUDY_DU_SLOPE = -0.53;
    /** Its output-scale sweep at m = 10^4: the exponents p of alpha = m^p and dtheta at epoch 50 (plot-read). */
    static final double[] STUDY_EXPONENTS = {0, 0.3, 0.5, 0.7};
    static final double[] STUDY_DTHETA_ALPHA = {15, 4, 1.43, 0.5};
    static final double STUDY_SCALE_WIDTH = 10000;
    /** At m = 5000: dtheta for the steps 0.01, 0.1, 1 (printed) and the momenta 0, 0.5, 0.9 at 0.1 (plot-read). */
    static final double[] STUDY_STEPS = {0.01, 0.1, 1};
    static final double[] STUDY_DTHETA_STEP = {0.00976, 0.02844, 0.7096};
    static final double[] STUDY_MOMENTA = {0, 0.5, 0.9};
    static final double[] STUDY_DTHETA_MOMENTUM = {0.028, 0.04, 0.6};
    /** The relative change of theta for theta0 ~ N(0, I) and N(0, I/d) (plot-read). */
    static final double[] STUDY_RELATIVE_CHANGE_INIT = {0.001, 0.18};

    private static final Color BLUE = new Color(0x1F77B4), ORANGE = new Color(0xFF7F0E), GREEN = new Color(0x2CA02C),
            RED = new Color(0xD62728), GREY = new Color(0x7F7F7F);

    private LazyReplication() {}

    /**
     * A log-log slope.
     *
     * @param slope         the least-squares slope over every point
     * @param standardError the standard error across initialisations (NaN with one initialisation)
     * @param inits         the initialisations
     * @param points        the points
     */
    record Fit(double slope, double standardError, int inits, int points) {
        String text() {
            // a slope that rounds to zero prints as 0.000, not -0.000
            double slope = Math.abs(this.slope) < 5e-4 ? 0 : this.slope;
            return Double.isNaN(standardError) ? String.format(Locale.ROOT, "%.3f", slope)
                    : String.format(Locale.ROOT, "%.3f +- %.3f", slope, standardError);
        }
    }

    /**
     * Writes the figures and the table from whichever of the three folders exist, or a table partial saying the
     * replication has not been run (and no figure) when none does.
     *
     * @throws IOException if the results are malformed (the message names the folder or the unit)
     */
    public static void writeAll(Path resultsRoot, Path figuresDir, Path genDir) throws IOException {
        ResultsFolder width = folder(resultsRoot, WIDTH, "lazy-width");
        ResultsFolder scale = folder(resultsRoot, SCALE, "lazy-scale");
        ResultsFolder breakdown = folder(resultsRoot, BREAKDOWN, "lazy-breakdown");
        StringBuilder b = new StringBuilder();
        if (width == null && scale == null && breakdown == null) {
            AtomicFiles.writeString(genDir.resolve(TABLE), "NOTE: No results in `results/" + WIDTH + "/`, `results/"
                    + SCALE + "/` or `results/" + BREAKDOWN + "/` yet: run `results/replicate.sh NAME` for each and "
                    + "commit the folders.\n");
            return;
        }
        if (width != null) {
            widthPart(width, figuresDir.resolve(WIDTH_FIGURE), b);
        }
        if (scale != null) {
            scalePart(scale, figuresDir.resolve(SCALE_FIGURE), b);
        }
        if (breakdown != null) {
            breakdownPart(breakdown, BREAKDOWN, figuresDir.resolve(BREAKDOWN_FIGURE), b);
        }
        for (String name : INVESTIGATIONS) {
            ResultsFolder r = folder(resultsRoot, name, "lazy-breakdown");
            if (r != null) {
                breakdownPart(r, name, null, b);
            }
        }
        for (String[] f : new String[][] {{WIDTH, width == null ? null : ""}, {SCALE, scale == null ? null : ""},
            {BREAKDOWN, breakdown == null ? null : ""}}) {
            if (f[1] == null) {
                b.append("NOTE: No results in `results/").append(f[0]).append("/` yet: run `results/replicate.sh ")
                        .append(f[0]).append("` and commit the folder.\n\n");
            }
        }
        AtomicFiles.writeString(genDir.resolve(TABLE), b.toString());
    }

    private static ResultsFolder folder(Path root, String name, String experiment) throws IOException {
        ResultsFolder r = ResultsFolder.read(root.resolve(name));
        if (r == null || r.units().isEmpty()) {
            return null;
        }
        if (!experiment.equals(r.experiment())) {
            throw new IOException(r.dir() + ": expected unit files of " + experiment + ", found " + r.experiment());
        }
        return r;
    }

    // ---------------------------------------------------------------------------------------------- fits

    /**
     * The slope of log y on log x over the points {@code byInit.get(i) = {x[], y[]}}, and its standard error across
     * the initialisations.
     *
     * @throws IOException when the initialisations do not share their x values or have fewer than two, or a value
     *                     is not positive (the message starts with {@code where})
     */
    static Fit fit(String where, Map<Integer, double[][]> byInit) throws IOException {
        double[] xs0 = null;
        double sx = 0, sy = 0;
        int n = 0;
        List<Double> slopes = new ArrayList<>();
        for (Map.Entry<Integer, double[][]> e : byInit.entrySet()) {
            double[] x = e.getValue()[0], y = e.getValue()[1];
            double[] sorted = x.clone();
            Arrays.sort(sorted);
            if (xs0 == null) {
                xs0 = sorted;
                if (new TreeSet<>(Arrays.stream(sorted).boxed().toList()).size() < 2) {
                    throw new IOException(where + ": a slope needs at least two distinct x values, found "
                            + Arrays.toString(sorted));
                }
            } else if (!Arrays.equals(xs0, sorted)) {
                throw new IOException(where + ": initialisation " + e.getKey() + " has the points "
                        + Arrays.toString(sorted) + ", the others " + Arrays.toString(xs0)
                        + " (every initialisation must have every point: finish the run)");
            }
            for (int k = 0; k < x.length; k++) {
                if (!(x[k] > 0 && y[k] > 0 && Double.isFinite(y[k]))) {
                    throw new IOException(where + ": initialisation " + e.getKey() + " has the value " + y[k] + " at "
                            + x[k] + "; a log-log slope needs finite positive values");
                }
            }
            slopes.add(slope(x, y));
        }
        // the pooled slope, computed on its own (not as the mean of the per-initialisation slopes)
        List<double[]> points = new ArrayList<>();
        for (double[][] v : byInit.values()) {
            for (int k = 0; k < v[0].length; k++) {
                points.add(new double[] {Math.log(v[0][k]), Math.log(v[1][k])});
                sx += Math.log(v[0][k]);
                sy += Math.log(v[1][k]);
                n++;
            }
        }
        double mx = sx / n, my = sy / n, sxy = 0, sxx = 0;
        for (double[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        double mean = slopes.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), ss = 0;
        for (double s : slopes) {
            ss += (s - mean) * (s - mean);
        }
        int k = slopes.size();
        double se = k < 2 ? Double.NaN : Math.sqrt(ss / (k - 1) / k);
        return new Fit(sxy / sxx, se, k, n);
    }

    /** The least-squares slope of log y on log x. */
    static double slope(double[] x, double[] y) {
        double mx = 0, my = 0;
        for (int k = 0; k < x.length; k++) {
            mx += Math.log(x[k]) / x.length;
            my += Math.log(y[k]) / x.length;
        }
        double sxy = 0, sxx = 0;
        for (int k = 0; k < x.length; k++) {
            sxy += (Math.log(x[k]) - mx) * (Math.log(y[k]) - my);
            sxx += (Math.log(x[k]) - mx) * (Math.log(x[k]) - mx);
        }
        return sxy / sxx;
    }

    private static double geometricMean(List<Double> v) {
        return Math.exp(v.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
    }

    private static int intKey(ResultsFolder r, ResultsFolder.Unit u, String name) throws IOException {
        try {
            return u.intKey(name);
        } catch (RuntimeException e) {
            throw new IOException(r.dir() + ": unit " + u.key() + " has no integer key " + name, e);
        }
    }

    private static double doubleKey(ResultsFolder r, ResultsFolder.Unit u, String name) throws IOException {
        try {
            return u.doubleKey(name);
        } catch (RuntimeException e) {
            throw new IOException(r.dir() + ": unit " + u.key() + " has no numeric key " + name, e);
        }
    }

    private static double field(ResultsFolder r, ResultsFolder.Unit u, String name) throws IOException {
        double v = u.number(name);
        if (!Double.isFinite(v)) {
            throw new IOException(r.dir() + ": unit " + u.key() + " has no finite result " + name);
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------- width

    /** One curve: x -> the values of its initialisations, keyed by the initialisation. */
    private static final class Curve {
        final TreeMap<Double, TreeMap<Integer, Double>> byX = new TreeMap<>();

        void add(double x, int init, double y) {
            byX.computeIfAbsent(x, k -> new TreeMap<>()).put(init, y);
        }

        Map<Integer, double[][]> byInit() {
            TreeMap<Integer, List<double[]>> out = new TreeMap<>();
            byX.forEach((x, ys) -> ys.forEach((i, y) -> out.computeIfAbsent(i, k -> new ArrayList<>())
                    .add(new double[] {x, y})));
            Map<Integer, double[][]> m = new TreeMap<>();
            out.forEach((i, pts) -> m.put(i, new double[][] {pts.stream().mapToDouble(p -> p[0]).toArray(),
                pts.stream().mapToDouble(p -> p[1]).toArray()}));
            return m;
        }

        double[] xs() {
            return byX.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        }

        double[] means() {
            return byX.values().stream().mapToDouble(ys -> geometricMean(new ArrayList<>(ys.values()))).toArray();
        }

        double mean(double x) {
            TreeMap<Integer, Double> ys = byX.get(x);
            return ys == null ? Double.NaN : geometricMean(new ArrayList<>(ys.values()));
        }
    }

    private static final String[] WIDTH_METRICS = {"rd_w", "rd_a", "gap", "drift"};
    private static final Map<String, String> METRIC_NAMES = Map.of("rd_w", "RD_w", "rd_a", "RD_a", "gap",
            "gap f - f_lin", "drift", "kernel drift");

    static void widthPart(ResultsFolder r, Path figure, StringBuilder b) throws IOException {
        // variant -> metric -> curve; ntk (the study's sweep) before mean-field (the contrast)
        Map<String, Map<String, Curve>> curves = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (ResultsFolder.Unit u : r.units()) {
            String variant = u.key().get("variant");
            if (variant == null) {
                throw new IOException(r.dir() + ": unit " + u.key() + " has no key variant");
            }
            int m = intKey(r, u, "m"), init = intKey(r, u, "init");
            for (String metric : WIDTH_METRICS) {
                curves.computeIfAbsent(variant, k -> new LinkedHashMap<>()).computeIfAbsent(metric, k -> new Curve())
                        .add(m, init, field(r, u, metric));
            }
        }
        Map<String, Map<String, Fit>> fits = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (var v : curves.entrySet()) {
            for (var c : v.getValue().entrySet()) {
                fits.computeIfAbsent(v.getKey(), k -> new LinkedHashMap<>()).put(c.getKey(),
                        fit(r.dir() + ", variant " + v.getKey() + ", " + c.getKey(), c.getValue().byInit()));
            }
        }
        widthFigure(curves, fits, figure);
        Map<String, Curve> ntk = curves.get("ntk");
        b.append(".Log-log slopes against the width m: the study (one run at m = 100, 1000, 10000) and twolayer (fit over"
                + " every width and initialisation, +- the standard error across initialisations; and the slope through"
                + " the geometric means at the study's three widths)\n");
        b.append("[%header,cols=\"3,2,2,2,2\"]\n|===\n| quantity | study | twolayer, all widths | twolayer, m = 100,"
                + " 1000, 10000 | prediction\n");
        for (var v : fits.entrySet()) {
            boolean isNtk = v.getKey().equals("ntk");
            for (var f : v.getValue().entrySet()) {
                String study = "-";
                if (isNtk && f.getKey().equals("rd_w")) {
                    study = String.format(Locale.ROOT, "%.2f (dtheta, printed)", slope(STUDY_WIDTHS, STUDY_DTHETA_NTK));
                } else if (isNtk && f.getKey().equals("rd_a")) {
                    study = String.format(Locale.ROOT, "%.2f (du)", STUDY_DU_SLOPE);
                }
                String prediction = !isNtk ? "0" : f.getKey().startsWith("rd") ? "-1/2" : "-1 (chapter, NTK-4, NTK-6)";
                Curve c = curves.get(v.getKey()).get(f.getKey());
                double[] at = {c.mean(100), c.mean(1000), c.mean(10000)};
                String three = Arrays.stream(at).allMatch(Double::isFinite)
                        ? String.format(Locale.ROOT, "%.3f", slope(STUDY_WIDTHS, at)) : "-";
                b.append("| ").append(v.getKey()).append(", ").append(METRIC_NAMES.get(f.getKey())).append(" | ")
                        .append(study).append(" | ").append(f.getValue().text()).append(" (").append(f.getValue().inits())
                        .append(" inits) | ").append(three).append(" | ").append(prediction).append('\n');
            }
        }
        b.append(String.format(Locale.ROOT, "| the study's train_standard, lr 0.1 | %.2f (dtheta, printed) | - | - | -%n",
                slope(STUDY_WIDTHS, STUDY_DTHETA_STANDARD)));
        b.append("|===\n\n");
        if (ntk != null) {
            b.append(".The ntk preset at each width: geometric means over the initialisations\n");
            b.append("[%header,cols=\"1,1,2,2,2,2\"]\n|===\n| m | inits | RD_w | RD_a | gap f - f_lin | kernel drift\n");
            Curve rdW = ntk.get("rd_w");
            for (double m : rdW.xs()) {
                b.append(String.format(Locale.ROOT, "| %d | %d | %.3e | %.3e | %.3e | %.3e%n", (long) m,
                        rdW.byX.get(m).size(), rdW.mean(m), ntk.get("rd_a").mean(m), ntk.get("gap").mean(m),
                        ntk.get("drift").mean(m)));
            }
            b.append("|===\n\n");
        }
        b.append("`results/").append(WIDTH).append("`: settings ").append(r.settings()).append("; made by `results/"
                + "replicate.sh ").append(WIDTH).append("`: ").append(r.provenanceLine()).append(".\n\n");
    }

    static void widthFigure(Map<String, Map<String, Curve>> curves, Map<String, Map<String, Fit>> fits, Path file)
            throws IOException {
        XYChart chart = Charts.chart("Relative weight change against the width (geometric mean over initialisations)",
                "width m", "relative change RD at T = 32");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        Color[] colours = {BLUE, ORANGE};
        String[] metrics = {"rd_w", "rd_a"};
        for (var v : curves.entrySet()) {
            boolean isNtk = v.getKey().equals("ntk");
            for (int k = 0; k < metrics.length; k++) {
                if (!isNtk && k > 0) {
                    continue;   // the mean-field contrast: RD_w only, to keep the figure readable
                }
                Curve c = v.getValue().get(metrics[k]);
                XYSeries s = chart.addSeries(v.getKey() + ", " + METRIC_NAMES.get(metrics[k]) + " (slope "
                        + fits.get(v.getKey()).get(metrics[k]).text() + ")", c.xs(), c.means());
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(isNtk ? colours[k] : GREEN);
                s.setLineColor(isNtk ? colours[k] : GREEN);
            }
        }
        Map<String, Curve> ntk = curves.get("ntk");
        if (ntk != null) {
            Curve c = ntk.get("rd_w");
            double[] x = c.xs();
            double x0 = x[0], y0 = c.means()[0];
            double[] line = Arrays.stream(x).map(m -> y0 * Math.sqrt(x0 / m)).toArray();
            Charts.dashed(chart.addSeries("m^(-1/2)", x, line)).setLineColor(Color.BLACK);
            if (Double.isFinite(c.mean(STUDY_WIDTHS[0]))) {
                double scale = c.mean(STUDY_WIDTHS[0]) / STUDY_DTHETA_NTK[0];
                XYSeries s = chart.addSeries("study's dtheta, scaled to RD_w at m = 100", STUDY_WIDTHS,
                        Arrays.stream(STUDY_DTHETA_NTK).map(v -> v * scale).toArray());
                s.setMarker(SeriesMarkers.DIAMOND);
                s.setMarkerColor(RED);
                s.setLineStyle(Charts.dashed(1f));
                s.setLineColor(RED);
            }
        }
        Charts.saveSvg(chart, file);
    }

    // ---------------------------------------------------------------------------------------------- scale

    static void scalePart(ResultsFolder r, Path figure, StringBuilder b) throws IOException {
        TreeSet<Integer> widths = new TreeSet<>();
        Map<Boolean, Map<String, Curve>> curves = new TreeMap<>();   // antisymmetric -> metric -> curve over alpha
        TreeMap<Double, Double> alphaOfP = new TreeMap<>();
        String[] metrics = {"rd_w", "rd_a", "drift"};
        for (ResultsFolder.Unit u : r.units()) {
            widths.add(intKey(r, u, "m"));
            String a = u.key().get("antisymmetric");
            if (!"true".equals(a) && !"false".equals(a)) {
                throw new IOException(r.dir() + ": unit " + u.key() + " has no key antisymmetric (true or false)");
            }
            double p = doubleKey(r, u, "p"), alpha = field(r, u, "alpha");
            int init = intKey(r, u, "init");
            alphaOfP.put(p, alpha);
            for (String metric : metrics) {
                curves.computeIfAbsent(Boolean.parseBoolean(a), k -> new LinkedHashMap<>())
                        .computeIfAbsent(metric, k -> new Curve()).add(alpha, init, field(r, u, metric));
            }
        }
        if (widths.size() != 1) {
            throw new IOException(r.dir() + ": the output-scale replication is at one width, found " + widths);
        }
        int m = widths.first();
        Map<Boolean, Map<String, Fit>> fits = new TreeMap<>();
        for (var v : curves.entrySet()) {
            for (var c : v.getValue().entrySet()) {
                fits.computeIfAbsent(v.getKey(), k -> new LinkedHashMap<>()).put(c.getKey(), fit(r.dir()
                        + ", antisymmetric " + v.getKey() + ", " + c.getKey(), c.getValue().byInit()));
            }
        }
        double[] studyAlpha = Arrays.stream(STUDY_EXPONENTS).map(p -> Math.pow(STUDY_SCALE_WIDTH, p)).toArray();
        double studySlope = slope(studyAlpha, STUDY_DTHETA_ALPHA);
        b.append(String.format(Locale.ROOT, ".Relative weight changes at m = %d against the output scale alpha = m^p:"
                + " geometric means over the initialisations, and the study's dtheta at epoch 50 (m = 10^4, plot-read)%n", m));
        b.append("[%header,cols=\"1,2,2,2,2,2,2\"]\n|===\n| p | alpha | study dtheta | RD_w | RD_a | RD_w, antisymmetric"
                + " | RD_a, antisymmetric\n");
        for (var e : alphaOfP.entrySet()) {
            int row = -1;
            for (int k = 0; k < STUDY_EXPONENTS.length; k++) {
                row = Math.abs(STUDY_EXPONENTS[k] - e.getKey()) < 1e-9 ? k : row;
            }
            b.append(String.format(Locale.ROOT, "| %s | %.4g | %s", num(e.getKey()), e.getValue(),
                    row < 0 ? "-" : String.format(Locale.ROOT, "~%s", num(STUDY_DTHETA_ALPHA[row]))));
            for (boolean anti : new boolean[] {false, true}) {
                Map<String, Curve> c = curves.get(anti);
                for (String metric : new String[] {"rd_w", "rd_a"}) {
                    b.append(c == null ? " | -" : String.format(Locale.ROOT, " | %.3e", c.get(metric).mean(e.getValue())));
                }
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "| slope against alpha | | %.2f (computed from the plot-read values) ", studySlope));
        for (boolean anti : new boolean[] {false, true}) {
            Map<String, Fit> f = fits.get(anti);
            for (String metric : new String[] {"rd_w", "rd_a"}) {
                b.append(f == null ? " | -" : " | " + f.get(metric).text());
            }
        }
        b.append("\n|===\n\n");
        b.append("`results/").append(SCALE).append("`: settings ").append(r.settings()).append("; made by `results/"
                + "replicate.sh ").append(SCALE).append("`: ").append(r.provenanceLine()).append(".\n\n");

        XYChart chart = Charts.chart("Relative weight change against the output scale at m = " + m,
                "output scale alpha = m^p", "relative change RD at T = 32");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        Color[] colours = {BLUE, ORANGE};
        String[] shown = {"rd_w", "rd_a"};
        for (var v : curves.entrySet()) {
            for (int k = 0; k < shown.length; k++) {
                Curve c = v.getValue().get(shown[k]);
                XYSeries s = chart.addSeries(METRIC_NAMES.get(shown[k]) + (v.getKey() ? ", antisymmetric" : "")
                        + " (slope " + fits.get(v.getKey()).get(shown[k]).text() + ")", c.xs(), c.means());
                s.setMarker(v.getKey() ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
                s.setMarkerColor(colours[k]);
                s.setLineColor(colours[k]);
                if (v.getKey()) {
                    s.setLineStyle(Charts.dashed(1f));
                }
            }
        }
        Curve plain = curves.getOrDefault(false, curves.values().iterator().next()).get("rd_w");
        double[] x = plain.xs();
        double x0 = x[0], y0 = plain.means()[0];
        Charts.dashed(chart.addSeries("1/alpha", x, Arrays.stream(x).map(a -> y0 * x0 / a).toArray()))
                .setLineColor(Color.BLACK);
        double scale = y0 / STUDY_DTHETA_ALPHA[0];
        XYSeries s = chart.addSeries("study's dtheta (m = 10^4), scaled to RD_w at alpha = 1", studyAlpha,
                Arrays.stream(STUDY_DTHETA_ALPHA).map(v -> v * scale).toArray());
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setMarkerColor(RED);
        s.setLineStyle(Charts.dashed(1f));
        s.setLineColor(RED);
        Charts.saveSvg(chart, figure);
    }

    // ---------------------------------------------------------------------------------------------- breakdown

    /** The units of one setting (sweep, value), keyed by the initialisation. */
    record Setting(String sweep, double value, long steps, TreeMap<Integer, ResultsFolder.Unit> units) {}

    /** The tables of one lazy-breakdown folder, and its figure unless {@code figure} is null. */
    static void breakdownPart(ResultsFolder r, String name, Path figure, StringBuilder b) throws IOException {
        double baseEta;
        try {
            baseEta = Double.parseDouble(r.settings().get("--base-eta"));
        } catch (RuntimeException e) {
            throw new IOException(r.dir() + ": --base-eta must be a number, found " + r.settings().get("--base-eta"), e);
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        TreeSet<Integer> inits = new TreeSet<>();
        for (ResultsFolder.Unit u : r.units()) {
            String sweep = u.key().get("sweep");
            if (sweep == null || !List.of("eta", "eta-fixed-time", "mu", "init-std").contains(sweep)) {
                throw new IOException(r.dir() + ": unit " + u.key() + " has no key sweep (eta, eta-fixed-time, mu or"
                        + " init-std)");
            }
            double value = doubleKey(r, u, "value");
            int init = intKey(r, u, "init");
            inits.add(init);
            for (String f : new String[] {"gap", "rd_w", "rd_a", "train_loss", "train_loss_linear", "steps"}) {
                field(r, u, f);
            }
            Setting s = settings.computeIfAbsent(sweep + " " + value,
                    k -> new Setting(sweep, value, (long) u.number("steps"), new TreeMap<>()));
            s.units().put(init, u);
        }
        for (Setting s : settings.values()) {
            if (!s.units().keySet().equals(inits)) {
                throw new IOException(r.dir() + ": setting " + s.sweep() + " = " + num(s.value()) + " has the"
                        + " initialisations " + s.units().keySet() + ", the folder " + inits
                        + " (every setting must have every initialisation: finish the run)");
            }
        }
        List<Setting> ordered = new ArrayList<>(settings.values());
        List<String> order = List.of("eta", "eta-fixed-time", "mu", "init-std");
        ordered.sort((p, q) -> p.sweep().equals(q.sweep()) ? Double.compare(p.value(), q.value())
                : Integer.compare(order.indexOf(p.sweep()), order.indexOf(q.sweep())));
        b.append(String.format(Locale.ROOT, ".`results/%s`: every setting at m = %s (geometric means over %d initialisations shared by"
                + " all settings; the gap is max |f - f_lin| over the probes at the end, [min, max] over the"
                + " initialisations; the last column is the training loss of the net minus that of its linearisation)%n",
                name, r.settings().get("--width"), inits.size()));
        b.append("[%header,cols=\"2,1,1,1,3,2,2,2\"]\n|===\n| setting | steps | effective step | time | gap [min, max]"
                + " | RD_w | RD_a | loss - loss_lin\n");
        for (Setting s : ordered) {
            List<Double> gaps = values(s, "gap");
            double eff = effectiveStep(s, baseEta);
            double loss = 0;
            for (ResultsFolder.Unit u : s.units().values()) {
                loss += (u.number("train_loss") - u.number("train_loss_linear")) / s.units().size();
            }
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.2e [%.2e, %.2e] | %.2e | %.2e | %+.1e%n",
                    label(s), s.steps(), num(eff), num(eff * s.steps()), geometricMean(gaps),
                    gaps.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    gaps.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), geometricMean(values(s, "rd_w")),
                    geometricMean(values(s, "rd_a")), loss));
        }
        b.append("|===\n\n");

        // the study's comparisons, as ratios between two settings of the same initialisation
        double[] etas = ordered.stream().filter(s -> s.sweep().equals("eta")).mapToDouble(Setting::value).toArray();
        double top = etas.length == 0 ? Double.NaN : etas[etas.length - 1];
        StringBuilder rows = new StringBuilder();
        ratioRow(rows, settings, "largest step over a tenth of it", "eta", top, "eta", top / 10,
                STUDY_DTHETA_STEP[2] / STUDY_DTHETA_STEP[1], "printed", "at the larger (lr 1)");
        ratioRow(rows, settings, "a tenth of the largest step over a hundredth", "eta", top / 10, "eta", top / 100,
                STUDY_DTHETA_STEP[1] / STUDY_DTHETA_STEP[0], "printed", "at neither");
        ratioRow(rows, settings, "mu = 0.5 over mu = 0", "mu", 0.5, "mu", 0, STUDY_DTHETA_MOMENTUM[1]
                / STUDY_DTHETA_MOMENTUM[0], "plot-read", "no");
        ratioRow(rows, settings, "mu = 0.9 over mu = 0", "mu", 0.9, "mu", 0, STUDY_DTHETA_MOMENTUM[2]
                / STUDY_DTHETA_MOMENTUM[0], "plot-read", "at mu = 0.9");
        ratioRow(rows, settings, "mu = 0.9 over ten times the step at mu = 0", "mu", 0.9, "eta", baseEta / (1 - 0.9),
                STUDY_DTHETA_MOMENTUM[2] / STUDY_DTHETA_STEP[2], "plot-read over printed", "both");
        double small = settings.values().stream().filter(s -> s.sweep().equals("init-std") && s.value() < 1)
                .mapToDouble(Setting::value).findFirst().orElse(Double.NaN);
        ratioRow(rows, settings, "w ~ N(0, I/d) over N(0, I) (ReLU)", "init-std", small, "init-std", 1.0,
                STUDY_RELATIVE_CHANGE_INIT[1] / STUDY_RELATIVE_CHANGE_INIT[0], "plot-read, relative change, tanh",
                "at N(0, I/d)");
        if (rows.length() > 0) {
            b.append(".`results/").append(name).append("`: the study's comparisons as ratios between two settings (per"
                    + " initialisation: geometric mean [min, max]); the study's are of its dtheta (or relative change) at"
                    + " m = 5000, one run\n");
            b.append("[%header,cols=\"3,2,3,3,2\"]\n|===\n| ratio (twolayer's settings) | study, dtheta | twolayer, RD_w"
                    + " | twolayer, gap | study: linearisation broken?\n").append(rows).append("|===\n\n");
        }
        b.append("`results/").append(name).append("`: settings ").append(r.settings()).append("; made by `results/"
                + "replicate.sh ").append(name).append("`: ").append(r.provenanceLine()).append(".\n\n");
        if (figure != null) {
            breakdownFigure(ordered, baseEta, figure);
        }
    }

    private static List<Double> values(Setting s, String field) {
        return s.units().values().stream().map(u -> u.number(field)).toList();
    }

    /** eta / (1 - mu): the step of the eta sweeps, base-eta / (1 - mu) for the momenta, base-eta for the init scales. */
    static double effectiveStep(Setting s, double baseEta) {
        return switch (s.sweep()) {
            case "eta", "eta-fixed-time" -> s.value();
            case "mu" -> baseEta / (1 - s.value());
            default -> baseEta;
        };
    }

    private static String label(Setting s) {
        return switch (s.sweep()) {
            case "eta" -> "eta = " + num(s.value());
            case "eta-fixed-time" -> "eta = " + num(s.value()) + ", time fixed";
            case "mu" -> "mu = " + num(s.value());
            default -> s.value() == 1 ? "ReLU, w ~ N(0, I)" : "ReLU, w ~ N(0, I/d)";
        };
    }

    private static Setting find(Map<String, Setting> settings, String sweep, double value) {
        for (Setting s : settings.values()) {
            if (s.sweep().equals(sweep) && Math.abs(s.value() - value) <= 1e-9 * Math.max(1, Math.abs(value))) {
                return s;
            }
        }
        return null;
    }

    private static void ratioRow(StringBuilder b, Map<String, Setting> settings, String what, String sweepA, double a,
                                 String sweepB, double bValue, double study, String how, String broken) {
        Setting top = find(settings, sweepA, a), bottom = find(settings, sweepB, bValue);
        if (top == null || bottom == null) {
            return;   // this folder's grid has no such pair
        }
        b.append("| ").append(what).append(" (").append(label(top)).append(" / ").append(label(bottom)).append(") | ")
                .append(String.format(Locale.ROOT, "%.3g (%s)", study, how));
        for (String field : new String[] {"rd_w", "gap"}) {
            List<Double> ratios = new ArrayList<>();
            for (var e : top.units().entrySet()) {
                ratios.add(e.getValue().number(field) / bottom.units().get(e.getKey()).number(field));
            }
            b.append(String.format(Locale.ROOT, " | %.3g [%.3g, %.3g]", geometricMean(ratios),
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow()));
        }
        b.append(" | ").append(broken).append('\n');
    }

    static void breakdownFigure(List<Setting> ordered, double baseEta, Path file) throws IOException {
        XYChart chart = Charts.chart("Breaking linearisation: step size and momentum (geometric means)",
                "effective step eta / (1 - mu)", "RD_w, and the gap max |f - f_lin|");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        String[][] series = {{"eta", "rd_w", "RD_w, step sizes"}, {"mu", "rd_w", "RD_w, momenta 0, 0.5, 0.9"},
            {"eta", "gap", "gap, step sizes"}, {"mu", "gap", "gap, momenta 0, 0.5, 0.9"}};
        Color[] colours = {BLUE, ORANGE, BLUE, ORANGE};
        double middle = Double.NaN;
        for (int k = 0; k < series.length; k++) {
            String[] sr = series[k];
            List<Setting> ss = ordered.stream().filter(s -> s.sweep().equals(sr[0])).toList();
            if (ss.isEmpty()) {
                continue;
            }
            double[] x = ss.stream().mapToDouble(s -> effectiveStep(s, baseEta)).toArray();
            double[] y = ss.stream().mapToDouble(s -> geometricMean(values(s, sr[1]))).toArray();
            XYSeries s = chart.addSeries(sr[2], x, y);
            s.setMarker(k % 2 == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.SQUARE);
            s.setMarkerColor(colours[k]);
            s.setLineColor(colours[k]);
            if (k >= 2) {
                s.setLineStyle(Charts.dashed(1f));
            }
            if (k == 1) {
                middle = y[0];   // RD_w at mu = 0, the base step: where the study's curve is pinned
            }
        }
        if (Double.isFinite(middle)) {
            // the study's lr 0.1 is mapped to the base step and its dtheta there to RD_w there (shape only)
            double xs = baseEta / STUDY_STEPS[1], ys = middle / STUDY_DTHETA_STEP[1];
            XYSeries s = chart.addSeries("study's dtheta, steps (scaled at the base step)",
                    Arrays.stream(STUDY_STEPS).map(v -> v * xs).toArray(),
                    Arrays.stream(STUDY_DTHETA_STEP).map(v -> v * ys).toArray());
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(RED);
            s.setLineColor(RED);
            s.setLineStyle(Charts.dashed(1f));
            double ym = middle / STUDY_DTHETA_MOMENTUM[0];
            XYSeries mu = chart.addSeries("study's dtheta, momenta (scaled at mu = 0)",
                    Arrays.stream(STUDY_MOMENTA).map(v -> baseEta / (1 - v)).toArray(),
                    Arrays.stream(STUDY_DTHETA_MOMENTUM).map(v -> v * ym).toArray());
            mu.setMarker(SeriesMarkers.TRIANGLE_UP);
            mu.setMarkerColor(GREY);
            mu.setLineColor(GREY);
            mu.setLineStyle(Charts.dashed(1f));
        }
        Charts.saveSvg(chart, file);
    }

    private static String num(double v) {
        // four significant digits without trailing zeros: 0.16, 1.6, 16 (and 16 for 1.6 / (1 - 0.9))
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
