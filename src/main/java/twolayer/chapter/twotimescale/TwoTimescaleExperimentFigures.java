package twolayer.chapter.twotimescale;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.data.Staircase;
import twolayer.plot.Charts;

/**
 * The figures of the two-timescale chapter's experiments, each from a real run:
 * <ul>
 *   <li>{@code tt-alignment.svg}, {@code tt-df.svg}, {@code tt-test-error.svg}: kernel-target alignment, degrees of
 *       freedom and test error along two-timescale training on x_1 x_2 (d = 15) at the site scale
 *       ({@link KernelLearning.Config#site}) for intrinsic noise sigma = 0, 1, 2 and for the label-noise procedure
 *       (sigma = 1 fresh noise, clean data); the test-error chart adds the tuned kernel-ridge baselines;</li>
 *   <li>{@code tt-staircase-fits.svg}: the staircase and the two SGD fits (two-timescale, equal rates) with their
 *       neurons' positions;</li>
 *   <li>{@code tt-staircase-error.svg}: their squared L2 error against the SGD step.</li>
 * </ul>
 * The x_1 x_2 runs are independent, so they run two at a time on their own threads (each deterministic in its seed).
 */
public final class TwoTimescaleExperimentFigures {
    private static final long SEED = 20261123L;

    private TwoTimescaleExperimentFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        kernelLearningFigures(dir);
        staircaseFigures(dir);
    }

    private static void kernelLearningFigures(Path dir) throws IOException {
        List<KernelLearning.Config> configs = List.of(
                KernelLearning.Config.site(SEED, 0.0),
                KernelLearning.Config.site(SEED, 1.0),
                KernelLearning.Config.site(SEED, 2.0),
                KernelLearning.Config.site(SEED, 0.0).withLabelNoise(1.0));
        String[] names = {"clean", "intrinsic noise sigma = 1", "intrinsic noise sigma = 2",
            "label-noise procedure sigma = 1"};
        List<KernelLearning.Result> results = runTwoAtATime(configs);
        XYChart align = chart("Alignment of the intrinsic kernel with the labels", "step", "alignment");
        XYChart df = chart("Degrees of freedom tr(K (K + n lambdaA I)^-1)", "step", "df");
        XYChart err = chart("Test error on x1 x2 (d = 15), n = " + configs.get(0).n(), "step", "test MSE");
        for (int r = 0; r < configs.size(); r++) {
            KernelLearning.Result res = results.get(r);
            double[] steps = new double[res.steps().length];
            for (int k = 0; k < steps.length; k++) {
                steps[k] = res.steps()[k];
            }
            align.addSeries(names[r], steps, res.alignment()).setMarker(SeriesMarkers.NONE);
            df.addSeries(names[r], steps, res.df()).setMarker(SeriesMarkers.NONE);
            err.addSeries(names[r], steps, res.testError()).setMarker(SeriesMarkers.NONE);
        }
        KernelLearning.Baselines b = KernelLearning.baselines(configs.get(0));
        double[] ends = {0, configs.get(0).steps()};
        dashed(err.addSeries("KRR, analytic relu NTK (tuned ridge)", ends,
                new double[] {b.analyticNtk().testMse(), b.analyticNtk().testMse()}));
        dashed(err.addSeries("KRR, initial intrinsic kernel (tuned ridge)", ends,
                new double[] {b.initialIntrinsic().testMse(), b.initialIntrinsic().testMse()}));
        dashed(err.addSeries("KRR, the net's tangent kernel at init (tuned ridge)", ends,
                new double[] {b.initialNtk().testMse(), b.initialNtk().testMse()}));
        Charts.saveSvg(align, dir.resolve("tt-alignment.svg"));
        Charts.saveSvg(df, dir.resolve("tt-df.svg"));
        Charts.saveSvg(err, dir.resolve("tt-test-error.svg"));
    }

    private static List<KernelLearning.Result> runTwoAtATime(List<KernelLearning.Config> configs) {
        List<KernelLearning.Result> out = new ArrayList<>();
        for (int i = 0; i < configs.size(); i += 2) {
            FutureTask<KernelLearning.Result> second = null;
            if (i + 1 < configs.size()) {
                KernelLearning.Config c = configs.get(i + 1);
                second = new FutureTask<>(() -> KernelLearning.run(c));
                Thread t = new Thread(second, "tt-figure-run");
                t.setDaemon(true);
                t.start();
            }
            out.add(KernelLearning.run(configs.get(i)));
            if (second != null) {
                try {
                    out.add(second.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a two-timescale run", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a two-timescale figure run failed", e.getCause());
                }
            }
        }
        return out;
    }

    private static void staircaseFigures(Path dir) throws IOException {
        Staircase target = Staircase.marionBerthier();
        StaircaseSgd.Result tt = StaircaseSgd.run(target, StaircaseSgd.Config.twoTimescale(SEED));
        StaircaseSgd.Result eq = StaircaseSgd.run(target, StaircaseSgd.Config.equalRate(SEED));
        int points = 1001;
        double[] x = new double[points], fStar = new double[points], fTt = new double[points], fEq = new double[points];
        for (int k = 0; k < points; k++) {
            x[k] = (double) k / (points - 1);
            fStar[k] = target.value(x[k]);
            fTt[k] = tt.network().value(x[k]);
            fEq[k] = eq.network().value(x[k]);
        }
        XYChart fits = chart("Staircase fits after SGD (Marion-Berthier setting, m = 20)", "x", "f(x)");
        dashed(fits.addSeries("target", x, fStar));
        fits.addSeries("two-timescale (eps = 2e-5)", x, fTt).setMarker(SeriesMarkers.NONE);
        fits.addSeries("equal rates (eps = 1)", x, fEq).setMarker(SeriesMarkers.NONE);
        neurons(fits, "two-timescale neurons", tt.network(), -6.5);
        neurons(fits, "equal-rate neurons", eq.network(), -7.5);
        Charts.saveSvg(fits, dir.resolve("tt-staircase-fits.svg"));

        XYChart err = chart("Squared L2 error of the staircase fit during SGD", "SGD step", "int (f - f*)^2");
        err.getStyler().setYAxisLogarithmic(true);
        err.getStyler().setXAxisLogarithmic(true);
        addError(err, "two-timescale (eps = 2e-5, h = 1e-3)", tt);
        addError(err, "equal rates (eps = 1, h = 1e-5)", eq);
        Charts.saveSvg(err, dir.resolve("tt-staircase-error.svg"));
    }

    /** The neurons' positions u_j as markers on a horizontal line at height y. */
    private static void neurons(XYChart chart, String name, RampNetwork net, double y) {
        double[] u = net.positions();
        double[] level = new double[u.length];
        java.util.Arrays.fill(level, y);
        XYSeries s = chart.addSeries(name, u, level);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.DIAMOND);
    }

    private static void addError(XYChart chart, String name, StaircaseSgd.Result r) {
        // Step 0 cannot sit on a logarithmic axis: start from the first observation after it
        int count = r.steps().length - 1;
        double[] s = new double[count], e = new double[count];
        for (int k = 0; k < count; k++) {
            s[k] = r.steps()[k + 1];
            e[k] = r.errors()[k + 1];
        }
        chart.addSeries(name, s, e).setMarker(SeriesMarkers.NONE);
    }

    private static void dashed(XYSeries s) {
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(Charts.dashed(1.5f));
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = Charts.xy(title, xTitle, yTitle);
        // Below the plot: the curves fill the upper part of every panel at some time
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return chart;
    }
}
