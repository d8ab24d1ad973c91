package twolayer.chapter.scalings;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.chapter.scalings.GolikovExponentSweep.Quantity;
import twolayer.dynamics.GradientDescent;
import twolayer.model.Activation;
import twolayer.model.GolikovExponents;
import twolayer.model.GolikovRegion;
import twolayer.model.LuoCoordinates;
import twolayer.model.Offset;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.Regime;
import twolayer.plot.Charts;
import twolayer.run.LazyRun;
import twolayer.run.LazyTask;

/**
 * The figures of the scalings chapter:
 * <ul>
 *   <li>{@code scalings-golikov-map.svg}: Golikov's map of limit models on the diagonal q~_a = q~_w, every point
 *       classified by {@link GolikovRegion#of} (a coarse grid for the areas, a fine grid for the segments, rays and
 *       points), with the named scalings at their exponents;</li>
 *   <li>{@code scalings-luo-presets.svg}: Luo's (gamma, gamma') plane classified by {@link LuoCoordinates#regime},
 *       with every preset of the record at the coordinates {@link LuoCoordinates#of} computes for it;</li>
 *   <li>{@code scalings-exponents.svg}: measured against derived exponents (A, B, C_a, C_w) for seven Golikov
 *       scalings over m = 256 ... 8192 ({@link GolikovExponentSweep});</li>
 *   <li>{@code scalings-default-vs-width.svg}: the four quantities of Golikov's unstable "default" scaling against m;</li>
 *   <li>{@code scalings-lazy-alpha.svg}: ||w - w0|| and the distance to the linearisation against the lazy scale,
 *       centred and antisymmetric (claim SC-4's runs).</li>
 * </ul>
 */
public final class ScalingsFigures {
    private static final long SEED = 20261123L;

    private ScalingsFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        golikovMap(dir);
        luoPresets(dir);
        GolikovExponentSweep.Result sweep = GolikovExponentSweep.run(new GolikovExponentSweep.Config(
                GolikovExponentSweep.Config.namedScalings(), GolikovExponentSweep.powersOfTwo(8, 13),
                Parameterization.GOLIKOV_REFERENCE_WIDTH, 48, 24, 32, 8, SEED), Parallelism.available());
        exponentsFigure(dir, sweep);
        defaultScalingFigure(dir, sweep);
        lazyAlphaFigure(dir);
    }

    // tag::plot-golikov-map[]
    /**
     * Every grid point (q_sigma, q~) is classified by its exponents; a point of a segment, ray or
     * named limit is kept from a fine grid (step 0.02, tolerance half a step) so that the
     * one-dimensional regions show as lines, a point of an area from a coarse grid (step 0.1).
     */
    private static void golikovMap(Path dir) throws IOException {
        double fine = 0.02, coarse = 0.1;
        Map<GolikovRegion, List<double[]>> points = new EnumMap<>(GolikovRegion.class);
        for (double qs = -2; qs <= 0.5 + 1e-9; qs += fine) {
            for (double qt = -1; qt <= 2.5 + 1e-9; qt += fine) {
                GolikovRegion r = new GolikovExponents(qs, qt, qt).region(fine / 2);
                boolean onCoarse = isMultiple(qs, coarse) && isMultiple(qt, coarse);
                if (r.dimension() == 1 || (r.dimension() != 1 && onCoarse)) {
                    points.computeIfAbsent(r, k -> new ArrayList<>()).add(new double[] {qs, qt});
                }
            }
        }
        // end::plot-golikov-map[]
        XYChart chart = Charts.xy("Golikov's map of infinite-width limits (q~_a = q~_w = q~)",
                "q_sigma (output scale at init ~ m^q_sigma)",
                "q~ (learning rate of the normalised weights ~ m^q~)");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(4);
        for (Map.Entry<GolikovRegion, List<double[]>> e : points.entrySet()) {
            if (e.getKey().dimension() == 0) {
                continue;   // the three limits are marked below
            }
            List<double[]> at = e.getValue();
            XYSeries s = chart.addSeries(label(e.getKey()), column(at, 0), column(at, 1));
            s.setMarker(SeriesMarkers.CIRCLE);
            if (e.getKey().dimension() < 0) {   // outside the strip: grey, reddish if unstable
                boolean unstable = e.getKey() == GolikovRegion.UNSTABLE;
                s.setMarkerColor(new Color(unstable ? 0xDDBBBB : 0xCCCCCC));
            } else if (e.getKey() == GolikovRegion.PRE_NTK_RAY) {
                s.setMarkerColor(new Color(0x1F77B4));   // the default palette's grey is trivial's
            }
        }
        double[][] named = {{-1, 1}, {-0.5, 0}, {-0.5, 0.5}, {-0.5, 1}};
        String[] names = {"mean field", "ntk", "sym-default", "default"};
        XYSeries limits = chart.addSeries("named scalings",
                column(List.of(named), 0), column(List.of(named), 1));
        limits.setMarker(SeriesMarkers.DIAMOND);
        limits.setMarkerColor(Color.BLACK);
        for (int k = 0; k < named.length; k++) {
            chart.addAnnotation(
                    new AnnotationText(names[k], named[k][0] + 0.12, named[k][1] + 0.1, false));
        }
        save(chart, dir, "scalings-golikov-map");
    }

    /** Luo's plane, classified on a coarse grid (the critical set on a fine one), with the presets. */
    private static void luoPresets(Path dir) throws IOException {
        double fine = 0.01, coarse = 0.1;
        Map<Regime, List<double[]>> points = new EnumMap<>(Regime.class);
        for (double g = 0; g <= 3 + 1e-9; g += fine) {
            for (double gp = -1.5; gp <= 2 + 1e-9; gp += fine) {
                Regime r = new LuoCoordinates(g, gp).regime(fine / 2);
                if (r == Regime.CRITICAL || (isMultiple(g, coarse) && isMultiple(gp, coarse))) {
                    points.computeIfAbsent(r, k -> new ArrayList<>()).add(new double[] {g, gp});
                }
            }
        }
        XYChart chart = Charts.xy("Where the presets sit in Luo et al.'s phase diagram",
                "gamma (kappa = beta1 beta2 / alpha ~ m^-gamma)", "gamma' (kappa' = beta1 / beta2 ~ m^-gamma')");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(4);
        Color[] colours = {new Color(0x9EC5E8), new Color(0xD62728), new Color(0xF2C894)};
        for (Map.Entry<Regime, List<double[]>> e : points.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey().name().toLowerCase(java.util.Locale.ROOT),
                    column(e.getValue(), 0), column(e.getValue(), 1));
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(colours[e.getKey().ordinal()]);
        }
        // each preset with the offset of its label from the point (ntk and sym-default share (1/2, 0))
        Object[][] presets = {
                {"standard (LeCun, PyTorch)", Parameterization.standard(1, 1, 0), 0.0, 0.13},
                {"ntk", Parameterization.ntk(1, 1), -0.15, 0.0},
                {"Golikov sym-default", Parameterization.golikov(-0.5, 0.5, 0.5), 0.0, -0.15},
                {"mean field = muP = IC-MF", Parameterization.meanField(), -0.3, 0.2},
                {"Golikov (-3/2, 3/2, 3/2)", Parameterization.golikov(-1.5, 1.5, 1.5), 0.15, -0.15},
                {"luo(2, 1/2)", Parameterization.luo(2, 0.5), 0.0, 0.13}};
        List<double[]> at = new ArrayList<>();
        for (Object[] e : presets) {
            LuoCoordinates c = ((Parameterization) e[1]).luoCoordinates();
            at.add(new double[] {c.gamma(), c.gammaPrime()});
            chart.addAnnotation(new AnnotationText((String) e[0], c.gamma() + (double) e[2],
                    c.gammaPrime() + (double) e[3], false));
        }
        XYSeries s = chart.addSeries("presets", column(at, 0), column(at, 1));
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setMarkerColor(Color.BLACK);
        save(chart, dir, "scalings-luo-presets");
    }

    private static void exponentsFigure(Path dir, GolikovExponentSweep.Result r) throws IOException {
        XYChart chart = Charts.xy("Golikov's exponents: fitted slope over m = 256 ... 8192 against the derivation",
                "derived exponent", "measured log-log slope");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(8);
        List<GolikovExponents> scalings = r.config().scalings();
        for (Quantity q : Quantity.values()) {
            double[] x = new double[scalings.size()], y = new double[scalings.size()];
            for (int s = 0; s < scalings.size(); s++) {
                x[s] = q.predicted(scalings.get(s));
                y[s] = r.slope(s, q);
            }
            chart.addSeries(q.exponent() + ": " + q.label(), x, y);
        }
        XYSeries diagonal = chart.addSeries("measured = derived", new double[] {-1.1, 1.1}, new double[] {-1.1, 1.1});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(Color.GRAY);
        diagonal.setLineStyle(Charts.dashed(1f));
        save(chart, dir, "scalings-exponents");
    }

    private static void defaultScalingFigure(Path dir, GolikovExponentSweep.Result r) throws IOException {
        int index = 3;   // (-1/2, 1, 0) in namedScalings()
        XYChart chart = Charts.xy("Golikov's 'default' scaling (-1/2, 1, 0): A = 0, B = 1, C_a = 1/2, C_w = -1/2",
                "width m", "quantity / its value at m = 256");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        int[] widths = r.config().widths();
        double[] m = new double[widths.length];
        for (int k = 0; k < widths.length; k++) {
            m[k] = widths[k];
        }
        for (Quantity q : Quantity.values()) {
            double[] v = r.values()[index][q.ordinal()].clone();
            double first = v[0];
            double[] predicted = new double[v.length];
            for (int k = 0; k < v.length; k++) {
                v[k] /= first;
                predicted[k] = Math.pow(m[k] / m[0], q.predicted(r.config().scalings().get(index)));
            }
            XYSeries s = chart.addSeries(q.exponent() + ": " + q.label() + String.format(" (slope %.3f)",
                    r.slope(index, q)), m, v);
            s.setMarker(SeriesMarkers.CIRCLE);
            XYSeries p = chart.addSeries(q.exponent() + " derived", m, predicted);
            p.setMarker(SeriesMarkers.NONE);
            p.setLineStyle(Charts.dashed(1f));
            p.setLineColor(Color.GRAY);
            p.setShowInLegend(false);
        }
        save(chart, dir, "scalings-default-vs-width");
    }

    private static void lazyAlphaFigure(Path dir) throws IOException {
        double[] alphas = {1, 2, 4, 8, 16, 32, 64, 128, 256};
        List<LazyRun.Config> configs = new ArrayList<>();
        for (boolean antisymmetric : new boolean[] {false, true}) {
            for (double alpha : alphas) {
                Parameterization p = Parameterization.ntk(1, 1).withLazyScale(alpha);
                p = antisymmetric ? p.withAntisymmetricInit(true) : p.withOffset(Offset.CENTRED, null);
                configs.add(new LazyRun.Config(LazyTask.regression(50, 50, 20), SEED, p, Activation.TANH, 256,
                        LazyRun.Init.PRESET, SEED + 1, GradientDescent.Config.plain(1.0), 16, 1, true, false));
            }
        }
        List<LazyRun.Result> runs = LazyRun.runAll(configs, LazyRun.defaultThreads());
        XYChart chart = Charts.xy("Lazy scale alpha (ntk net, tanh, m = 256, T = 16)", "alpha",
                "at T (log scale)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        int n = alphas.length;
        double[] rdW = new double[n], gapCentred = new double[n], gapAnti = new double[n];
        for (int k = 0; k < n; k++) {
            rdW[k] = runs.get(k).finalRdW();
            gapCentred[k] = runs.get(k).finalGapRms();
            gapAnti[k] = runs.get(n + k).finalGapRms();
        }
        chart.addSeries("||w - w0|| / ||w0|| (centred)", alphas, rdW).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("rms |f - f_lin|, centred", alphas, gapCentred).setMarker(SeriesMarkers.SQUARE);
        chart.addSeries("rms |f - f_lin|, antisymmetric init", alphas, gapAnti).setMarker(SeriesMarkers.DIAMOND);
        save(chart, dir, "scalings-lazy-alpha");
    }

    /** Also write PNG copies (for a quick look from {@link #main}). */
    private static boolean png;

    private static void save(XYChart chart, Path dir, String name) throws IOException {
        Charts.saveSvg(chart, dir.resolve(name + ".svg"));
        if (png) {
            Charts.savePng(chart, dir.resolve(name + ".png"));
        }
    }

    private static String label(GolikovRegion r) {
        return r.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    private static boolean isMultiple(double v, double step) {
        double k = v / step;
        return Math.abs(k - Math.rint(k)) < 1e-6;
    }

    private static double[] column(List<double[]> rows, int j) {
        double[] c = new double[rows.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = rows.get(i)[j];
        }
        return c;
    }

    /** Writes the figures, with PNG copies, into the directory given as the first argument (a look without the site). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/scalings-figures");
        java.nio.file.Files.createDirectories(dir);
        png = true;
        long t0 = System.nanoTime();
        writeAll(dir);
        System.out.printf("scalings figures in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
