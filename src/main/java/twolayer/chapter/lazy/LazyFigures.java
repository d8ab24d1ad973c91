package twolayer.chapter.lazy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.chapter.lazy.LazyWidthSweep.Metric;
import twolayer.plot.Charts;
import twolayer.run.LazyRun;

/**
 * The figures of the lazy-training chapter, each from a real run of a named experiment at its {@code site()}
 * configuration:
 * <ul>
 *   <li>{@code lazy-weight-change-vs-width.svg}: RD_w and RD_a at time T against m, ntk preset and mean-field scaling
 *       ({@link LazyWidthSweep});</li>
 *   <li>{@code lazy-gap-vs-width.svg}: the linearisation gap at T against m for the ntk preset, the a &gt;= 0 control
 *       and the mean-field scaling;</li>
 *   <li>{@code lazy-kernel-drift-vs-width.svg}: the relative drift of the empirical NTK against m for the same nets;</li>
 *   <li>{@code lazy-weight-change-vs-alpha.svg}: RD_w and RD_a against alpha = m^p at m = 1024, with and without the
 *       antisymmetric initialisation ({@link LazyScaleSweep});</li>
 *   <li>{@code lazy-break-step-size.svg}, {@code lazy-break-momentum.svg}, {@code lazy-break-init-scale.svg}: the
 *       three ways to break linearisation ({@link LazyBreakdown});</li>
 *   <li>{@code lazy-study-toy.svg}: training and probe losses of the net and of its linearisation on the study's
 *       n = 1000, d = 100 classification data ({@link LazyRun.Config#studyToy}).</li>
 * </ul>
 * Points are geometric means over the initialisations (the quantities are compared on log axes).
 */
public final class LazyFigures {
    private static final BasicStroke DASHED =
            Charts.dashed(1.5f);

    private LazyFigures() {
    }

    /** Writes every figure of the chapter into {@code dir}. */
    public static void writeAll(Path dir) throws IOException {
        int threads = LazyRun.defaultThreads();
        widthFigures(dir, LazyWidthSweep.run(LazyWidthSweep.Config.site(), threads));
        alphaFigure(dir, LazyScaleSweep.run(LazyScaleSweep.Config.site(), threads));
        breakdownFigures(dir, LazyBreakdown.run(LazyBreakdown.Config.site(), threads));
        toyFigure(dir, LazyRun.runOnTwoThreads(LazyRun.Config.studyToy()));
    }

    // ---------------------------------------------------------------------------------------- width

    private static void widthFigures(Path dir, LazyWidthSweep.Result r) throws IOException {
        double[] m = toDouble(r.config().widths());
        int ntk = 0, meanField = 1, positive = 2;
        String t = "T = " + format(r.runs().get(0).result().config().time());

        XYChart rd = logLog("Relative weight change at " + t + " against width", "width m", "RD = |theta(T) - theta0| / |theta0|");
        rd.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        add(rd, "ntk: RD_w", m, r.geometricMeans(ntk, Metric.RD_W), SeriesMarkers.CIRCLE);
        add(rd, "ntk: RD_a", m, r.geometricMeans(ntk, Metric.RD_A), SeriesMarkers.SQUARE);
        add(rd, "meanField: RD_w", m, r.geometricMeans(meanField, Metric.RD_W), SeriesMarkers.DIAMOND);
        add(rd, "meanField: RD_a", m, r.geometricMeans(meanField, Metric.RD_A), SeriesMarkers.TRIANGLE_UP);
        reference(rd, "m^-1/2", m, r.geometricMeans(ntk, Metric.RD_W), -0.5, 1.6);
        Charts.saveSvg(rd, dir.resolve("lazy-weight-change-vs-width.svg"));

        XYChart gap = logLog("Net vs its trained linearisation at " + t, "width m", "max over probes |f - f_lin|");
        gap.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        add(gap, "ntk preset (tanh)", m, r.geometricMeans(ntk, Metric.GAP), SeriesMarkers.CIRCLE);
        add(gap, "ntk, a >= 0, centred (softplus)", m, r.geometricMeans(positive, Metric.GAP), SeriesMarkers.SQUARE);
        add(gap, "meanField (tanh)", m, r.geometricMeans(meanField, Metric.GAP), SeriesMarkers.DIAMOND);
        reference(gap, "m^-1", m, r.geometricMeans(ntk, Metric.GAP), -1.0, 0.6);
        reference(gap, "m^-1/2", m, r.geometricMeans(positive, Metric.GAP), -0.5, 1.6);
        Charts.saveSvg(gap, dir.resolve("lazy-gap-vs-width.svg"));

        XYChart drift = logLog("Relative drift of the empirical NTK at " + t, "width m",
                "|Theta_T - Theta_0|_F / |Theta_0|_F");
        drift.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        add(drift, "ntk preset (tanh)", m, r.geometricMeans(ntk, Metric.DRIFT), SeriesMarkers.CIRCLE);
        add(drift, "ntk, a >= 0, centred (softplus)", m, r.geometricMeans(positive, Metric.DRIFT), SeriesMarkers.SQUARE);
        add(drift, "meanField (tanh)", m, r.geometricMeans(meanField, Metric.DRIFT), SeriesMarkers.DIAMOND);
        reference(drift, "m^-1", m, r.geometricMeans(ntk, Metric.DRIFT), -1.0, 0.6);
        reference(drift, "m^-1/2", m, r.geometricMeans(positive, Metric.DRIFT), -0.5, 1.6);
        Charts.saveSvg(drift, dir.resolve("lazy-kernel-drift-vs-width.svg"));
    }

    // ---------------------------------------------------------------------------------------- alpha

    private static void alphaFigure(Path dir, LazyScaleSweep.Result r) throws IOException {
        LazyScaleSweep.Config c = r.config();
        double[] alpha = new double[c.exponents().length];
        for (int k = 0; k < alpha.length; k++) {
            alpha[k] = c.alpha(k);
        }
        XYChart chart = logLog("Relative weight change against alpha at m = " + c.m(), "alpha = m^p (p = 0, 0.3, 0.5, 0.7)",
                "RD at T = " + format(c.steps() * c.optimizer().eta()));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        add(chart, "RD_w", alpha, r.geometricMeans(false, Metric.RD_W), SeriesMarkers.CIRCLE);
        add(chart, "RD_w, antisymmetric init", alpha, r.geometricMeans(true, Metric.RD_W), SeriesMarkers.DIAMOND);
        add(chart, "RD_a", alpha, r.geometricMeans(false, Metric.RD_A), SeriesMarkers.SQUARE);
        add(chart, "RD_a, antisymmetric init", alpha, r.geometricMeans(true, Metric.RD_A), SeriesMarkers.TRIANGLE_UP);
        reference(chart, "1/alpha", alpha, r.geometricMeans(true, Metric.RD_W), -1.0, 1.6);
        Charts.saveSvg(chart, dir.resolve("lazy-weight-change-vs-alpha.svg"));
    }

    // ---------------------------------------------------------------------------------------- breakdowns

    private static void breakdownFigures(Path dir, LazyBreakdown.Result r) throws IOException {
        LazyBreakdown.Config c = r.config();
        XYChart eta = logLog("Larger steps: gap after " + c.steps() + " steps, m = " + c.m(), "step size eta",
                "max over probes |f - f_lin|");
        eta.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        add(eta, "budget of K = " + c.steps() + " steps (t = K eta)", values(r.stepSizes()), gaps(r.stepSizes()),
                SeriesMarkers.CIRCLE);
        add(eta, "fixed time T = " + format(c.steps() * c.baseEta()), values(r.stepSizesAtFixedTime()),
                gaps(r.stepSizesAtFixedTime()), SeriesMarkers.SQUARE);
        Charts.saveSvg(eta, dir.resolve("lazy-break-step-size.svg"));

        XYChart mu = timeChart("Heavy-ball momentum: gap along K = " + c.steps() + " steps of eta = " + format(c.baseEta()));
        for (LazyBreakdown.Point p : r.momenta()) {
            addCurve(mu, p.label(), p.runs());
        }
        Charts.saveSvg(mu, dir.resolve("lazy-break-momentum.svg"));

        XYChart init = timeChart("Small input weights (ReLU): gap along K = " + c.steps() + " steps of eta = "
                + format(c.baseEta()));
        for (LazyBreakdown.Point p : r.initScales()) {
            addCurve(init, p.label(), p.runs());
        }
        Charts.saveSvg(init, dir.resolve("lazy-break-init-scale.svg"));
    }

    /** The geometric mean over initialisations of gap(t) at each observation after t = 0. */
    private static void addCurve(XYChart chart, String label, List<LazyRun.Result> runs) {
        double[] times = runs.get(0).times();
        double[] t = new double[times.length - 1], gap = new double[times.length - 1];
        for (int k = 1; k < times.length; k++) {
            double log = 0;
            for (LazyRun.Result run : runs) {
                log += Math.log(run.gap()[k]);
            }
            t[k - 1] = times[k];
            gap[k - 1] = Math.exp(log / runs.size());
        }
        add(chart, label, t, gap, SeriesMarkers.CIRCLE);
    }

    private static XYChart timeChart(String title) {
        XYChart chart = Charts.xy(title, "gradient-flow time t = eta k", "max over probes |f - f_lin|");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return chart;
    }

    // ---------------------------------------------------------------------------------------- the study's toy

    private static void toyFigure(Path dir, LazyRun.Result r) throws IOException {
        LazyRun.Config c = r.config();
        XYChart chart = Charts.xy("Net and its linearisation, n = " + (c.task().n() + c.task().probes()) + ", d = "
                + c.task().d() + ", m = " + c.m(), "gradient-flow time t = eta k", "logistic loss");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        XYSeries s;
        s = chart.addSeries("net, training loss", r.times(), r.trainLoss());
        s.setMarker(SeriesMarkers.NONE);
        s = chart.addSeries("linearisation, training loss", r.times(), r.trainLossLinear());
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(DASHED);
        s = chart.addSeries("net, probe loss", r.times(), r.probeLoss());
        s.setMarker(SeriesMarkers.NONE);
        s = chart.addSeries("linearisation, probe loss", r.times(), r.probeLossLinear());
        s.setMarker(SeriesMarkers.SQUARE);
        s.setLineStyle(DASHED);
        Charts.saveSvg(chart, dir.resolve("lazy-study-toy.svg"));
    }

    // ---------------------------------------------------------------------------------------- helpers


    private static XYChart logLog(String title, String xTitle, String yTitle) {
        XYChart chart = Charts.xy(title, xTitle, yTitle);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        return chart;
    }

    private static void add(XYChart chart, String label, double[] x, double[] y, Marker marker) {
        XYSeries s = chart.addSeries(label, x, y);
        s.setMarker(marker);
    }

    /**
     * A dashed line of slope {@code slope} on log-log axes through (x[0], factor * y[0]): offset from the data by
     * {@code factor} so that it guides the eye without hiding the points.
     */
    private static void reference(XYChart chart, String label, double[] x, double[] y, double slope, double factor) {
        reference(chart, label, x, y, slope, factor, slope == -1.0 ? Color.DARK_GRAY : Color.GRAY);
    }

    private static void reference(XYChart chart, String label, double[] x, double[] y, double slope, double factor,
                                  Color color) {
        double[] line = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            line[k] = factor * y[0] * Math.pow(x[k] / x[0], slope);
        }
        XYSeries s = chart.addSeries(label, x, line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(DASHED);
        s.setLineColor(color);
    }

    private static double[] values(List<LazyBreakdown.Point> points) {
        double[] v = new double[points.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = points.get(k).value();
        }
        return v;
    }

    private static double[] gaps(List<LazyBreakdown.Point> points) {
        double[] v = new double[points.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = points.get(k).gap();
        }
        return v;
    }

    private static double[] toDouble(int[] v) {
        double[] d = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            d[k] = v[k];
        }
        return d;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** The names of the files written. */
    public static List<String> files() {
        return new ArrayList<>(List.of("lazy-weight-change-vs-width.svg", "lazy-gap-vs-width.svg",
                "lazy-kernel-drift-vs-width.svg", "lazy-weight-change-vs-alpha.svg", "lazy-break-step-size.svg",
                "lazy-break-momentum.svg", "lazy-break-init-scale.svg", "lazy-study-toy.svg"));
    }
}
