package twolayer.conformance;

import java.util.List;
import java.util.Map;

/**
 * The JSON text of the conformance vectors: a small writer whose output depends only on the value it is given, so
 * that generating the files twice gives the same bytes, and whose layout keeps a matrix readable (one row per line).
 * <ul>
 *   <li>Objects are {@link Map}s, written in their iteration order (use a {@code LinkedHashMap}); arrays are
 *       {@link List}s, {@code double[]} and {@code double[][]} (an array of rows).</li>
 *   <li>A double is written with {@link Double#toString(double)}, which parses back to the same double (JSON has
 *       no NaN or infinity: they are rejected, and the time t = infinity is the string {@code "inf"}); other
 *       numbers with their {@code toString}.</li>
 *   <li>An array of scalars that fits in {@value #INLINE_WIDTH} characters is written on one line, any other array and
 *       every object one element per line, indented by two spaces; the text ends with a newline.</li>
 *   <li>Strings are escaped as JSON requires, and every character outside printable ASCII as {@code \\uXXXX}, so the
 *       files are plain ASCII.</li>
 * </ul>
 */
public final class ConformanceJson {

    /** The widest array of scalars written on one line: a row of a 8 x 8 kernel fits, a list of sentences does not. */
    static final int INLINE_WIDTH = 200;

    private ConformanceJson() {
    }

    /** The JSON text of a value, with a final newline. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        value(out, value, 0);
        return out.append('\n').toString();
    }

    private static void value(StringBuilder out, Object v, int indent) {
        if (v instanceof Map<?, ?> map) {
            object(out, map, indent);
        } else if (v instanceof double[][] rows) {
            array(out, List.of((Object[]) rows), indent);
        } else if (v instanceof double[] row) {
            Object[] boxed = new Object[row.length];
            for (int i = 0; i < row.length; i++) {
                boxed[i] = row[i];
            }
            array(out, List.of(boxed), indent);
        } else if (v instanceof List<?> list) {
            array(out, list, indent);
        } else {
            out.append(scalar(v));
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, int indent) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{\n");
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            pad(out, indent + 1).append(string(String.valueOf(e.getKey()))).append(": ");
            value(out, e.getValue(), indent + 1);
            out.append(++i < map.size() ? ",\n" : "\n");
        }
        pad(out, indent).append('}');
    }

    private static void array(StringBuilder out, List<?> list, int indent) {
        // Scalars that fit on a line stay on one line: a kernel row, a list of times
        String inline = inline(list);
        if (inline != null) {
            out.append(inline);
            return;
        }
        out.append("[\n");
        for (int i = 0; i < list.size(); i++) {
            pad(out, indent + 1);
            value(out, list.get(i), indent + 1);
            out.append(i + 1 < list.size() ? ",\n" : "\n");
        }
        pad(out, indent).append(']');
    }

    /** The one-line form of an array of scalars, or null if it has a nested value or is too wide. */
    private static String inline(List<?> list) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            if (v instanceof Map || v instanceof List || v instanceof double[] || v instanceof double[][]) {
                return null;
            }
            s.append(i > 0 ? ", " : "").append(scalar(v));
            if (s.length() > INLINE_WIDTH) {
                return null;
            }
        }
        return s.append(']').toString();
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double x) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("value: JSON has no " + x + "; write infinity as the string \"inf\"");
            }
            return Double.toString(x);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof String s) {
            return string(s);
        }
        throw new IllegalArgumentException("value: cannot write a " + v.getClass().getSimpleName() + " as JSON");
    }

    private static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static StringBuilder pad(StringBuilder out, int indent) {
        for (int i = 0; i < indent; i++) {
            out.append("  ");
        }
        return out;
    }
}
