package twolayer.plot;

import de.erichseifert.vectorgraphics2d.GraphicsState;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.VectorHints;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.PathIterator;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * Writes an XChart chart as SVG with its text kept as {@code <text>} elements.
 *
 * <p>Why this exists: XChart draws every string as the outline of its glyphs ({@code TextLayout.getOutline} and
 * {@code Graphics2D.fill}), never with {@code drawString}, so VectorGraphics2D's text hint
 * ({@link VectorHints#KEY_TEXT}) cannot help: by the time the string reaches the graphics it is a shape. Outlines
 * make each figure 100-200 KB of glyph curves, and the text cannot be searched, selected or read aloud.
 *
 * <p>How: during the paint, every font of the chart's styler is replaced by a {@link RecordingFont} that remembers
 * the strings XChart lays out ({@code TextLayout} asks its font for the line metrics of the string). When XChart then
 * fills a shape, the shape is compared, point by point, with the outline of each recently laid-out string, upright
 * or turned a quarter (the y axis title); if one matches exactly up to a translation, {@code drawString} is called
 * instead, at the same place, and VectorGraphics2D writes a {@code <text>}. Anything that matches no string is
 * filled as before, so the picture never loses a shape. The fonts are restored after the paint.
 *
 * <p>Coordinates are written with at most two decimals (a hundredth of a pixel), and text falls back to the
 * browser's sans-serif font when the font of the build machine is missing on the reader's.
 */
final class TextKeepingSvg {

    /** How many recently laid-out strings a filled shape is compared with. */
    private static final int RECENT = 64;
    /** Two outlines are the same string when every coordinate agrees this closely (pixels). */
    private static final double SAME = 1e-3;

    private TextKeepingSvg() {}

    /** Paints {@code chart} and writes it as an SVG document to {@code out}. */
    static void write(IChart chart, OutputStream out) throws IOException {
        Recorder recorder = new Recorder();
        Map<Method, Font> restore = installRecordingFonts(chart, recorder);
        Graphics g = new Graphics(recorder);
        g.setRenderingHint(VectorHints.KEY_TEXT, VectorHints.VALUE_TEXT_DEFAULT);
        try {
            chart.paint(g, chart.getWidth(), chart.getHeight());
        } finally {
            restoreFonts(chart, restore);
        }
        var document = new SVGProcessor().getDocument(g.getCommands(),
                new PageSize(0, 0, chart.getWidth(), chart.getHeight()));
        var buffer = new java.io.ByteArrayOutputStream();
        document.writeTo(buffer);
        out.write(tidy(buffer.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    }

    private static final Pattern LONG_DECIMAL = Pattern.compile("(-?\\d+\\.\\d{2})\\d+");
    private static final Pattern NUMERIC_ATTRIBUTE = Pattern.compile(
            "\\b(d|x|y|x1|x2|y1|y2|cx|cy|rx|ry|width|height|transform)=\"([^\"]*)\"");
    private static final Pattern FONT_FAMILY = Pattern.compile("font-family:(&quot;[^&]*&quot;);");
    /**
     * VectorGraphics2D leaves out a font's size and family where they equal its default font's (Dialog, 12): give
     * the root element that default, which SVG text inherits (a browser would take 16 px and its serif font).
     */
    private static final String ROOT_FONT = "<svg font-family=\"sans-serif\" font-size=\""
            + GraphicsState.DEFAULT_FONT.getSize() + "px\" ";

    /**
     * Shortens the numbers of geometric attributes to two decimals (truncated: a hundredth of a pixel is invisible),
     * leaving the text itself alone, adds the generic sans-serif family after each named font, and writes the
     * default font's size and family on the root element.
     */
    static String tidy(String svg) {
        Matcher m = NUMERIC_ATTRIBUTE.matcher(svg);
        StringBuilder s = new StringBuilder(svg.length());
        while (m.find()) {
            String value = LONG_DECIMAL.matcher(m.group(2)).replaceAll("$1");
            m.appendReplacement(s, Matcher.quoteReplacement(m.group(1) + "=\"" + value + "\""));
        }
        m.appendTail(s);
        return FONT_FAMILY.matcher(s).replaceAll("font-family:$1,sans-serif;").replaceFirst("<svg ", ROOT_FONT);
    }

    /** Replaces every {@code getXxxFont()/setXxxFont(Font)} pair of the styler; returns the setters and old fonts. */
    private static Map<Method, Font> installRecordingFonts(IChart chart, Recorder recorder) throws IOException {
        Object styler = styler(chart);
        Map<Method, Font> old = new LinkedHashMap<>();
        for (Method get : styler.getClass().getMethods()) {
            String name = get.getName();
            if (!name.startsWith("get") || !name.endsWith("Font") || get.getParameterCount() != 0
                    || get.getReturnType() != Font.class) {
                continue;
            }
            try {
                Method set = styler.getClass().getMethod("set" + name.substring(3), Font.class);
                Font font = (Font) get.invoke(styler);
                if (font != null && !(font instanceof RecordingFont)) {
                    old.put(set, font);
                    set.invoke(styler, new RecordingFont(font, recorder));
                }
            } catch (NoSuchMethodException e) {
                // a font without a setter is not used for text of its own
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IOException("cannot set the font " + name.substring(3) + " of the chart's styler: " + e, e);
            }
        }
        return old;
    }

    private static void restoreFonts(IChart chart, Map<Method, Font> old) throws IOException {
        Object styler = styler(chart);
        for (Map.Entry<Method, Font> e : old.entrySet()) {
            try {
                e.getKey().invoke(styler, e.getValue());
            } catch (IllegalAccessException | InvocationTargetException ex) {
                throw new IOException("cannot restore a font of the chart's styler: " + ex, ex);
            }
        }
    }

    private static Object styler(IChart chart) throws IOException {
        try {
            return chart.getClass().getMethod("getStyler").invoke(chart);
        } catch (ReflectiveOperationException e) {
            throw new IOException("chart " + chart.getClass().getSimpleName() + " has no styler: " + e, e);
        }
    }

    /** A font that reports the strings laid out with it; it renders exactly as the font it copies. */
    static final class RecordingFont extends Font {
        private final transient Recorder recorder;
        private final Font plain;

        RecordingFont(Font font, Recorder recorder) {
            super(font.getAttributes());
            this.recorder = recorder;
            this.plain = new Font(font.getAttributes());
        }

        @Override
        public LineMetrics getLineMetrics(char[] chars, int begin, int limit, FontRenderContext frc) {
            recorder.laidOut(new String(chars, begin, limit - begin), plain);
            return super.getLineMetrics(chars, begin, limit, frc);
        }

        @Override
        public LineMetrics getLineMetrics(String str, int begin, int limit, FontRenderContext frc) {
            recorder.laidOut(str.substring(begin, limit), plain);
            return super.getLineMetrics(str, begin, limit, frc);
        }
    }

    /** A string laid out in a font. */
    private record Text(String string, Font font) {}

    /** Where a string's outline was found: its origin and how many quarter turns (counter-clockwise) it was turned. */
    private record Placement(Text text, double x, double y, int quarterTurns) {}

    /** The strings laid out recently, most recent first, and their outlines. */
    static final class Recorder {
        private final Deque<Text> recent = new ArrayDeque<>();
        private final Map<Text, double[]> outlines = new HashMap<>();
        private final Map<Text, int[]> types = new HashMap<>();

        void laidOut(String string, Font font) {
            Text t = new Text(string, font);
            recent.remove(t);
            recent.addFirst(t);
            if (recent.size() > RECENT) {
                recent.removeLast();
            }
        }

        /** The string whose outline {@code shape} is, and where; or null if it is no recent string's outline. */
        Placement find(Shape shape, FontRenderContext frc) {
            List<Integer> segmentTypes = new ArrayList<>();
            double[] coords = path(shape, segmentTypes);
            if (coords.length < 2) {
                return null;
            }
            int[] shapeTypes = segmentTypes.stream().mapToInt(Integer::intValue).toArray();
            for (Text t : recent) {
                if (t.string().isBlank()) {
                    continue;
                }
                double[] ref = outlines.computeIfAbsent(t, k -> {
                    List<Integer> ty = new ArrayList<>();
                    double[] c = path(new TextLayout(k.string(), k.font(), frc).getOutline(null), ty);
                    types.put(k, ty.stream().mapToInt(Integer::intValue).toArray());
                    return c;
                });
                if (ref.length != coords.length || !Arrays.equals(types.get(t), shapeTypes)) {
                    continue;
                }
                for (int turns = 0; turns < 4; turns++) {
                    double[] p = turn(ref[0], ref[1], turns);
                    double dx = coords[0] - p[0];
                    double dy = coords[1] - p[1];
                    if (same(ref, coords, turns, dx, dy)) {
                        return new Placement(t, dx, dy, turns);
                    }
                }
            }
            return null;
        }

        private static boolean same(double[] ref, double[] coords, int turns, double dx, double dy) {
            for (int k = 0; k < ref.length; k += 2) {
                double[] p = turn(ref[k], ref[k + 1], turns);
                if (Math.abs(p[0] + dx - coords[k]) > SAME || Math.abs(p[1] + dy - coords[k + 1]) > SAME) {
                    return false;
                }
            }
            return true;
        }

        /** (x, y) turned by {@code turns} quarter turns as AffineTransform.quadrantRotate does in screen space. */
        private static double[] turn(double x, double y, int turns) {
            return switch (turns) {
                case 0 -> new double[] {x, y};
                case 1 -> new double[] {-y, x};
                case 2 -> new double[] {-x, -y};
                default -> new double[] {y, -x};
            };
        }

        /** The points of the path of {@code shape} in order, and the segment types into {@code typesOut}. */
        private static double[] path(Shape shape, List<Integer> typesOut) {
            double[] buf = new double[6];
            double[] out = new double[64];
            int n = 0;
            for (PathIterator it = shape.getPathIterator(null); !it.isDone(); it.next()) {
                int type = it.currentSegment(buf);
                typesOut.add(type);
                int points = switch (type) {
                    case PathIterator.SEG_MOVETO, PathIterator.SEG_LINETO -> 1;
                    case PathIterator.SEG_QUADTO -> 2;
                    case PathIterator.SEG_CUBICTO -> 3;
                    default -> 0;
                };
                if (n + 2 * points > out.length) {
                    out = Arrays.copyOf(out, 2 * out.length + 6);
                }
                System.arraycopy(buf, 0, out, n, 2 * points);
                n += 2 * points;
            }
            return Arrays.copyOf(out, n);
        }
    }

    /** VectorGraphics2D that draws a filled outline of a recently laid-out string as that string. */
    static final class Graphics extends VectorGraphics2D {
        private final Recorder recorder;
        private boolean drawingText;

        Graphics(Recorder recorder) {
            this.recorder = recorder;
        }

        @Override
        public void fill(Shape s) {
            Placement p = drawingText || s == null ? null : recorder.find(s, getFontRenderContext());
            if (p == null) {
                super.fill(s);
                return;
            }
            AffineTransform saved = getTransform();
            Font savedFont = getFont();
            drawingText = true;
            try {
                translate(p.x(), p.y());
                if (p.quarterTurns() != 0) {
                    transform(AffineTransform.getQuadrantRotateInstance(p.quarterTurns()));
                }
                setFont(p.text().font());
                drawString(p.text().string(), 0f, 0f);
            } finally {
                drawingText = false;
                setTransform(saved);
                setFont(savedFont);
            }
        }
    }
}
