package twolayer.chapter.twotimescale;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.plot.Charts;

/**
 * The figures of the union-of-RKHSs experiment (two-timescale chapter, experiment (b)), from one real run at the
 * site scale ({@link UnionOfRkhs.Config#site}):
 * <ul>
 *   <li>{@code tt-union-error.svg}: the net's test error along training (log scale) with the tuned kernel-ridge
 *       errors of the analytic NTK, the initial intrinsic kernel and the oracle member kernel k_v* as lines;</li>
 *   <li>{@code tt-union-particles.svg}: the particles' component along the hidden direction v* against the norm
 *       of the rest, at initialisation and after training.</li>
 * </ul>
 */
public final class UnionOfRkhsFigures {
    private static final long SEED = 20261123L;

    private UnionOfRkhsFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        UnionOfRkhs.Config c = UnionOfRkhs.Config.site(SEED);
        UnionOfRkhs.Result r = UnionOfRkhs.run(c);
        UnionOfRkhs.Baselines b = UnionOfRkhs.baselines(c);
        XYChart err = Charts.xy("Union of RKHSs (d = " + c.d() + ", n = " + c.n() + "): test error", "step",
                "test MSE");
        err.getStyler().setYAxisLogarithmic(true);
        err.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        double[] steps = Arrays.stream(r.steps()).asDoubleStream().toArray();
        err.addSeries("two-timescale net", steps, r.testError()).setMarker(SeriesMarkers.NONE);
        double[] ends = {0, c.steps()};
        line(err, "KRR, analytic relu NTK (tuned ridge)", ends, b.analyticNtk().testMse());
        line(err, "KRR, initial intrinsic kernel (tuned ridge)", ends, b.initialIntrinsic().testMse());
        line(err, "KRR, oracle member kernel k_v* (told v*)", ends, b.oracleMember().testMse());
        Charts.saveSvg(err, dir.resolve("tt-union-error.svg"));

        XYChart particles = Charts.xy(String.format(Locale.ROOT,
                "Particles: share along v* %.3f at init, %.3f after %d steps (1/d = %.3f)",
                r.share()[0], r.finalShare(), c.steps(), 1.0 / c.d()), "<w_j, v*>", "|w_j - <w_j, v*> v*|");
        particles.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        particles.getStyler().setMarkerSize(4);
        particles.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        scatter(particles, "initialisation w ~ N(0, I)", r.initial());
        scatter(particles, "after two-timescale training", r.last());
        Charts.saveSvg(particles, dir.resolve("tt-union-particles.svg"));
    }

    private static void line(XYChart chart, String name, double[] ends, double value) {
        XYSeries s = chart.addSeries(name, ends, new double[] {value, value});
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(Charts.dashed(1.5f));
    }

    private static void scatter(XYChart chart, String name, double[] pairs) {
        int m = pairs.length / 2;
        double[] along = new double[m], across = new double[m];
        for (int j = 0; j < m; j++) {
            along[j] = pairs[2 * j];
            across[j] = pairs[2 * j + 1];
        }
        chart.addSeries(name, along, across).setMarker(SeriesMarkers.CIRCLE);
    }
}
