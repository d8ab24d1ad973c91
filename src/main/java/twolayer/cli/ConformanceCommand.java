package twolayer.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.phasediagram.PhaseDiagramVectors;
import twolayer.conformance.ConformanceVectors;

/**
 * {@code twolayer conformance}: writes the conformance vectors ({@link ConformanceVectors}) into a directory, every
 * file or none. The repository's {@code conformance/} folder holds the committed output of
 * {@code twolayer conformance --out conformance}; {@code ConformanceTest} keeps it equal to what the code produces.
 */
@Command(name = "conformance",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Write the conformance vectors: reference kernels, predictions, gradients and dynamics.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "Write " + ConformanceVectors.KERNELS + " (infinite-width NNGP and NTK: relu, erf in closed form, tanh by",
            "quadrature; with and without biases and fan-in scaling; on fixed inputs including nearly parallel and",
            "antiparallel pairs and a zero vector) and " + ConformanceVectors.PREDICTIONS + " (closed-form",
            "gradient-flow predictions at several times and t = inf, one with a singular kernel), and the finite",
            "net's vectors: gradients.json (outputs, loss and gradients by group for every activation, preset, bias",
            "setting and loss), empirical-ntk.json, gd-trajectories.json (plain, momentum, per-group rates, given",
            "mini-batches), flow.json, linearized.json, coordinates.json, mfld.json, two-timescale.json (with and",
            "without the label-noise procedure) and phase-diagram.json (RD of tiny phase-diagram runs), into --out DIR.",
            "Each file states its conventions, the tolerance a conforming implementation should meet and why, the",
            "twolayer version and the command that regenerates it. The output is deterministic: the same code",
            "writes the same bytes."},
        footer = {
            "",
            "Exit codes: 0 done, 1 a failed write (then no file is written), 2 invalid options.",
            "",
            "Example (regenerates the repository's vectors):",
            "  twolayer conformance --out conformance"})
final class ConformanceCommand extends Subcommand {

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory to write the files into (required; created if missing).")
    Path out;

    /**
     * Every conformance document, file name to JSON text: {@link ConformanceVectors}' and the phase diagram's
     * ({@link PhaseDiagramVectors}, a chapter's run, which the conformance package below the chapters cannot call).
     */
    static Map<String, String> vectors(String version) {
        Map<String, String> files = new LinkedHashMap<>(ConformanceVectors.generate(version));
        files.putAll(PhaseDiagramVectors.generate(version));
        return files;
    }

    @Override
    int run() {
        if (out == null) {
            throw CliException.usage("--out: required (the directory to write the vectors into, e.g. conformance)");
        }
        OutputDir dir = OutputDir.prepare(out, "--out");
        boolean written = false;
        try {
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (Map.Entry<String, String> f : vectors(Twolayer.VERSION).entrySet()) {
                files.put(f.getKey(), f.getValue().getBytes(StandardCharsets.UTF_8));
            }
            dir.commit(files);
            written = true;
            List<String> shown = new ArrayList<>();
            for (String name : files.keySet()) {
                shown.add(dir.shown(name));
            }
            out().println("wrote " + String.join(", ", shown.subList(0, shown.size() - 1)) + " and "
                    + shown.get(shown.size() - 1));
            out().flush();
            return 0;
        } finally {
            if (!written) {
                dir.abandon();
            }
        }
    }
}
