package twolayer.chapter.ntk;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.chapter.ntk.WidePredictions.Config;
import twolayer.chapter.ntk.WidePredictions.Model;
import twolayer.chapter.ntk.WidePredictions.Result;
import twolayer.model.Activation;
import twolayer.plot.Charts;

/**
 * The figure of the NTK chapter's section "From the kernel to the trained net", from a real run of
 * {@link WidePredictions}: {@code ntk-predictions-vs-width.svg}, the test predictions of relu nets of the ntk preset
 * (antisymmetric initialisation) of widths 64, 512 and 4096, trained by gradient descent to the late time of claim
 * NTK-9, along a great circle of the input sphere, against the prediction of kernel regression with the analytic NTK.
 */
public final class NtkPredictionFigures {

    /** Points along the circle. */
    private static final int POINTS = 121;
    private static final int[] WIDTHS = {64, 512, 4096};

    private NtkPredictionFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        predictionsVsWidth(dir);
    }

    /** The chapter's relu configuration, one net per width, test inputs sqrt(d) (cos phi, sin phi, 0). */
    private static void predictionsVsWidth(Path dir) throws IOException {
        Config chapter = Config.chapter(Activation.RELU);
        Config c = new Config(chapter.activation(), chapter.d(), chapter.n(), chapter.nTest(), chapter.sigmaW(),
                chapter.sigmaV(), chapter.sigmaB(), WIDTHS, 1, chapter.steps(), chapter.etaFactor(), chapter.seed());
        int d = c.d();
        double[] angle = new double[POINTS], x = new double[POINTS * d];
        for (int i = 0; i < POINTS; i++) {
            double phi = 2 * Math.PI * i / (POINTS - 1);
            angle[i] = Math.toDegrees(phi);
            x[i * d] = Math.sqrt(d) * Math.cos(phi);
            x[i * d + 1] = Math.sqrt(d) * Math.sin(phi);
        }
        Result r = WidePredictions.run(c, x);
        int last = r.times().length - 1;
        XYChart chart = Charts.xy(String.format("Trained relu nets (ntk preset, f0 = 0) and the analytic NTK, t = %.0f",
                r.times()[last]), "angle phi of the test input sqrt(d) (cos phi, sin phi, 0) (degrees)", "f(x, t)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        Color[] colors = {new Color(170, 200, 230), new Color(90, 140, 200), new Color(20, 60, 150)};
        for (int w = 0; w < WIDTHS.length; w++) {
            XYSeries s = chart.addSeries("net, m = " + WIDTHS[w],
                    angle, r.outputs()[Model.NET_DESCENT.ordinal()][w][0][last]);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colors[w]);
        }
        XYSeries limit = chart.addSeries("kernel regression, analytic NTK", angle, r.limit()[0][last]);
        limit.setMarker(SeriesMarkers.NONE);
        limit.setLineColor(new Color(200, 60, 30));
        limit.setLineStyle(Charts.dashed(2f));
        Charts.saveSvg(chart, dir.resolve("ntk-predictions-vs-width.svg"));
    }

    /** The names of the files written, for the build's check that every figure exists. */
    public static List<String> files() {
        return List.of("ntk-predictions-vs-width.svg");
    }
}
