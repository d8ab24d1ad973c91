package twolayer.chapter.mfld;

import static twolayer.plot.Charts.chart;
import static twolayer.plot.Charts.dashed;

import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.measure.MfldGridSolver;
import twolayer.plot.CertificateCharts;
import twolayer.plot.Charts;

/**
 * The figures of the mfld chapter, each from a real run:
 * <ul>
 *   <li>{@code mfld-bounds.svg}: the certificate's lower and upper bounds along MFLD on the toy, with F* of the
 *       grid solver;</li>
 *   <li>{@code mfld-gap.svg}: the certified gap along the run, log scale;</li>
 *   <li>{@code mfld-histogram.svg}: the histogram of the particles' w at the end against the w-marginal of the
 *       grid optimum;</li>
 *   <li>{@code mfld-time-bias.svg}: the stationary variance bias against eta, measured and exact;</li>
 *   <li>{@code mfld-particle-bias.svg}: the stationary F(p_mu) - F* against m, log-log, with a slope -1 line.</li>
 * </ul>
 */
public final class MfldFigures {
    private static final long SEED = 20261123L;

    private MfldFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        MfldToy.Result run = MfldToy.run(MfldToy.Config.chapter(SEED, 1000));
        certificateFigures(run, dir);
        histogram(run, dir);
        discretisationFigures(dir);
    }

    private static void certificateFigures(MfldToy.Result run, Path dir) throws IOException {
        XYChart chart = CertificateCharts.sandwich("MFLD on the toy: lower <= F* <= F(p_mu), m = 1000", "free energy",
                "F", run.bounds(), run.reference().freeEnergy());
        chart.getStyler().setYAxisMin(0.15);
        chart.getStyler().setYAxisMax(0.3);
        Charts.saveSvg(chart, dir.resolve("mfld-bounds.svg"));
        Charts.saveSvg(CertificateCharts.gap("The certified gap upper - lower along MFLD", "gap, m = 1000",
                run.bounds()), dir.resolve("mfld-gap.svg"));
    }

    private static void histogram(MfldToy.Result run, Path dir) throws IOException {
        double[] theta = run.finalTheta();
        int m = theta.length / 2;
        double lo = -3, hi = 3;
        int bins = 40;
        double width = (hi - lo) / bins;
        double[] centres = new double[bins], density = new double[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = lo + (b + 0.5) * width;
        }
        for (int j = 0; j < m; j++) {
            int b = (int) Math.floor((theta[m + j] - lo) / width);
            if (b >= 0 && b < bins) {
                density[b] += 1.0 / (m * width);
            }
        }
        MfldGridSolver.Solution star = run.reference();
        double[] w = run.certificate().grid();
        int from = 0, to = w.length - 1;
        while (w[from] < lo) {
            from++;
        }
        while (w[to] > hi) {
            to--;
        }
        double[] ws = java.util.Arrays.copyOfRange(w, from, to + 1);
        double[] qs = java.util.Arrays.copyOfRange(star.density(), from, to + 1);
        XYChart chart = chart("Particles at t = 40 against the Gibbs optimum", "input weight w", "density of w");
        XYSeries hist = chart.addSeries("histogram of the m = 1000 particles", centres, density);
        hist.setMarker(SeriesMarkers.CIRCLE);
        hist.setLineStyle(new BasicStroke(0f));
        XYSeries gibbs = chart.addSeries("w-marginal of mu* (grid solver)", ws, qs);
        gibbs.setMarker(SeriesMarkers.NONE);
        Charts.saveSvg(chart, dir.resolve("mfld-histogram.svg"));
    }

    private static void discretisationFigures(Path dir) throws IOException {
        double[] etas = {0.4, 0.2, 0.1, 0.05};
        MfldDiscretisation.TimeBias time = MfldDiscretisation.timeBias(etas, 0.1, 1.0, 5000, 9, SEED);
        XYChart t = chart("Time discretisation: stationary variance bias is O(eta)", "step size eta",
                "Var - lambda/c");
        t.getStyler().setXAxisLogarithmic(true);
        t.getStyler().setYAxisLogarithmic(true);
        t.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        t.addSeries("measured (MFLD, 150000 coordinates x 3 times)", time.etas(), time.measured())
                .setMarker(SeriesMarkers.DIAMOND);
        dashed(t.addSeries("exact Euler-Maruyama (lambda/c)/(1 - eta c/2) - lambda/c", time.etas(), time.exact()));
        Charts.saveSvg(t, dir.resolve("mfld-time-bias.svg"));

        int[] widths = {25, 50, 100, 200};
        MfldDiscretisation.ParticleBias particles = MfldDiscretisation.particleBias(widths, 150, 2, SEED);
        double[] ms = new double[widths.length], ref = new double[widths.length];
        for (int k = 0; k < widths.length; k++) {
            ms[k] = widths[k];
            ref[k] = particles.bias()[0] * widths[0] / ms[k];
        }
        XYChart p = chart("Particle discretisation: stationary F(p_mu) - F* is O(1/m)", "width m",
                "mean of F(p_mu) - F* after t = 40");
        p.getStyler().setXAxisLogarithmic(true);
        p.getStyler().setYAxisLogarithmic(true);
        p.addSeries("measured (2 seeds, T = 150)", ms, particles.bias()).setMarker(SeriesMarkers.DIAMOND);
        dashed(p.addSeries("slope -1 (through m = 25)", ms, ref));
        Charts.saveSvg(p, dir.resolve("mfld-particle-bias.svg"));
    }

    /** The names of the files written. */
    public static List<String> files() {
        return List.of("mfld-bounds.svg", "mfld-gap.svg", "mfld-histogram.svg", "mfld-time-bias.svg",
                "mfld-particle-bias.svg");
    }
}
