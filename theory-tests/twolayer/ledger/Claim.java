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
 * One entry of the claims ledger (architecture chapter, section "Adding a claim"): a theorem of a chapter, its source, its
 * tolerance with the reason, and what the test measured. Every check of a claim test goes through {@link #check},
 * which records the measured numbers and the status in {@code target/claims/<id>.json} (written atomically,
 * rewritten after every case, so the file always reflects all cases run so far) and then asserts.
 *
 * <p>A claim checked over many seeded cases aggregates: each measured name has a merge rule (the worst case is
 * kept for errors and margins, the sum for counts, the range for values without a worse direction), and one
 * failing case makes the claim fail. No rule keeps only the last case.
 *
 * <p>Every record carries the {@link #RUN_ID} of the JVM that wrote it, so that a ledger assembled from records of
 * different test runs (a mixed or stale set) can be recognised and refused. A claim test that throws before its
 * check is recorded as failed with the exception by {@link ClaimFailureRecorder}.
 */
public final class Claim {

    /**
     * How a measured value of one case is merged into the claim's record: the largest, the smallest, the sum, or
     * (RANGE, for a value with no worse direction, such as a fitted slope) the value itself while every case agrees
     * and otherwise the smallest and the largest, as "name min" and "name max".
     */
    public enum Merge { MAX, MIN, RANGE, SUM }

    /**
     * The id of this test run: {@code -Dtwolayer.runId=...} if given (a build that runs several JVMs passes one id to
     * all), otherwise drawn once per JVM from its start time and a random number. Written into every record.
     */
    public static final String RUN_ID = System.getProperty("twolayer.runId",
            java.time.Instant.now().toString() + "-" + Long.toHexString(new java.security.SecureRandom().nextLong()));

    /** Every claim defined in this JVM, by id (for the failure recorder). */
    private static final Map<String, Claim> DEFINED = new java.util.concurrent.ConcurrentHashMap<>();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String id;
    private final String chapter;
    private final String statement;
    private final String source;
    private final String tolerance;
    private final Map<String, Double> measured = new LinkedHashMap<>();
    private final Map<String, double[]> ranges = new LinkedHashMap<>();   // RANGE values: {min, max}
    private int cases;
    private int failures;
    private String firstFailure;

    private final Path dir;   // where the record is written, or null: -Dtwolayer.claims.dir, default target/claims

    private Claim(String id, String chapter, String statement, String source, String tolerance, Path dir) {
        this.dir = dir;
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
        return define(id, chapter, statement, source, tolerance, null);
    }

    /** A claim whose record goes to the given directory (the ledger's own tests), or null for the default. */
    static Claim define(String id, String chapter, String statement, String source, String tolerance, Path dir) {
        Claim c = new Claim(id, chapter, statement, source, tolerance, dir);
        if (DEFINED.putIfAbsent(id, c) != null) {
            throw new IllegalStateException("claim " + id + " is defined twice");
        }
        return c;
    }

    /** The claim defined with this id in this JVM, or null. */
    static Claim defined(String id) {
        return DEFINED.get(id);
    }

    /** The claim's id. */
    public String id() {
        return id;
    }

    /** The measurements of one case. */
    public static final class Case {
        private final Map<String, double[]> values = new LinkedHashMap<>();
        private final Map<String, Merge> rules = new LinkedHashMap<>();

        /**
         * Records a measured value with its merge rule across cases. A name given again in the same case (a claim
         * that measures at several times, say) is merged by the same rule, never overwritten, so the record keeps
         * the worst value of the case, not its last.
         */
        public Case measured(String name, double value, Merge merge) {
            Merge before = rules.putIfAbsent(name, merge);
            if (before != null && before != merge) {
                throw new IllegalArgumentException(name + ": measured with the rules " + before + " and " + merge);
            }
            double[] old = values.get(name);
            double[] all = old == null ? new double[] {value} : java.util.Arrays.copyOf(old, old.length + 1);
            all[all.length - 1] = value;
            values.put(name, all);
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

        /**
         * A value without a worse direction (a fitted slope): recorded as is while every case gives the same value,
         * otherwise as its range over the cases ({@link Merge#RANGE}).
         */
        public Case value(String name, double value) {
            return measured(name, value, Merge.RANGE);
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
          for (double v : e.getValue()) {
            Double old = measured.get(name);
            // NaN is the worst value: Math.max and Math.min propagate it, so a failed measurement is never hidden
            switch (c.rules.get(name)) {
                case MAX -> measured.put(name, old == null ? v : Math.max(old, v));
                case MIN -> measured.put(name, old == null ? v : Math.min(old, v));
                case SUM -> measured.put(name, old == null ? v : old + v);
                case RANGE -> {
                    double[] r = ranges.get(name);
                    if (r == null) {
                        ranges.put(name, new double[] {v, v});
                    } else if (Double.isNaN(v) || Double.isNaN(r[0])) {
                        r[0] = Double.NaN;
                        r[1] = Double.NaN;
                    } else {
                        r[0] = Math.min(r[0], v);
                        r[1] = Math.max(r[1], v);
                    }
                    measured.put(name, v);   // placeholder keeping the name's position; write() expands it
                }
            }
          }
        }
        if (!holds) {
            failures++;
            if (firstFailure == null) {
                firstFailure = message;
            }
        }
        write();
        if (!holds) {
            String text = id + ": " + message;
            assertions.add(text);
            fail(text);
        }
    }

    /** Records a case that could not be completed (an exception) as a failure, then rethrows it. */
    public synchronized RuntimeException failed(RuntimeException e) {
        recordFailure(e);
        return e;
    }

    /**
     * Records a case that threw before (or instead of) its check as a failure with the exception. A failure this
     * claim's own {@link #check} already recorded (its assertion error) is not counted twice.
     */
    synchronized void recordFailure(Throwable e) {
        if (!recorded.add(e) || e instanceof AssertionError && assertions.contains(e.getMessage())) {
            return;
        }
        cases++;
        failures++;
        if (firstFailure == null) {
            firstFailure = e.toString();
        }
        write();
    }

    /** The messages of this claim's failing checks, to recognise their assertion errors in recordFailure. */
    private final java.util.Set<String> assertions = new java.util.HashSet<>();
    /** The exceptions recorded so far (by identity), so that one rethrown by {@link #failed} is not counted again. */
    private final java.util.Set<Throwable> recorded =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private void write() {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id);
        root.put("chapter", chapter);
        root.put("statement", statement);
        root.put("source", source);
        root.put("run_id", RUN_ID);
        ObjectNode m = root.putObject("measured");
        measured.forEach((name, v) -> {
            double[] r = ranges.get(name);
            if (r == null) {
                m.put(name, v);
            } else if (Double.compare(r[0], r[1]) == 0) {
                m.put(name, r[0]);
            } else {
                m.put(name + " min", r[0]);
                m.put(name + " max", r[1]);
            }
        });
        m.put("cases", cases);
        root.put("tolerance", tolerance);
        root.put("status", failures == 0 ? "pass" : "fail");
        if (firstFailure != null) {
            root.put("firstFailure", firstFailure);
        }
        Path dir = this.dir != null ? this.dir : Path.of(System.getProperty("twolayer.claims.dir", "target/claims"));
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
