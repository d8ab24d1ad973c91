package twolayer.ledger;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of the claims ledger (architecture chapter, section "Adding a claim"): a theorem of a chapter, its source, its tolerance with
 * the reason, and what the test measured. Every check of a claim test goes through {@link #check}, which records
 * the measured numbers and the status in {@code target/claims/<id>.json} (written atomically, rewritten after
 * every case, so the file always reflects all cases run so far) and then asserts.
 *
 * <p>A claim checked over many seeded cases aggregates: each measured name has a merge rule (the worst case is
 * kept for errors, all values for counts), and one failing case makes the claim fail.
 */
public final class Claim {

    /** How a measured value of one case is merged into the claim's record. */
    public enum Merge { MAX, MIN, LAST, SUM }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String id;
    private final String chapter;
    private final String statement;
    private final String source;
    private final String tolerance;
    private final Map<String, Double> measured = new LinkedHashMap<>();
    private int cases;
    private int failures;
    private String firstFailure;

    private Claim(String id, String chapter, String statement, String source, String tolerance) {
        this.id = id;
        this.chapter = chapter;
        this.statement = statement;
        this.source = source;
        this.tolerance = tolerance;
    }

    /**
     * Defines a claim.
     *
     * @param id        e.g. "FOUND-2"
     * @param chapter   the chapter slug (the page name without .html), e.g. "gradient-flow"
     * @param statement the theorem in one sentence
     * @param source    paper (authors, year, theorem/equation) or derivation in the chapter
     * @param tolerance the tolerance with its reason
     */
    public static Claim define(String id, String chapter, String statement, String source, String tolerance) {
        return new Claim(id, chapter, statement, source, tolerance);
    }

    /** The claim's id. */
    public String id() {
        return id;
    }

    /** The measurements of one case. */
    public static final class Case {
        private final Map<String, double[]> values = new LinkedHashMap<>();
        private final Map<String, Merge> rules = new LinkedHashMap<>();

        /** Records a measured value with its merge rule across cases. */
        public Case measured(String name, double value, Merge merge) {
            values.put(name, new double[] {value});
            rules.put(name, merge);
            return this;
        }

        /** A value whose worst case is the largest (an error). */
        public Case max(String name, double value) {
            return measured(name, value, Merge.MAX);
        }

        /** A value whose worst case is the smallest (a margin). */
        public Case min(String name, double value) {
            return measured(name, value, Merge.MIN);
        }

        /** A value of a claim checked once (a fitted slope). */
        public Case value(String name, double value) {
            return measured(name, value, Merge.LAST);
        }
    }

    /** A new, empty case. */
    public static Case measure() {
        return new Case();
    }

    /**
     * Records the case and asserts that it holds.
     *
     * @param holds   whether the claim holds for this case
     * @param c       what was measured
     * @param message the failure message (it should contain the measured value, the bound and the seed)
     */
    public synchronized void check(boolean holds, Case c, String message) {
        cases++;
        for (Map.Entry<String, double[]> e : c.values.entrySet()) {
            String name = e.getKey();
            double v = e.getValue()[0];
            Double old = measured.get(name);
            double merged = switch (c.rules.get(name)) {
                case MAX -> old == null || Double.isNaN(v) ? v : Math.max(old, v);
                case MIN -> old == null || Double.isNaN(v) ? v : Math.min(old, v);
                case LAST -> v;
                case SUM -> old == null ? v : old + v;
            };
            measured.put(name, merged);
        }
        if (!holds) {
            failures++;
            if (firstFailure == null) {
                firstFailure = message;
            }
        }
        write();
        if (!holds) {
            fail(id + ": " + message);
        }
    }

    /** Records a case that could not be completed (an exception) as a failure, then rethrows it. */
    public synchronized RuntimeException failed(RuntimeException e) {
        cases++;
        failures++;
        if (firstFailure == null) {
            firstFailure = e.toString();
        }
        write();
        return e;
    }

    private void write() {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("chapter", chapter);
        root.put("statement", statement);
        root.put("source", source);
        ObjectNode m = root.putObject("measured");
        measured.forEach(m::put);
        m.put("cases", cases);
        root.put("tolerance", tolerance);
        root.put("status", failures == 0 ? "pass" : "fail");
        if (firstFailure != null) {
            root.put("firstFailure", firstFailure);
        }
        Path dir = Path.of(System.getProperty("twolayer.claims.dir", "target/claims"));
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, id, ".tmp");
            JSON.writeValue(tmp.toFile(), root);
            Path target = dir.resolve(id + ".json");
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("claims ledger: cannot write " + dir.resolve(id + ".json"), e);
        }
    }
}
