package twolayer.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/** The site's SVG figures keep their text as text, stay small, and keep the fonts of the chart untouched. */
class TextKeepingSvgTest {

    private static final Pattern TEXT = Pattern.compile("<text[^>]*>([^<]*)</text>");

    private static XYChart chart() {
        XYChart c = Charts.chart("Loss against time, width 1024", "time t = eta k", "loss");
        double[] t = new double[40], loss = new double[40];
        for (int k = 0; k < t.length; k++) {
            t[k] = k;
            loss[k] = Math.exp(-k / 10.0);
        }
        c.addSeries("gradient descent", t, loss);
        Charts.dashed(c.addSeries("e^(-t/10)", t, loss));
        return c;
    }

    private static String svg(XYChart chart) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TextKeepingSvg.write(chart, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void titlesLegendAndTickLabelsAreTextAndNoGlyphOutlineRemains() throws IOException {
        XYChart chart = chart();
        var before = chart.getStyler().getAxisTickLabelsFont();
        String svg = svg(chart);
        List<String> texts = new ArrayList<>();
        for (Matcher m = TEXT.matcher(svg); m.find(); ) {
            texts.add(m.group(1));
        }
        for (String s : List.of("Loss against time, width 1024", "time t = eta k", "loss", "gradient descent",
                "e^(-t/10)", "0.5", "10")) {
            assertTrue(texts.contains(s), "\"" + s + "\" is written as text; texts: " + texts);
        }
        // glyph outlines are quadratic curves (Q); the chart's own shapes here are lines, rectangles and ellipses
        assertTrue(!svg.contains(" Q"), "no glyph outline (quadratic curve) is left in the SVG");
        assertTrue(svg.length() < 60_000, "a small chart is a small file, not " + svg.length() + " characters");
        assertEquals(before, chart.getStyler().getAxisTickLabelsFont(), "the chart's fonts are restored");
        assertEquals(java.awt.Font.class, chart.getStyler().getAxisTickLabelsFont().getClass());
    }

    @Test
    void tidyShortensGeometryButNotText() {
        String in = "<svg x=\"0\"><path d=\"M1.23456,-7.891 L2,3.5\"/><text x=\"3.14159\""
                + " style=\"font-family:&quot;DejaVu Sans&quot;;\">0.123456</text></svg>";
        assertEquals("<svg font-family=\"sans-serif\" font-size=\"12px\" x=\"0\"><path d=\"M1.23,-7.89 L2,3.5\"/>"
                + "<text x=\"3.14\" style=\"font-family:&quot;DejaVu Sans&quot;,sans-serif;\">0.123456</text></svg>",
                TextKeepingSvg.tidy(in));
    }
}
