package twolayer.chapter.twotimescale;

import static twolayer.plot.Charts.chart;
import static twolayer.plot.Charts.dashed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.plot.CertificateCharts;
import twolayer.plot.Charts;

/**
 * The figures of the two-timescale chapter's theory part, each from a real run on the {@link TwoTimescaleToy}:
 * <ul>
 *   <li>{@code tt-bounds.svg}: the certificate's lower and upper bounds of G along two-timescale MFLD, with G* of
 *       the grid solver;</li>
 *   <li>{@code tt-gap.svg}: the certified gap along the run, log scale;</li>
 *   <li>{@code tt-ratio.svg}: joint training at rate ratio r against the exact two-timescale run on the same
 *       Brownian path: largest energy gap and particle distance over t &lt;= 5, log-log;</li>
 *   <li>{@code tt-time-bias.svg}: differences of the stationary energy at eta and eta/2 on one Brownian path;</li>
 *   <li>{@code tt-particle-bias.svg}: the stationary G(p_mu) - G* against m, log-log, with a slope -1 line.</li>
 * </ul>
 */
public final class TwoTimescaleFigures {
    private static final long SEED = 20261123L;

    private TwoTimescaleFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        certificateFigures(dir);
        ratioFigure(dir);
        discretisationFigures(dir);
    }

    private static void certificateFigures(Path dir) throws IOException {
        TwoTimescaleToy.Result run = TwoTimescaleToy.run(TwoTimescaleToy.Config.chapter(SEED, 1000));
        XYChart chart = CertificateCharts.sandwich("Two-timescale MFLD on the toy: lower <= G* <= G(p_mu), m = 1000",
                "objective G", "G", run.bounds(), run.reference().freeEnergy());
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(0.2);
        Charts.saveSvg(chart, dir.resolve("tt-bounds.svg"));
        Charts.saveSvg(CertificateCharts.gap("The certified gap upper - lower along two-timescale MFLD",
                "gap, m = 1000", run.bounds()), dir.resolve("tt-gap.svg"));
    }

    private static void ratioFigure(Path dir) throws IOException {
        double[] ratios = {1, 4, 16, 64, 256, 1024};
        TwoTimescaleToy.Config c = TwoTimescaleToy.Config.chapter(SEED, 200).with(0.05, 200, 5.0, 1);
        TwoTimescaleErrors.RatioGap sweep = TwoTimescaleErrors.ratioGap(c, ratios, 0.25);
        double[] reference = new double[ratios.length];
        for (int k = 0; k < ratios.length; k++) {
            reference[k] = sweep.energyGap()[ratios.length - 2] * ratios[ratios.length - 2] / ratios[k];
        }
        XYChart chart = chart("Joint training at rate ratio r against the two-timescale limit (t <= 5, m = 200)",
                "ratio r of the second layer's rate to the first's", "largest difference over t <= 5");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.addSeries("|E(mu_r) - E(mu)|", ratios, sweep.energyGap()).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("max |theta_r - theta| over particle coordinates", ratios, sweep.maxParticleDistance())
                .setMarker(SeriesMarkers.DIAMOND);
        dashed(chart.addSeries("slope -1 (through r = 256)", ratios, reference));
        Charts.saveSvg(chart, dir.resolve("tt-ratio.svg"));
    }

    private static void discretisationFigures(Path dir) throws IOException {
        TwoTimescaleToy.Config c = TwoTimescaleToy.Config.chapter(SEED, 200).with(0.2, 200, 60.0, 1);
        double[] etas = {0.2, 0.1, 0.05, 0.025};
        TwoTimescaleErrors.TimeBias time = TwoTimescaleErrors.timeBias(c, etas, 20.0, 0.2);
        double[] coarse = new double[etas.length - 1], difference = new double[etas.length - 1];
        double[] reference = new double[etas.length - 1];
        for (int k = 0; k + 1 < etas.length; k++) {
            coarse[k] = etas[k];
            difference[k] = time.meanEnergy()[k] - time.meanEnergy()[k + 1];
        }
        for (int k = 0; k < coarse.length; k++) {
            reference[k] = difference[0] * coarse[k] / coarse[0];
        }
        XYChart t = chart("Time discretisation: E(eta) - E(eta/2) on one Brownian path is O(eta)", "step size eta",
                "difference of stationary energies");
        t.getStyler().setXAxisLogarithmic(true);
        t.getStyler().setYAxisLogarithmic(true);
        t.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        t.addSeries("measured (m = 200, t in [20, 60])", coarse, difference).setMarker(SeriesMarkers.DIAMOND);
        dashed(t.addSeries("slope 1 (through eta = 0.2)", coarse, reference));
        Charts.saveSvg(t, dir.resolve("tt-time-bias.svg"));

        int[] widths = {25, 50, 100, 200, 400, 800};
        TwoTimescaleErrors.ParticleBias particles = TwoTimescaleErrors.particleBias(c, widths, 2, 20.0, 1.0);
        double[] ms = new double[widths.length], ref = new double[widths.length];
        for (int k = 0; k < widths.length; k++) {
            ms[k] = widths[k];
            ref[k] = particles.bias()[0] * widths[0] / ms[k];
        }
        XYChart p = chart("Particle discretisation: stationary G(p_mu) - G* is O(1/m)", "width m",
                "mean of G(p_mu) - G* after t = 20");
        p.getStyler().setXAxisLogarithmic(true);
        p.getStyler().setYAxisLogarithmic(true);
        p.addSeries("measured (2 seeds, t in [20, 60], eta = 0.2)", ms, particles.bias())
                .setMarker(SeriesMarkers.DIAMOND);
        dashed(p.addSeries("slope -1 (through m = 25)", ms, ref));
        Charts.saveSvg(p, dir.resolve("tt-particle-bias.svg"));
    }

    /** The names of the files written. */
    public static List<String> files() {
        return List.of("tt-bounds.svg", "tt-gap.svg", "tt-ratio.svg", "tt-time-bias.svg", "tt-particle-bias.svg");
    }
}
