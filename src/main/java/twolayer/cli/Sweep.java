package twolayer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import twolayer.data.AtomicFiles;
import twolayer.dynamics.TrainingState;

/**
 * A resumable, shardable sweep of independent units, the engine of every {@code twolayer experiment} command but
 * phase-diagram (see the baseline chapter, section "Experiments as commands").
 *
 * <p>A sweep is an experiment name, its settings (option name to canonical value text) and a list of units, each
 * with a key (e.g. {@code m=256,seed=3}) and the work that measures it. Each finished unit is one JSON file
 * {@code DIR/runs/<key>.json}, written atomically ({@link AtomicFiles}), holding the experiment, the key, the
 * settings, the result and its provenance (version, JDK, machine, finish time, wall time; never compared). A
 * rerun skips the units whose file is there; a folder whose files were made under other settings (or by another experiment) is refused, before any file is touched, unless {@code --restart}. Shard k of
 * N runs the units of index i with i mod N = k - 1, so N jobs of a job array together run each unit once. Units are
 * single-threaded and seeded by their key, so a unit's result does not depend on the thread count or the shard.
 * Finally {@code DIR/summary.csv} is rewritten from every unit file present: one row per unit, its key fields and
 * the scalar fields of its result, in unit order (a field a unit lacks is an empty cell).
 */
final class Sweep {

    /** Version of the unit file layout; a file of another version is refused. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One unit of a sweep.
     *
     * @param key  its key fields in order, name to value text; the file name is {@code n1=v1,n2=v2.json}
     * @param work measures the unit; returns the result's fields in order (numbers, strings, double or int arrays)
     */
    record Unit(Map<String, String> key, Callable<Map<String, Object>> work) {
        Unit {
            key = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(key));
        }

        /** The key as one string, {@code n1=v1,n2=v2}. */
        String name() {
            StringBuilder s = new StringBuilder();
            for (Map.Entry<String, String> e : key.entrySet()) {
                s.append(s.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
            }
            return s.toString();
        }
    }

    /** Shard, threads, restart, output folder and progress bar, as the options gave them. */
    record Run(Path out, int shard, int shards, int threads, boolean restart, boolean progress) {
    }

    /**
     * What an invocation did.
     *
     * @param ran     units run now
     * @param skipped units of this shard found finished
     * @param rows    rows of the summary (unit files present)
     * @param missing keys of the sweep's units (all shards) without a file
     */
    record Outcome(int ran, int skipped, int rows, List<String> missing) {
    }

    private Sweep() {
    }

    /**
     * Runs the units of this shard that are not finished, then rewrites the summary.
     *
     * @throws CliException usage (exit 2) for a folder of other settings, runtime (exit 1) for a failed unit, an
     *                      unreadable unit file or a failed write
     */
    static Outcome run(String experiment, Map<String, String> settings, List<Unit> units, Run run, PrintWriter err) {
        Path out = run.out();
        Path runs = out.resolve("runs");
        Map<String, Unit> byName = new LinkedHashMap<>();
        for (Unit u : units) {
            if (byName.put(u.name(), u) != null) {
                throw CliException.usage("the sweep names unit " + u.name() + " twice: give each value once");
            }
        }
        OutputDir.prepare(out, "--out");
        // Every check before any file is touched: a refused folder is left exactly as it was.
        Map<String, JsonNode> present = read(runs, experiment);
        for (Map.Entry<String, JsonNode> f : present.entrySet()) {
            refuseOtherSettings(f.getKey(), f.getValue().get("settings"), settings, out, run.restart());
        }
        try {
            if (run.restart()) {
                for (String name : present.keySet()) {
                    Files.delete(runs.resolve(name + ".json"));
                }
                // and the temporary files of writes a kill interrupted (".<key>.json.<random>.tmp")
                if (Files.isDirectory(runs)) {
                    try (Stream<Path> s = Files.list(runs)) {
                        for (Path f : s.filter(p -> p.getFileName().toString().matches("\\..*\\.json\\..*\\.tmp"))
                                .toList()) {
                            Files.delete(f);
                        }
                    }
                }
                Files.deleteIfExists(out.resolve("summary.csv"));
                present.clear();
            }
            Files.createDirectories(runs);
        } catch (IOException e) {
            throw CliException.runtime("cannot prepare '" + runs + "': " + OutputDir.reason(e));
        }
        List<Unit> mine = new ArrayList<>();
        int skipped = 0;
        for (int i = 0; i < units.size(); i++) {
            if (i % run.shards() != run.shard() - 1) {
                continue;
            }
            if (present.containsKey(units.get(i).name())) {
                skipped++;
            } else {
                mine.add(units.get(i));
            }
        }
        ObjectNode settingsNode = JSON.valueToTree(settings);
        String failure = null;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(run.threads(), mine.size())));
        try (Progress bar = Progress.start(run.progress(), experiment, mine.size(), TrainingState::step)) {
            List<Future<?>> futures = new ArrayList<>();
            long[] done = {0};
            for (Unit u : mine) {
                futures.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    Map<String, Object> result = u.work().call();
                    double wall = (System.nanoTime() - start) * 1e-9;
                    ObjectNode node = JSON.createObjectNode();
                    node.put("experiment", experiment);
                    node.put("version", VERSION);
                    node.set("key", JSON.valueToTree(u.key()));
                    node.set("settings", settingsNode);
                    node.set("result", JSON.valueToTree(result));
                    node.set("provenance", provenance(wall));
                    AtomicFiles.writeString(runs.resolve(u.name() + ".json"),
                            JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
                    synchronized (done) {
                        bar.observe(new TrainingState(0, ++done[0], 0.0, null));
                    }
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        Throwable c = e.getCause();
                        failure = "unit " + mine.get(i).name() + " failed: " + (c instanceof OutOfMemoryError
                                ? "out of memory (" + Memory.describe(Runtime.getRuntime().maxMemory())
                                        + " may be used): use smaller sizes, fewer --threads or java -Xmx"
                                : c.getMessage() == null ? c.toString() : c.getMessage());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw CliException.runtime("interrupted; the finished units are kept");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (failure != null) {
            throw CliException.runtime(failure + " (the finished units are kept: rerun to resume)");
        }
        Map<String, JsonNode> all = read(runs, experiment);
        List<String> missing = new ArrayList<>();
        for (String name : byName.keySet()) {
            if (!all.containsKey(name)) {
                missing.add(name);
            }
        }
        try {
            AtomicFiles.writeString(out.resolve("summary.csv"), summary(all, byName));
        } catch (IOException e) {
            throw CliException.runtime("cannot write '" + out.resolve("summary.csv") + "': " + OutputDir.reason(e));
        }
        Outcome o = new Outcome(mine.size(), skipped, all.size(), missing);
        err.println(experiment + ": " + o.ran() + " units run now, " + o.skipped() + " already in '" + out
                + "'; " + o.rows() + " rows in " + out.resolve("summary.csv")
                + (missing.isEmpty() ? "" : "; " + missing.size() + " of the sweep's " + units.size()
                        + " units missing (other shards?): " + abbreviate(missing)));
        err.flush();
        return o;
    }

    private static String abbreviate(List<String> names) {
        List<String> shown = names.subList(0, Math.min(5, names.size()));
        return String.join(" ", shown) + (names.size() > shown.size() ? " ..." : "");
    }

    /**
     * The unit files of {@code runs} by unit name (file name without .json), in name order; a file that is not a
     * unit record of this experiment and version is refused.
     */
    private static Map<String, JsonNode> read(Path runs, String experiment) {
        Map<String, JsonNode> found = new java.util.TreeMap<>();
        if (!Files.isDirectory(runs)) {
            return found;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(runs)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw CliException.runtime("cannot list '" + runs + "': " + OutputDir.reason(e));
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            name = name.substring(0, name.length() - ".json".length());
            JsonNode node;
            try {
                node = JSON.readTree(f.toFile());
            } catch (IOException e) {
                throw CliException.runtime("'" + f + "' is not a unit file (not JSON): delete it or use another --out");
            }
            if (node == null || !node.path("experiment").isTextual() || !node.path("settings").isObject()
                    || !node.path("result").isObject() || !node.path("key").isObject()) {
                throw CliException.runtime("'" + f + "' is not a unit file (it needs experiment, key, settings,"
                        + " result): delete it or use another --out");
            }
            if (!node.get("experiment").asText().equals(experiment)) {
                throw CliException.usage("--out: '" + runs.getParent() + "' holds runs of experiment "
                        + node.get("experiment").asText() + ", not " + experiment
                        + ": use another --out (nothing was changed)");
            }
            if (node.path("version").asInt(-1) != VERSION) {
                throw CliException.runtime("'" + f + "' is a unit file of version " + node.path("version")
                        + ", this twolayer writes version " + VERSION + ": use another --out");
            }
            found.put(name, node);
        }
        return found;
    }

    /**
     * Where and how long a unit ran, for the record only (never compared on a rerun): twolayer's version, the
     * JDK, the operating system and architecture, the cores the JVM sees, whether the vector module was loaded
     * (a speed option only: the bits do not depend on it), the UTC time it finished and its wall time.
     */
    private static ObjectNode provenance(double wallSeconds) {
        ObjectNode p = JSON.createObjectNode();
        p.put("twolayer", Twolayer.VERSION);
        p.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("cores", Runtime.getRuntime().availableProcessors());
        p.put("vector_module", ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        p.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        p.put("wall_seconds", Math.round(wallSeconds * 10) / 10.0);
        return p;
    }

    /** Refuses, in one line naming the first differing option, a unit file made under other settings. */
    private static void refuseOtherSettings(String unit, JsonNode old, Map<String, String> asked, Path out,
            boolean restart) {
        if (restart) {
            return;
        }
        LinkedHashSet<String> names = new LinkedHashSet<>(asked.keySet());
        for (Iterator<String> it = old.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        for (String option : names) {
            String was = old.has(option) ? old.get(option).asText() : null;
            String now = asked.get(option);
            if (!java.util.Objects.equals(was, now)) {
                throw CliException.usage(option + ": '" + out + "' holds runs made with " + option + " "
                        + (was == null ? "(not a setting then)" : was) + ", not "
                        + (now == null ? "(not a setting now)" : now) + " (unit " + unit + "); a sweep folder holds"
                        + " one setting: rerun with " + option + " " + was + ", use another --out, or add --restart"
                        + " to delete its run files (nothing was changed)");
            }
        }
    }

    /**
     * The summary CSV: a header of the key fields and the scalar result fields (their union over the files), then
     * one row per unit file: the sweep's units in their order first, then files of other units in name order.
     */
    static String summary(Map<String, JsonNode> files, Map<String, Unit> order) {
        List<String> names = new ArrayList<>();
        for (String name : order.keySet()) {
            if (files.containsKey(name)) {
                names.add(name);
            }
        }
        for (String name : files.keySet()) {
            if (!order.containsKey(name)) {
                names.add(name);
            }
        }
        // the union of the fields in row order: units of different kinds (an SGD run, a reduction) share a table
        LinkedHashSet<String> keyColumns = new LinkedHashSet<>(), resultColumns = new LinkedHashSet<>();
        for (String name : names) {
            JsonNode node = files.get(name);
            node.get("key").fieldNames().forEachRemaining(keyColumns::add);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.get("result").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isValueNode()) {
                    resultColumns.add(f.getKey());
                }
            }
        }
        StringBuilder s = new StringBuilder();
        List<String> header = new ArrayList<>(keyColumns);
        header.addAll(resultColumns);
        s.append(String.join(",", header)).append('\n');
        for (String name : names) {
            JsonNode node = files.get(name);
            List<String> cells = new ArrayList<>();
            for (String c : keyColumns) {
                cells.add(cell(node.get("key").get(c)));
            }
            for (String c : resultColumns) {
                cells.add(cell(node.get("result").get(c)));
            }
            s.append(String.join(",", cells)).append('\n');
        }
        return s.toString();
    }

    private static String cell(JsonNode v) {
        return v == null || v.isNull() ? "" : v.asText().replace(',', ';').replace('\n', ' ');
    }

    // ---- option parsing shared by the experiment commands ----

    /** Parses a shard "k/N" with 1 <= k <= N. */
    static int[] shard(String text) {
        String[] kn = text.split("/");
        try {
            if (kn.length == 2) {
                int k = Integer.parseInt(kn[0].trim()), n = Integer.parseInt(kn[1].trim());
                if (n >= 1 && k >= 1 && k <= n) {
                    return new int[] {k, n};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliException.usage("--shard: must be k/N with integers 1 <= k <= N, got " + text);
    }

    /** Parses integers: a list {@code 1,2,5} or a range {@code LO..HI} (ends included); each at least {@code min}. */
    static long[] longs(String option, String text, long min) {
        List<Long> values = new ArrayList<>();
        try {
            for (String part : text.split(",")) {
                String p = part.trim();
                int dots = p.indexOf("..");
                if (dots > 0) {
                    long lo = Long.parseLong(p.substring(0, dots).trim()), hi = Long.parseLong(p.substring(dots + 2).trim());
                    if (hi < lo || hi - lo > 100_000) {
                        throw CliException.usage(option + ": a range LO..HI needs LO <= HI and at most 100001"
                                + " values, got " + p);
                    }
                    for (long v = lo; v <= hi; v++) {
                        values.add(v);
                    }
                } else {
                    values.add(Long.parseLong(p));
                }
            }
        } catch (NumberFormatException e) {
            throw CliException.usage(option + ": must be integers, a list 1,2,5 or a range LO..HI, got " + text);
        }
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
            if (out[i] < min) {
                throw CliException.usage(option + ": every value must be >= " + min + ", got " + out[i]);
            }
        }
        if (java.util.Arrays.stream(out).distinct().count() != out.length) {
            throw CliException.usage(option + ": a value is given twice in " + text);
        }
        return out;
    }

    /** Parses widths (a list or range of integers >= min that fit an int). */
    static int[] ints(String option, String text, int min) {
        long[] v = longs(option, text, min);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] > Integer.MAX_VALUE) {
                throw CliException.usage(option + ": every value must be <= " + Integer.MAX_VALUE + ", got " + v[i]);
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /** Parses a list of finite reals {@code 0,0.5,1}, each at least {@code min}. */
    static double[] doubles(String option, String text, double min) {
        String[] parts = text.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim()) + 0.0;
            } catch (NumberFormatException e) {
                throw CliException.usage(option + ": must be a list of numbers like 0,0.5,1, got " + text);
            }
            if (!Double.isFinite(out[i]) || out[i] < min) {
                throw CliException.usage(option + ": every value must be finite and >= " + min + ", got " + parts[i]);
            }
        }
        if (java.util.Arrays.stream(out).distinct().count() != out.length) {
            throw CliException.usage(option + ": a value is given twice in " + text);
        }
        return out;
    }
}
