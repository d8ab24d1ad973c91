package twolayer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The committed results of one replication (replications chapter): the unit files {@code results/NAME/runs/*.json} that
 * {@code twolayer experiment ... --out results/NAME} wrote (experiment, key, settings, result, provenance), and the
 * invocation log {@code results/NAME/invocations.jsonl} that {@code results/replicate.sh} appends to (the commit,
 * date and machine of every sitting). See the replications chapter, section "How the results are made".
 *
 * @param dir         the folder
 * @param experiment  the experiment every unit file names
 * @param settings    the settings every unit file carries (option to value text)
 * @param units       the units, sorted by file name
 * @param invocations the invocation log's lines, oldest first (empty when there is no log)
 */
public record ResultsFolder(Path dir, String experiment, Map<String, String> settings, List<Unit> units,
                            List<JsonNode> invocations) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One finished unit.
     *
     * @param key        the unit's key fields (e.g. m and seed) as text
     * @param result     its result object
     * @param provenance where and how long it ran (absent fields are missing nodes)
     */
    public record Unit(Map<String, String> key, JsonNode result, JsonNode provenance) {

        /** A key field as an integer. */
        public int intKey(String name) {
            return Integer.parseInt(key.get(name));
        }

        /** A key field as a number. */
        public double doubleKey(String name) {
            return Double.parseDouble(key.get(name));
        }

        /** A scalar result field. */
        public double number(String field) {
            return result.path(field).asDouble(Double.NaN);
        }

        /** An array result field. */
        public double[] numbers(String field) {
            JsonNode a = result.path(field);
            double[] v = new double[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.get(i).asDouble();
            }
            return v;
        }
    }

    /**
     * Reads the folder, or returns null when it has no {@code runs/} folder (the replication has not been run).
     *
     * @throws IOException when a unit file is not one, or two files disagree on the experiment or the settings
     *                     (the message names the file)
     */
    public static ResultsFolder read(Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return null;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(runs)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        String experiment = null;
        JsonNode settings = null;
        List<Unit> units = new ArrayList<>();
        for (Path f : files) {
            JsonNode node;
            try {
                node = JSON.readTree(f.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IOException(f + ": not JSON: " + e.getOriginalMessage(), e);
            }
            if (node == null || !node.path("experiment").isTextual() || !node.path("key").isObject()
                    || !node.path("settings").isObject() || !node.path("result").isObject()) {
                throw new IOException(f + ": not a unit file (it needs experiment, key, settings and result)");
            }
            if (experiment == null) {
                experiment = node.get("experiment").asText();
                settings = node.get("settings");
            } else if (!experiment.equals(node.get("experiment").asText()) || !settings.equals(node.get("settings"))) {
                throw new IOException(f + ": its experiment or settings differ from the folder's first unit file");
            }
            units.add(new Unit(texts(node.get("key")), node.get("result"), node.path("provenance")));
        }
        List<JsonNode> invocations = readInvocations(dir);
        return new ResultsFolder(dir, experiment, settings == null ? Map.of() : texts(settings), List.copyOf(units),
                List.copyOf(invocations));
    }

    /**
     * The lines of {@code dir/invocations.jsonl}, oldest first; empty when there is no log.
     *
     * @throws IOException when a line is not a JSON object (the message names the file and line)
     */
    public static List<JsonNode> readInvocations(Path dir) throws IOException {
        List<JsonNode> invocations = new ArrayList<>();
        Path log = dir.resolve("invocations.jsonl");
        if (Files.isRegularFile(log)) {
            int line = 0;
            for (String s : Files.readAllLines(log)) {
                line++;
                if (!s.isBlank()) {
                    JsonNode node;
                    try {
                        node = JSON.readTree(s);
                    } catch (IOException e) {
                        node = null;
                    }
                    if (node == null || !node.isObject()) {
                        throw new IOException(log + ", line " + line + ": not a JSON object");
                    }
                    invocations.add(node);
                }
            }
        }
        return List.copyOf(invocations);
    }

    /** The sum of the units' wall times, in hours (CPU time only for single-threaded units on an otherwise idle machine). */
    public double unitHours() {
        return units.stream().mapToDouble(u -> u.provenance().path("wall_seconds").asDouble(0)).sum() / 3600;
    }

    /**
     * One line on where the results were made (sittings that exited with an error are left out): the units, their summed wall time and JDKs, then {@link #sittings} of the
     * invocation log.
     */
    public String provenanceLine() {
        TreeSet<String> jdks = new TreeSet<>();
        for (Unit u : units) {
            if (u.provenance().has("java")) {
                jdks.add(u.provenance().get("java").asText());
            }
        }
        return String.format(java.util.Locale.ROOT, "%d units, %.1f hours of unit wall time; JDK %s; %s", units.size(), unitHours(),
                list(jdks), sittings(invocations));
    }

    /**
     * The commits, dates and machines of an invocation log, each listed once, or that there is no log; a commit made
     * with uncommitted changes is marked.
     */
    public static String sittings(List<JsonNode> invocations) {
        if (invocations.isEmpty()) {
            return "no invocation log (commit, date and machine not recorded)";
        }
        if (invocations.stream().allMatch(i -> i.path("exit").asInt(0) != 0)) {
            return "no successful sitting in the invocation log";
        }
        TreeSet<String> commits = new TreeSet<>(), dates = new TreeSet<>(), machines = new TreeSet<>();
        for (JsonNode i : invocations) {
            if (i.path("exit").asInt(0) != 0) {
                continue;   // a sitting that failed (bad options, a failed unit) made no result of its own
            }
            String commit = i.path("commit").asText("?");
            commits.add(commit.substring(0, Math.min(10, commit.length()))
                    + (i.path("dirty").asInt(0) > 0 ? " (with uncommitted changes)" : ""));
            dates.add(i.path("date").asText("?").replaceFirst("T.*", ""));
            machines.add(i.path("cpu").asText("?") + ", " + i.path("cores").asText("?") + " cores");
        }
        return "commit " + list(commits) + "; " + list(dates) + "; " + list(machines);
    }

    private static String list(TreeSet<String> s) {
        return s.isEmpty() ? "not recorded" : String.join(" / ", s);
    }

    private static Map<String, String> texts(JsonNode object) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }
}
