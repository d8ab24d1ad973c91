package twolayer.chapter.model;

import static twolayer.plot.Charts.chart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.model.Parameterization;
import twolayer.plot.Charts;

/**
 * The figures of the model chapter, from real draws of {@link InitialOutputs}:
 * <ul>
 *   <li>{@code init-output-ntk.svg}, {@code init-output-meanfield.svg}: the density of f(x) at initialisation at
 *       several widths under the two scalings;</li>
 *   <li>{@code init-variance-vs-width.svg}: Var f(x) against m, log-log, with the predicted lines.</li>
 * </ul>
 */
public final class ModelFigures {

    private ModelFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        initialOutputFigures(dir);
    }

    private static void initialOutputFigures(Path dir) throws IOException {
        InitialOutputs.Config c = InitialOutputs.Config.site();
        InitialOutputs.Samples ntk = InitialOutputs.run(c, Parameterization.ntk(1.0, 1.0));
        InitialOutputs.Samples mf = InitialOutputs.run(c, Parameterization.meanField());
        int[] shown = {0, 2, 4, 6}; // m = 10, 100, 1000, 10000
        Charts.saveSvg(densities("ntk preset: f(x) at initialisation keeps its spread", ntk, shown, 4.0),
                dir.resolve("init-output-ntk.svg"));
        Charts.saveSvg(densities("meanField preset: f(x) at initialisation concentrates at 0", mf, shown, 1.0),
                dir.resolve("init-output-meanfield.svg"));

        XYChart var = chart("Variance of f(x) at initialisation against width", "width m", "Var f(x)");
        var.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        var.getStyler().setXAxisLogarithmic(true);
        var.getStyler().setYAxisLogarithmic(true);
        double[] m = new double[c.widths().length];
        double[] vNtk = new double[m.length], vMf = new double[m.length];
        for (int k = 0; k < m.length; k++) {
            m[k] = c.widths()[k];
            vNtk[k] = ntk.variance(k);
            vMf[k] = mf.variance(k);
        }
        var.addSeries("ntk (predicted slope 0)", m, vNtk).setMarker(SeriesMarkers.CIRCLE);
        var.addSeries("meanField (predicted slope -1)", m, vMf).setMarker(SeriesMarkers.SQUARE);
        double[] line = new double[m.length];
        for (int k = 0; k < m.length; k++) {
            line[k] = vMf[0] * m[0] / m[k];
        }
        XYSeries ref = var.addSeries("1/m", m, line);
        ref.setMarker(SeriesMarkers.NONE);
        ref.setLineStyle(Charts.dashed(1.5f));
        Charts.saveSvg(var, dir.resolve("init-variance-vs-width.svg"));
    }

    /** Histogram densities of the samples at the chosen width indices, on [-range, range] with 40 bins. */
    private static XYChart densities(String title, InitialOutputs.Samples s, int[] shown, double range) {
        XYChart chart = chart(title, "f(x)", "density");
        int bins = 40;
        double width = 2 * range / bins;
        for (int k : shown) {
            double[] centres = new double[bins], density = new double[bins];
            for (int b = 0; b < bins; b++) {
                centres[b] = -range + (b + 0.5) * width;
            }
            for (double f : s.samples()[k]) {
                int b = (int) Math.floor((f + range) / width);
                if (b >= 0 && b < bins) {
                    density[b]++;
                }
            }
            for (int b = 0; b < bins; b++) {
                density[b] /= s.samples()[k].length * width;
            }
            XYSeries series = chart.addSeries("m = " + s.widths()[k], centres, density);
            series.setMarker(SeriesMarkers.NONE);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        }
        return chart;
    }

    /** The names of the files written, for the build's check that every figure exists. */
    public static List<String> files() {
        return List.of("init-output-ntk.svg", "init-output-meanfield.svg", "init-variance-vs-width.svg");
    }
}
