package twolayer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import twolayer.data.Npy;
import twolayer.data.NpyArray;
import twolayer.run.RandomStreams;

/**
 * {@code twolayer replay DIR}: reruns a {@code train} run from its {@code --out} directory and says whether the
 * rerun reproduces it. The rerun takes the arguments recorded in {@code run.json}, with every random draw the
 * directory holds fed back in ({@code noise.npy} as {@code --noise-in}, {@code batches.npy} as
 * {@code --batches-in}, {@code label_noise.npy} as {@code --label-noise-in}), after checking that every input file
 * the run read still has the SHA-256 checksum run.json recorded. It compares every file the run wrote (run.json
 * aside): numbers bit for bit, or within {@code --tolerance}. See the baseline chapter, section "Exporting and
 * replaying a run".
 */
@Command(name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Rerun a train run from its --out directory and check that it reproduces the files.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "Reruns 'twolayer train' with the arguments recorded in DIR/run.json, feeding back the draws DIR holds",
            "(noise.npy, batches.npy, label_noise.npy), and compares history.csv and every .npy file the run",
            "wrote with the rerun's. Input files (--x, --y, --test-x, --init-params, --*-in) must still have the",
            "SHA-256 run.json records; relative paths are read from the current directory, so replay from the",
            "directory the run was started in. The same JDK reproduces every number bit for bit, for any --threads.",
            "The verdict is one line on stdout: 'reproduced bit for bit', 'reproduced within tolerance' (the",
            "largest difference and where), or on stderr 'not reproduced' with the first differing row and column."},
        footer = {"", "Exit codes: 0 reproduced, 1 not reproduced (or the rerun failed), 2 invalid input.",
            "", "Example:", "  twolayer train --dynamics mfld --parameterization mean-field --activation tanh --d 1 \\",
            "    --n 20 --width 50 --steps 40 --save-params --save-noise --out runs/m",
            "  twolayer replay runs/m --threads 1"})
final class ReplayCommand extends Subcommand {

    @Parameters(paramLabel = "DIR", description = "The --out directory of a train run (holding run.json).")
    Path dir;

    @Option(names = "--threads", paramLabel = "COUNT",
            description = "Worker threads of the rerun (default: the run's); the results do not depend on it.")
    Integer threads;

    @Option(names = "--tolerance", paramLabel = "TOL", defaultValue = "1e-9",
            description = {"Largest accepted difference |u - v| <= TOL max(1, |u|, |v|) of a number that is not",
                "bit for bit the same, for a rerun on another JDK or machine, whose exp, tanh and erf may differ",
                "in the last bit; 0 demands every bit (default: ${DEFAULT-VALUE})."})
    double tolerance;

    /** The options that name an input file of the rerun, replaced when DIR holds the draws. */
    private static final Map<String, String> DRAWS = Map.of(RandomStreams.NOISE, "--noise-in",
            RandomStreams.BATCHES, "--batches-in", RandomStreams.LABEL_NOISE, "--label-noise-in");

    @Override
    int run() throws IOException {
        require(tolerance >= 0 && Double.isFinite(tolerance), "--tolerance", "finite and >= 0", tolerance);
        if (threads != null) {
            require(threads >= 1, "--threads", "an integer >= 1", threads);
        }
        JsonNode run = readRun();
        checkInputs(run);
        List<String> files = new ArrayList<>();
        run.get("files").forEach(f -> files.add(f.asText()));

        // The recorded arguments with the output, the threads and the draws the directory holds replaced
        List<String> args = rerunArguments(run, files);
        Path scratch = Files.createTempDirectory("twolayer-replay-");
        try {
            Path out = scratch.resolve("rerun");
            args.add("--out");
            args.add(out.toString());
            StringWriter rerunOut = new StringWriter(), rerunErr = new StringWriter();
            CommandLine cli = Twolayer.commandLine();
            cli.setOut(new PrintWriter(rerunOut, true));
            cli.setErr(new PrintWriter(rerunErr, true));
            int code = cli.execute(args.toArray(String[]::new));
            if (code != 0) {
                String why = rerunErr.toString().strip().lines().findFirst().orElse("exit code " + code);
                throw CliException.runtime("not reproduced: the rerun failed: " + why);
            }

            // Compare every file the run wrote but run.json, in its order
            Comparison total = new Comparison();
            for (String file : files) {
                if (file.equals("run.json")) {
                    continue;
                }
                Path mine = dir.resolve(file), theirs = out.resolve(file);
                if (!Files.exists(mine)) {
                    throw CliException.usage("'" + dir.resolve(file) + "' is missing; run.json lists it among the"
                            + " files of the run");
                }
                if (!Files.exists(theirs)) {
                    throw CliException.runtime("not reproduced: the rerun wrote no " + file);
                }
                String difference = file.endsWith(".npy") ? compareNpy(file, mine, theirs, total)
                        : compareCsv(file, mine, theirs, total);
                if (difference != null) {
                    throw CliException.runtime("not reproduced: " + difference + " (tolerance " + tolerance + ")");
                }
            }
            int used = threads != null ? threads : run.path("options").path("threads").asInt(1);
            String checked = String.join(", ", files.stream().filter(f -> !f.equals("run.json")).toList());
            if (total.largest == 0) {
                out().println("reproduced bit for bit: " + checked + " (rerun with " + used + " thread"
                        + (used == 1 ? "" : "s") + ")");
            } else {
                out().println("reproduced within tolerance " + tolerance + ", not bit for bit: largest difference "
                        + total.largest + " (relative to max(1, |u|, |v|)) at " + total.where + "; checked " + checked);
            }
            out().flush();
            return 0;
        } finally {
            deleteTree(scratch);
        }
    }

    private JsonNode readRun() {
        Path file = dir.resolve("run.json");
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("DIR: '" + dir + "' holds no run.json; give the --out directory of a train run");
        }
        JsonNode run;
        try {
            run = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw CliException.usage("DIR: '" + file + "' is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!"train".equals(run.path("command").asText()) || !run.path("arguments").isArray()
                || !run.path("files").isArray()) {
            throw CliException.usage("DIR: '" + file + "' is not the record of a replayable train run (it needs"
                    + " \"command\": \"train\", \"arguments\" and \"files\"; runs of twolayer before replay existed"
                    + " lack them)");
        }
        String version = run.path("software").path("version").asText();
        if (!Twolayer.VERSION.equals(version)) {
            err().println("replay: note: the run was made by twolayer " + version + ", this is " + Twolayer.VERSION);
        }
        return run;
    }

    /** Every input file the run read must still be there with the checksum run.json recorded. */
    private void checkInputs(JsonNode run) {
        JsonNode data = run.path("data");
        for (String option : new String[] {"x", "y"}) {
            if (data.has(option)) {
                checkFile("--" + option, Path.of(data.get(option).get("file").asText()),
                        data.get(option).get("sha256").asText());
            }
        }
        JsonNode inputs = run.path("inputs");
        for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> input = it.next();
            JsonNode about = input.getValue();
            if (input.getKey().equals("init-params")) {
                Path params = Path.of(about.get("dir").asText());
                for (Iterator<Map.Entry<String, JsonNode>> f = about.get("sha256").fields(); f.hasNext(); ) {
                    Map.Entry<String, JsonNode> file = f.next();
                    checkFile("--init-params", params.resolve(file.getKey()), file.getValue().asText());
                }
            } else {
                checkFile("--" + input.getKey(), Path.of(about.get("file").asText()), about.get("sha256").asText());
            }
        }
    }

    private void checkFile(String option, Path file, String sha256) {
        if (!Files.isRegularFile(file)) {
            throw CliException.usage(option + ": '" + file + "', which the run read, is not there (paths are read"
                    + " from the current directory: replay from the directory the run was started in)");
        }
        String now;
        try {
            now = TableOption.sha256(file);
        } catch (IOException e) {
            throw CliException.usage(option + ": " + e.getMessage());
        }
        if (!now.equals(sha256)) {
            throw CliException.usage(option + ": '" + file + "' has changed since the run (SHA-256 " + now
                    + ", run.json records " + sha256 + "); restore the file the run read");
        }
    }

    /** The run's arguments without --out, --threads and --no-progress, with the directory's draws as inputs. */
    private List<String> rerunArguments(JsonNode run, List<String> files) {
        List<String> tokens = new ArrayList<>();
        for (JsonNode t : run.get("arguments")) {
            String token = t.asText();
            int eq = token.indexOf('=');
            if (token.startsWith("--") && eq > 0) {
                tokens.add(token.substring(0, eq));
                tokens.add(token.substring(eq + 1));
            } else {
                tokens.add(token);
            }
        }
        if (!tokens.isEmpty() && tokens.get(0).equals("train")) {
            tokens.remove(0);
        }
        List<String> drop = new ArrayList<>(List.of("--out", "--threads"));
        for (Map.Entry<String, String> draw : DRAWS.entrySet()) {
            if (files.contains(draw.getKey())) {
                drop.add(draw.getValue());
            }
        }
        List<String> args = new ArrayList<>(List.of("train"));
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (drop.contains(token)) {
                i++;   // and its value
            } else if (!token.equals("--no-progress")) {
                args.add(token);
            }
        }
        for (Map.Entry<String, String> draw : DRAWS.entrySet()) {
            if (files.contains(draw.getKey())) {
                args.add(draw.getValue());
                args.add(dir.resolve(draw.getKey()).toString());
            }
        }
        args.add("--no-progress");
        args.add("--threads");
        args.add(String.valueOf(threads != null ? threads : run.path("options").path("threads").asInt(1)));
        return args;
    }

    /** The largest accepted difference seen so far, and where. */
    private static final class Comparison {
        double largest;
        String where;
    }

    /** Null if equal within the tolerance, else the first difference. */
    private String compare(double u, double v, String where, Comparison total) {
        if (Double.doubleToLongBits(u) == Double.doubleToLongBits(v)) {
            return null;
        }
        double scale = Math.max(1.0, Math.max(Math.abs(u), Math.abs(v)));
        double relative = Math.abs(u - v) / scale;
        if (!(relative <= tolerance)) {
            return where + ": " + u + " in the run, " + v + " in the rerun";
        }
        if (relative > total.largest || total.where == null) {
            total.largest = Math.max(total.largest, relative);
            total.where = where;
        }
        return null;
    }

    private String compareCsv(String file, Path mine, Path theirs, Comparison total) throws IOException {
        List<String> a = Files.readAllLines(mine, StandardCharsets.UTF_8);
        List<String> b = Files.readAllLines(theirs, StandardCharsets.UTF_8);
        if (a.isEmpty() || b.isEmpty() || !a.get(0).equals(b.get(0))) {
            return file + ": the header differs: '" + (a.isEmpty() ? "" : a.get(0)) + "' in the run, '"
                    + (b.isEmpty() ? "" : b.get(0)) + "' in the rerun";
        }
        String[] columns = a.get(0).split(",", -1);
        for (int r = 1; r < Math.min(a.size(), b.size()); r++) {
            String[] u = a.get(r).split(",", -1), v = b.get(r).split(",", -1);
            for (int c = 0; c < Math.min(u.length, v.length); c++) {
                String where = file + " row " + r + ", column " + (c < columns.length ? columns[c] : c + 1);
                double x, y;
                try {
                    x = Double.parseDouble(u[c]);
                    y = Double.parseDouble(v[c]);
                } catch (NumberFormatException e) {
                    return where + ": '" + u[c] + "' in the run is not a number";
                }
                String difference = compare(x, y, where, total);
                if (difference != null) {
                    return difference;
                }
            }
            if (u.length != v.length) {
                return file + " row " + r + ": " + u.length + " values in the run, " + v.length + " in the rerun";
            }
        }
        if (a.size() != b.size()) {
            return file + ": " + (a.size() - 1) + " rows in the run, " + (b.size() - 1) + " in the rerun";
        }
        return null;
    }

    private String compareNpy(String file, Path mine, Path theirs, Comparison total) {
        NpyArray a, b;
        try {
            a = Npy.read(mine);
        } catch (IOException e) {
            throw CliException.usage("DIR: " + e.getMessage());
        }
        try {
            b = Npy.read(theirs);
        } catch (IOException e) {
            throw CliException.runtime("not reproduced: the rerun's " + file + ": " + e.getMessage());
        }
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            return file + ": shape " + Npy.pythonShape(a.shape()) + " in the run, " + Npy.pythonShape(b.shape())
                    + " in the rerun";
        }
        for (int k = 0; k < a.size(); k++) {
            String difference = compare(a.at(k), b.at(k), file + " index " + Npy.pythonShape(a.index(k)), total);
            if (difference != null) {
                return difference;
            }
        }
        return null;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a scratch directory left behind in the system's temporary folder is harmless
        }
    }
}
