package twolayer.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.data.AtomicFiles;

/**
 * Saves XChart charts for the site, atomically (see {@link AtomicFiles}), so that an interrupted build never
 * leaves a truncated figure behind.
 *
 * <p>SVG is the default for the site (it scales and stays sharp); a dense plot (thousands of points) makes
 * a large SVG, about 1 MB for a 3000-point line, so decimate the points or use {@link #savePng}.
 * Run headless ({@code -Djava.awt.headless=true}, as the build does).
 */
public final class Charts {

    /** The size of every chart of the site, in pixels. */
    public static final int WIDTH = 720, HEIGHT = 440;

    private Charts() {}

    /** An XY chart in the site's style: its size, a white background and grid lines. */
    public static XYChart xy(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        // solid grid lines: XChart turns a dashed grid line into one filled rectangle per dash (about 6 KB of SVG
        // per line, two thirds of a figure's size); a light solid line is one rectangle and reads as well
        chart.getStyler().setPlotGridLinesStroke(new BasicStroke(1f));
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        return chart;
    }

    /** The dashed line of reference curves (predicted rates, limits). */
    public static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }

    /** {@link #xy} with the legend inside the top right corner (most of the site's curves fall from the left). */
    public static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = xy(title, xTitle, yTitle);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /** Draws {@code s} as a reference curve (a prediction or a limit): dashed, 1.5 px, without markers. */
    public static XYSeries dashed(XYSeries s) {
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(dashed(1.5f));
        return s;
    }

    /**
     * Writes {@code chart} as an SVG file at {@code file} (give the full name, ending in {@code .svg}), with its text
     * as text (see {@link TextKeepingSvg}: XChart alone would write every glyph as an outline), and beside it its
     * data {@code NAME.csv} and provenance {@code NAME.json} (see {@link FigureData}; the site links both under the
     * figure). The SVG is written last, so a figure on disk always has its data next to it.
     *
     * @throws IOException naming the file if one cannot be written, or the chart type if its data cannot be
     */
    public static void saveSvg(IChart chart, Path file) throws IOException {
        String name = file.getFileName().toString();
        AtomicFiles.writeString(file.resolveSibling(FigureData.csvName(name)), FigureData.csv(chart));
        AtomicFiles.writeString(file.resolveSibling(FigureData.jsonName(name)),
                FigureData.provenance(name, FigureData.caller()));
        AtomicFiles.write(file, out -> TextKeepingSvg.write(chart, out));
    }

    /** Writes {@code chart} as a PNG file at {@code file} (give the full name, ending in {@code .png}). */
    public static void savePng(IChart chart, Path file) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
