package twolayer.site;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One claim record, as a claim test writes it to {@code target/claims/<id>.json} (architecture chapter, section "Adding a claim"):
 * <pre>
 * { "id": "FOUND-2", "chapter": "gradient-flow", "statement": "...", "source": "...", "run_id": "...",
 *   "measured": { "slope": -0.498, "r2": 0.9991 }, "tolerance": "... (why)", "status": "pass" }
 * </pre>
 * Every field is required but {@code run_id}; {@code measured} maps names to numbers (a non-number is shown as
 * written). An optional {@code firstFailure} (the message of the first failing case) is kept for a failing claim.
 * {@code run_id} names the test run that wrote the record; a record without one (an older writer) belongs to no run
 * and the ledger shows it as stale.
 *
 * @param measured name to value, in the order of the file: a {@link Long} for an integral JSON number,
 *                 a {@link Double} for any other number, a {@link String} for anything else
 * @param firstFailure the message of the first failing case, or null
 * @param runId the id of the test run that wrote the record, or null if it has none
 */
public record ClaimRecord(String id, String chapter, String statement, String source,
                          Map<String, Object> measured, String tolerance, boolean pass, String firstFailure,
                          String runId) {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    static final Pattern CHAPTER_SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    // NaN and Infinity may be written as bare tokens by some writers: accept them as numbers
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** Reads and checks one record; the message of the exception names the file and the field. */
    public static ClaimRecord read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
            throw new IOException("claim record " + file + " is not valid JSON: " + why, e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("claim record " + file + " must hold one JSON object");
        }
        String id = text(root, "id", file);
        if (!ID.matcher(id).matches()) {
            throw new IOException("claim record " + file + ": id \"" + id
                    + "\" must be letters, digits, '.', '_' and '-' (like NTK-3)");
        }
        String chapter = text(root, "chapter", file);
        if (!CHAPTER_SLUG.matcher(chapter).matches()) {
            throw new IOException("claim record " + file + ": chapter \"" + chapter
                    + "\" is not a chapter slug (lower-case words joined by '-', like gradient-flow)");
        }
        String status = text(root, "status", file);
        if (!status.equals("pass") && !status.equals("fail")) {
            throw new IOException("claim record " + file + ": status must be \"pass\" or \"fail\", not \"" + status + "\"");
        }
        JsonNode m = root.get("measured");
        if (m == null || !m.isObject()) {
            throw new IOException("claim record " + file + ": field \"measured\" must be an object of named numbers");
        }
        Map<String, Object> measured = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : m.properties()) {
            JsonNode v = e.getValue();
            Object value = v.isIntegralNumber() && v.canConvertToLong() ? (Object) v.longValue()
                    : v.isNumber() ? (Object) v.doubleValue()
                    : v.isTextual() ? nonFinite(v.textValue()) : v.toString();
            measured.put(e.getKey(), value);
        }
        return new ClaimRecord(id, chapter, text(root, "statement", file), text(root, "source", file),
                Collections.unmodifiableMap(measured), text(root, "tolerance", file), status.equals("pass"),
                root.path("firstFailure").isTextual() ? root.get("firstFailure").textValue() : null,
                runId(root, file));
    }

    /** The optional run_id: absent is null; present, it must be a non-empty string. */
    private static String runId(JsonNode root, Path file) throws IOException {
        return root.has("run_id") ? text(root, "run_id", file) : null;
    }

    /** Jackson writes a non-finite double as the string "NaN", "Infinity" or "-Infinity": read it back as a number. */
    private static Object nonFinite(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> s;
        };
    }

    private static String text(JsonNode root, String field, Path file) throws IOException {
        JsonNode v = root.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new IOException("claim record " + file + ": field \"" + field + "\" must be a non-empty string");
        }
        return v.textValue().strip();
    }
}
