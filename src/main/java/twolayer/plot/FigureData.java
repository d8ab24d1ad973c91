package twolayer.plot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * The data behind a figure of the site, written next to it by {@link Charts#saveSvg}: {@code NAME.csv}, every point
 * the chart draws, and {@code NAME.json}, where the figure comes from (architecture chapter, section "Figures").
 *
 * <p>The CSV has the header {@code series,x,y,error} and one row per point, in the order the series were added:
 * the series' legend name, x, y, and the half-length of the point's error bar, empty where the series has none.
 * Numbers are written with {@link Double#toString} (the shortest text that reads back to the same double, the same
 * in every locale), so the CSV holds the plotted values in full precision; names are quoted as RFC 4180 says.
 */
public final class FigureData {

    /** The command that draws every figure of the site. */
    public static final String COMMAND = "mvn -B package";

    /** The CSV header. */
    public static final String HEADER = "series,x,y,error";

    private FigureData() {}

    /**
     * The points of {@code chart} as CSV (see the class comment). XY and category charts are the chart types the
     * site draws; any other is refused, so that no figure silently goes without its data.
     *
     * @throws IOException naming the chart type if it is neither
     */
    public static String csv(IChart chart) throws IOException {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        if (chart instanceof XYChart xy) {
            for (XYSeries s : xy.getSeriesCollection()) {
                double[] x = s.getXData(), y = s.getYData(), e = s.getExtraValues();
                for (int i = 0; i < y.length; i++) {
                    row(out, s.getName(), Double.toString(x[i]), y[i], e == null ? null : e[i]);
                }
            }
        } else if (chart instanceof CategoryChart category) {
            for (CategorySeries s : category.getSeriesCollection()) {
                Collection<?> x = s.getXData();
                double[] y = s.getYData(), e = s.getExtraValues();
                Iterator<?> xs = x.iterator();
                for (int i = 0; i < y.length; i++) {
                    Object xi = xs.next();
                    String text = xi instanceof Number n ? Double.toString(n.doubleValue()) : quote(String.valueOf(xi));
                    row(out, s.getName(), text, y[i], e == null ? null : e[i]);
                }
            }
        } else {
            throw new IOException("figure data: a " + chart.getClass().getSimpleName()
                    + " cannot be written as CSV (the site draws XYChart and CategoryChart)");
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String series, String x, double y, Double error) {
        out.append(quote(series)).append(',').append(x).append(',').append(Double.toString(y)).append(',');
        if (error != null) {
            out.append(Double.toString(error));
        }
        out.append('\n');
    }

    /** A CSV field: as it is unless it holds a comma, a quote or a line break, else quoted with quotes doubled. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /**
     * The provenance sidecar of figure {@code svgName} as JSON: the figure and data file names, the class that drew
     * it ({@code made_by}), its {@code SEED} constant where that class declares one ({@code seed}, else null), and
     * the build command.
     */
    public static String provenance(String svgName, Class<?> madeBy) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("figure", svgName);
        json.put("data", csvName(svgName));
        json.put("columns", HEADER);
        json.put("made_by", madeBy.getName());
        json.put("seed", seedOf(madeBy).orElse(null));
        json.put("seed_meaning", "the SEED constant of made_by, the seed its experiments are drawn from (some derive"
                + " further seeds from it, such as SEED + 1); null where the class has none (its"
                + " experiments' configurations then fix their seeds, or it draws nothing at random)");
        json.put("command", COMMAND);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and a number is always JSON", e);
        }
    }

    /** {@code NAME.csv} for {@code NAME.svg}. */
    public static String csvName(String svgName) {
        return stem(svgName) + ".csv";
    }

    /** {@code NAME.json} for {@code NAME.svg}. */
    public static String jsonName(String svgName) {
        return stem(svgName) + ".json";
    }

    private static String stem(String svgName) {
        return svgName.endsWith(".svg") ? svgName.substring(0, svgName.length() - 4) : svgName;
    }

    /** The value of a {@code static long SEED} field of {@code c}, or of the class it is nested in. */
    static Optional<Long> seedOf(Class<?> c) {
        try {
            Field f = c.getNestHost().getDeclaredField("SEED");
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != long.class) {
                return Optional.empty();
            }
            f.setAccessible(true);
            return Optional.of(f.getLong(null));
        } catch (NoSuchFieldException | IllegalAccessException | RuntimeException e) {
            // no such constant, or one reflection may not read: the sidecar then says null rather than guess
            return Optional.empty();
        }
    }

    /**
     * The class that asked for the figure: the caller of {@link Charts#saveSvg} (a chapter's {@code ...Figures}
     * class, or a test), taken as its outermost class so that a lambda or nested record names its chapter class.
     */
    static Class<?> caller() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c != FigureData.class && c != Charts.class)
                        .findFirst())
                .map(Class::getNestHost)
                .orElse(FigureData.class);
    }
}
