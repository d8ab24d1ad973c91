package twolayer.chapter.ntk;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.kernel.AnalyticKernels.Kind;
import twolayer.kernel.AnalyticKernels.Options;
import twolayer.kernel.AnalyticKernels;
import twolayer.kernel.AnalyticNtkFluctuations;
import twolayer.kernel.EmpiricalNtk;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;
import twolayer.plot.Charts;

/**
 * The figures of the NTK chapter's kernel sections, each from a real run:
 * <ul>
 *   <li>{@code ntk-empirical-error-vs-width.svg}: |Theta_m(x, x') - Theta_inf(x, x')| of independent relu nets of the
 *       ntk preset at initialisation against the width m, log-log, with the RMS over nets and the central-limit
 *       prediction sd(xi)/sqrt(m) from the analytic moments;</li>
 *   <li>{@code ntk-kernels-vs-angle.svg}: the analytic NTK and NNGP of relu and erf for two inputs on a circle, as a
 *       function of the angle between them.</li>
 * </ul>
 */
public final class NtkFigures {

    /** Widths 10 to 10^5, four per decade. */
    private static final int[] WIDTHS = {10, 18, 32, 56, 100, 178, 316, 562, 1000, 1778, 3162, 5623, 10000, 17783,
        31623, 56234, 100000};
    /** Independent nets per width. */
    private static final int NETS = 12;
    private static final long SEED = 20261123L;

    private NtkFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        errorVsWidth(dir);
        kernelsVsAngle(dir);
    }

    /** relu, ntk(1, 1, 0.5) with biases, d = 3, inputs at 60 degrees with |x|^2 = d. */
    private static void errorVsWidth(Path dir) throws IOException {
        int d = 3;
        double c = Math.sqrt(d);
        double[] x = {c, 0, 0, c * Math.cos(Math.PI / 3), c * Math.sin(Math.PI / 3), 0};   // (2, d)
        Options options = Options.ntk(Activation.RELU, 1.0, 1.0, 0.5);
        Parameterization preset = Parameterization.ntk(1.0, 1.0, 0.5);
        double limit = AnalyticKernels.matrix(options, d, x, 2, Parallelism.sequential())[1];
        double sd = Math.sqrt(AnalyticNtkFluctuations.summandVariance(options,
                new double[] {x[0], x[1], x[2]}, new double[] {x[3], x[4], x[5]}));

        double[] widths = new double[WIDTHS.length], rms = new double[WIDTHS.length], clt = new double[WIDTHS.length];
        double[] netX = new double[WIDTHS.length * NETS], netErr = new double[WIDTHS.length * NETS];
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int k = 0; k < WIDTHS.length; k++) {
            int m = WIDTHS[k];
            long[] seeds = rng.longs(NETS).toArray();
            double[] err = new double[NETS];
            // one slot per net, so the result does not depend on the thread count
            IntStream.range(0, NETS).parallel().forEach(s -> {
                TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.RELU, preset, seeds[s]);
                double theta = EmpiricalNtk.gram(net, net.initialParameters(), x, 2, Parallelism.sequential())[1];
                err[s] = Math.abs(theta - limit);
            });
            double sumSq = 0;
            for (int s = 0; s < NETS; s++) {
                netX[k * NETS + s] = m;
                netErr[k * NETS + s] = Math.max(err[s], 1e-12);    // a log axis cannot show 0
                sumSq += err[s] * err[s];
            }
            widths[k] = m;
            rms[k] = Math.sqrt(sumSq / NETS);
            clt[k] = sd / Math.sqrt(m);
        }

        XYChart chart = Charts.xy("Empirical NTK at initialisation: error against width (relu, ntk preset)", "width m",
                "|Theta_m(x, x') - Theta_inf(x, x')|");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        XYSeries nets = chart.addSeries("one net (" + NETS + " per width)", netX, netErr);
        nets.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        nets.setMarker(SeriesMarkers.CIRCLE);
        nets.setMarkerColor(new Color(120, 150, 200));
        XYSeries r = chart.addSeries("RMS over the nets", widths, rms);
        r.setMarker(SeriesMarkers.DIAMOND);
        r.setLineColor(new Color(200, 60, 30));
        r.setMarkerColor(new Color(200, 60, 30));
        XYSeries line = chart.addSeries("sd(xi) / sqrt(m), slope -1/2", widths, clt);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Color.BLACK);
        line.setLineStyle(Charts.dashed(1.5f));
        Charts.saveSvg(chart, dir.resolve("ntk-empirical-error-vs-width.svg"));
    }

    /** No biases, sigmaW = sigmaV = 1, d = 2, |x|^2 = |x'|^2 = d (so q11 = q22 = 1), angle t between x and x'. */
    private static void kernelsVsAngle(Path dir) throws IOException {
        int d = 2, points = 91;
        double c = Math.sqrt(d);
        double[] angle = new double[points];
        double[] x = {c, 0};
        XYChart chart = Charts.xy("Analytic kernels on the circle |x|^2 = d (sigmaW = sigmaV = 1, no biases)",
                "angle between x and x' (degrees)", "k(x, x')");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        double[] xs = new double[points * d];
        for (int i = 0; i < points; i++) {
            double t = Math.PI * i / (points - 1);
            angle[i] = Math.toDegrees(t);
            xs[i * d] = c * Math.cos(t);
            xs[i * d + 1] = c * Math.sin(t);
        }
        for (Activation sigma : new Activation[] {Activation.RELU, Activation.ERF}) {
            for (Kind kind : Kind.values()) {
                Options o = new Options(sigma, kind, 1.0, 1.0, null, true);
                double[] k = AnalyticKernels.matrix(o, d, x, 1, xs, points, Parallelism.sequential());
                XYSeries s = chart.addSeries(sigma.name().toLowerCase(java.util.Locale.ROOT) + " " + kind, angle, k);
                s.setMarker(SeriesMarkers.NONE);
                if (kind == Kind.NNGP) {
                    s.setLineStyle(Charts.dashed(2f));
                }
            }
        }
        Charts.saveSvg(chart, dir.resolve("ntk-kernels-vs-angle.svg"));
    }


    /** The names of the files written, for the build's check that every figure exists. */
    public static List<String> files() {
        return List.of("ntk-empirical-error-vs-width.svg", "ntk-kernels-vs-angle.svg");
    }
}
