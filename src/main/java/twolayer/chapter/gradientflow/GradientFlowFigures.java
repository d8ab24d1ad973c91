package twolayer.chapter.gradientflow;

import static twolayer.plot.Charts.chart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.plot.Charts;

/**
 * The figures of the gradient-flow chapter, from a real run of {@link EulerConvergence}:
 * <ul>
 *   <li>{@code gd-to-flow-loss.svg}: the loss of gradient descent minus the loss of gradient flow along the run,
 *       at shrinking eta (observed at the same times t = eta k for every eta);</li>
 *   <li>{@code gd-to-flow-error.svg}: ||theta_GD(T) - theta_GF(T)|| against eta, log-log, with the slope-1 line.</li>
 * </ul>
 */
public final class GradientFlowFigures {

    private GradientFlowFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        eulerFigures(dir);
    }

    private static void eulerFigures(Path dir) throws IOException {
        EulerConvergence.Result r = EulerConvergence.run(EulerConvergence.Config.site());

        XYChart loss = chart("Gradient descent approaches gradient flow as eta shrinks",
                "gradient-flow time t = eta k", "L_GD(t) - L_GF(t)");
        loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        double[] flowLoss = r.flow().losses();
        for (EulerConvergence.Curve c : r.descent()) {
            double[] gap = new double[c.losses().length];
            for (int k = 0; k < gap.length; k++) {
                gap[k] = c.losses()[k] - flowLoss[k];
            }
            XYSeries s = loss.addSeries(c.label(), c.times(), gap);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        Charts.saveSvg(loss, dir.resolve("gd-to-flow-loss.svg"));

        XYChart error = chart("Distance to the flow at T is O(eta)", "step size eta",
                "||theta_GD(T) - theta_GF(T)||");
        error.getStyler().setXAxisLogarithmic(true);
        error.getStyler().setYAxisLogarithmic(true);
        XYSeries measured = error.addSeries("measured", r.etas(), r.errors());
        measured.setMarker(SeriesMarkers.DIAMOND);
        double[] etas = r.etas();
        double[] ref = new double[etas.length];
        int last = etas.length - 1;
        for (int k = 0; k < etas.length; k++) {
            ref[k] = r.errors()[last] * etas[k] / etas[last];
        }
        XYSeries slope = error.addSeries("slope 1 (through the smallest eta)", etas, ref);
        slope.setMarker(SeriesMarkers.NONE);
        slope.setLineStyle(Charts.dashed(1.5f));
        Charts.saveSvg(error, dir.resolve("gd-to-flow-error.svg"));
    }

    /** The names of the files written, for the build's check that every figure exists. */
    public static List<String> files() {
        return List.of("gd-to-flow-loss.svg", "gd-to-flow-error.svg");
    }
}
