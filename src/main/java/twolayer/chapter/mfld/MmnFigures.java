package twolayer.chapter.mfld;

import static twolayer.plot.Charts.chart;
import static twolayer.plot.Charts.dashed;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.plot.Charts;

/**
 * The figures of the Mei-Montanari-Nguyen section of the mfld chapter, from real runs (d = 40, Delta = 0.8, N = 800):
 * <ul>
 *   <li>{@code mmn-risk.svg}: the risk against t = k eps of online SGD (two seeds at eps = 5e-5, one at 2e-4),
 *       the finite-d radial reduction and MMN's d = infinity reduction;</li>
 *   <li>{@code mmn-deviation.svg}: the same risks minus the finite-d reduction's, with the claim's band +-0.05;</li>
 *   <li>{@code mmn-radii.svg}: the density of the radii ||w_i|| at t = 0, 4 and 8, SGD against the reduction.</li>
 * </ul>
 */
public final class MmnFigures {
    private static final long SEED = 20261123L;
    private static final int WIDTH = 800, RADII = 1000;
    private static final double EPS = 5e-5, LARGE_EPS = 2e-4;

    private MmnFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        double[] times = new double[25];   // t = 0, 0.5, ..., 12
        for (int q = 0; q < times.length; q++) {
            times[q] = 0.5 * q;
        }
        MmnIsotropic.Config config = MmnIsotropic.Config.chapter(WIDTH, EPS, RADII, times);
        MmnIsotropic.Curve finite = MmnIsotropic.reduction(config, true);
        MmnIsotropic.Curve limit = MmnIsotropic.reduction(config, false);
        MmnIsotropic.Curve sgdA = MmnIsotropic.sgd(config, SEED);
        MmnIsotropic.Curve sgdB = MmnIsotropic.sgd(config, SEED + 1);
        MmnIsotropic.Curve sgdLarge = MmnIsotropic.sgd(MmnIsotropic.Config.chapter(WIDTH, LARGE_EPS, RADII, times), SEED);

        XYChart risk = chart("Isotropic Gaussians (d = 40, N = 800): SGD against the radial reduction", "time t = k eps",
                "risk R");
        line(risk.addSeries("1-D reduction, d = 40 (exact)", times, finite.risk()));
        dashed(risk.addSeries("1-D reduction, d = infinity (MMN)", times, limit.risk()));
        risk.addSeries("SGD eps = 5e-5, seed " + SEED, times, sgdA.risk()).setMarker(SeriesMarkers.CIRCLE);
        risk.addSeries("SGD eps = 5e-5, seed " + (SEED + 1), times, sgdB.risk()).setMarker(SeriesMarkers.DIAMOND);
        risk.addSeries("SGD eps = 2e-4, seed " + SEED, times, sgdLarge.risk()).setMarker(SeriesMarkers.SQUARE);
        risk.getStyler().setYAxisMin(0.0);
        Charts.saveSvg(risk, dir.resolve("mmn-risk.svg"));

        XYChart gap = chart("Deviation from the d = 40 reduction (claim MFLD-7: |deviation| <= 0.05 to t = 8)",
                "time t = k eps", "R - R_1D(d = 40)");
        gap.addSeries("SGD eps = 5e-5, seed " + SEED, times, minus(sgdA.risk(), finite.risk()))
                .setMarker(SeriesMarkers.CIRCLE);
        gap.addSeries("SGD eps = 5e-5, seed " + (SEED + 1), times, minus(sgdB.risk(), finite.risk()))
                .setMarker(SeriesMarkers.DIAMOND);
        gap.addSeries("SGD eps = 2e-4, seed " + SEED, times, minus(sgdLarge.risk(), finite.risk()))
                .setMarker(SeriesMarkers.SQUARE);
        dashed(gap.addSeries("1-D reduction, d = infinity (MMN)", times, minus(limit.risk(), finite.risk())));
        double[] band = new double[times.length], zero = new double[times.length];
        java.util.Arrays.fill(band, 0.05);
        dashed(gap.addSeries("+0.05", times, band)).setLineColor(Color.GRAY);
        dashed(gap.addSeries("-0.05", times, minus(zero, band))).setLineColor(Color.GRAY);
        gap.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        Charts.saveSvg(gap, dir.resolve("mmn-deviation.svg"));

        XYChart radii = chart("Law of the radii ||w||: SGD (N = 800, eps = 5e-5) and the reduction", "radius r",
                "density");
        int[] at = {0, 8, 16};   // t = 0, 4, 8
        Color[] colours = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};
        for (int p = 0; p < at.length; p++) {
            int q = at[p];
            histogram(radii, "SGD, t = " + (int) times[q], sgdA.radii()[q], true).setMarkerColor(colours[p]);
            histogram(radii, "reduction, t = " + (int) times[q], finite.radii()[q], false).setLineColor(colours[p]);
        }
        Charts.saveSvg(radii, dir.resolve("mmn-radii.svg"));
    }

    /** The histogram of the values on [0, 8) with bins of 0.2, as a density (markers for SGD, a line for the reduction). */
    private static XYSeries histogram(XYChart chart, String name, double[] values, boolean markers) {
        int bins = 40;
        double width = 8.0 / bins;
        double[] centres = new double[bins], density = new double[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = (b + 0.5) * width;
        }
        for (double v : values) {
            int b = (int) Math.floor(v / width);
            if (b >= 0 && b < bins) {
                density[b] += 1.0 / (values.length * width);
            }
        }
        XYSeries s = chart.addSeries(name, centres, density);
        if (markers) {
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineStyle(new BasicStroke(0f));
        } else {
            line(s);
        }
        return s;
    }

    private static void line(XYSeries s) {
        s.setMarker(SeriesMarkers.NONE);
    }

    private static double[] minus(double[] a, double[] b) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] - b[i];
        }
        return c;
    }

    /** The names of the files written. */
    public static List<String> files() {
        return List.of("mmn-risk.svg", "mmn-deviation.svg", "mmn-radii.svg");
    }
}
