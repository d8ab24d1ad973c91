package twolayer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.PointSlope;
import twolayer.chapter.phasediagram.PhaseDiagramSweep;
import twolayer.dynamics.TrainingState;

/**
 * {@code twolayer experiment phase-diagram}: the sweep of {@link PhaseDiagramSweep} over a grid of Luo et al.'s
 * (gamma, gamma'), widths and seeds; one file per run in {@code --out}, written atomically as each run ends, so a
 * second invocation resumes, and {@code --shard k/N} lets the N tasks of a job array share one directory.
 */
@Command(name = "phase-diagram",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Sweep Luo et al.'s phase diagram: RD(theta_w) and its slope in m at each (gamma, gamma').",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every grid point (gamma, gamma'), width m and seed, train the ReLU net",
            "f(x) = sum_k a_k relu(w_k . (x, 1)), a ~ N(0, m^-(gamma+gamma')), w ~ N(0, m^-(gamma-gamma') I), antisymmetric",
            "init, on 5 points of a 1-d target until L = 1/(2n) sum (f - y)^2 < --loss-threshold, and record",
            "RD_w = |w(T) - w(0)| / |w(0)| and the condensation of the final neurons. Then fit, per point,",
            "s = d log RD_w / d log m (the slope of the log-log plot; Luo et al.'s S_w = -s).",
            "Runs are independent and single-threaded: the results do not depend on --threads."},
        footer = {
            "",
            "Files (in --out DIR):",
            "  g<gamma>_gp<gamma'>_m<m>_s<seed>.csv  one per run, written atomically when the run ends, with its",
            "               --loss-threshold, --max-steps and --step-factor; a run whose file holds it under the same",
            "               settings is skipped, so running the same command again resumes an interrupted sweep.",
            "               A directory belongs to one setting: a sweep whose --loss-threshold or --step-factor differs",
            "               from its files' is refused before any file is touched (exit 2; --restart deletes the old run",
            "               files first). A larger --max-steps continues: converged runs are kept, runs that did not",
            "               converge are redone. A run unstable after 20 restarts is recorded as not converged.",
            "  slopes.csv   per grid point: gamma, gamma', regime, slope s, S_w = -s, the fit's standard error, the",
            "               seed standard error, the widths used, seeds, runs that did not converge, and a reason",
            "               where there is no slope (fewer than 2 widths with every seed converged); rewritten at the",
            "               end of every invocation from all run files in DIR (so shards merge by sharing DIR);",
            "               a file that is not a run record of its name is refused (exit 1).",
            "",
            "Exit codes: 0 done, 1 a run failed or a write failed, 2 invalid options.",
            "",
            "Examples:",
            "  twolayer experiment phase-diagram --grid 0.5:0,1:0,2:0 --widths 256..16384x5 --seeds 1..3 --out pd",
            "  twolayer experiment phase-diagram --grid 0.5..2/0.25x-1..1/0.25 --widths 256..4096x5 --seeds 1..2 \\",
            "      --shard $SLURM_ARRAY_TASK_ID/16 --out pd      (a job array with --array=1-16)"})
final class PhaseDiagramCommand extends Subcommand {

    @Option(names = "--grid", paramLabel = "GRID", required = true,
            description = "points g:g',g:g',... or a rectangle GLO..GHI/STEPxPLO..PHI/STEP (ends included).")
    String grid;

    @Option(names = "--widths", paramLabel = "WIDTHS", defaultValue = "256..16384x5",
            description = "even widths m: a list 256,1024 or LO..HIxK (K log-spaced); default ${DEFAULT-VALUE}.")
    String widths;

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "1..3",
            description = "seeds of the initial draws: a list 1,2 or a range LO..HI; default ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--loss-threshold", paramLabel = "L", defaultValue = "1e-6",
            description = "train until the loss is below L; default ${DEFAULT-VALUE}.")
    double lossThreshold;

    @Option(names = "--max-steps", paramLabel = "k", defaultValue = "2000000",
            description = "a run not converged after k steps is recorded as not converged; default ${DEFAULT-VALUE}.")
    long maxSteps;

    @Option(names = "--step-factor", paramLabel = "c", defaultValue = "0.3",
            description = "c in eta = c / (curvature bound), in (0, 2); default ${DEFAULT-VALUE}.")
    double stepFactor;

    @Option(names = "--shard", paramLabel = "k/N", defaultValue = "1/1",
            description = "do only the runs with index = k-1 mod N (1 <= k <= N); default ${DEFAULT-VALUE}.")
    String shard;

    @Option(names = "--threads", paramLabel = "T",
            description = "runs in parallel, >= 1 (default: all cores); the results do not depend on it.")
    Integer threads;

    @Option(names = "--restart",
            description = {"delete the run files and slopes.csv in --out, once the options are checked, and",
                "start again (for other settings; give it to one invocation, not to every shard)."})
    boolean restart;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "directory of the run files.")
    Path out;

    @Option(names = "--no-progress",
            description = "No progress bar (there is one on stderr only on an interactive terminal).")
    boolean noProgress;

    @Override
    int run() throws Exception {
        List<PhaseDiagramSweep.Point> points = parse("--grid", () -> PhaseDiagramSweep.parseGrid(grid));
        int[] ws = parse("--widths", () -> PhaseDiagramSweep.parseWidths(widths));
        long[] ss = parse("--seeds", () -> PhaseDiagramSweep.parseSeeds(seeds));
        require(lossThreshold > 0 && Double.isFinite(lossThreshold), "--loss-threshold", "finite and > 0", lossThreshold);
        require(maxSteps >= 1, "--max-steps", ">= 1", maxSteps);
        require(stepFactor > 0 && stepFactor < 2, "--step-factor", "in (0, 2)", stepFactor);
        int used = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        require(used >= 1, "--threads", "an integer >= 1", used);
        String[] kn = shard.split("/");
        int k, n;
        try {
            require(kn.length == 2, "--shard", "k/N", shard);
            k = Integer.parseInt(kn[0].trim());
            n = Integer.parseInt(kn[1].trim());
        } catch (NumberFormatException e) {
            throw CliException.usage("--shard: must be k/N with integers 1 <= k <= N, got " + shard);
        }
        require(n >= 1 && k >= 1 && k <= n, "--shard", "k/N with 1 <= k <= N", shard);
        PhaseDiagramSweep.Config config;
        try {
            config = new PhaseDiagramSweep.Config(points, ws, ss, lossThreshold, maxSteps, stepFactor);
        } catch (IllegalArgumentException e) {
            // the Config names its field (grid, widths or seeds): name the option instead
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(": ");
            String field = colon > 0 ? message.substring(0, colon) : "";
            String option = field.equals("grid") || field.equals("seeds") ? "--" + field : "--widths";
            throw CliException.usage(option + ": " + (colon > 0 ? message.substring(colon + 2) : message));
        }
        requireMemory(ws, used);
        OutputDir.prepare(out, "--out");
        if (restart) {
            removeOldRuns();
        }
        int total = config.keys().size();
        long mine = (total - (k - 1) + n - 1) / n;
        AtomicLong done = new AtomicLong();
        try (Progress bar = Progress.start(!noProgress, "phase-diagram", mine, TrainingState::step)) {
            int ran = PhaseDiagramSweep.run(config, out, k, n, used,
                    r -> bar.observe(new TrainingState(0, done.incrementAndGet(), r.loss(), null)));
            List<PointSlope> slopes = PhaseDiagramSweep.summarise(out);
            err().println("phase-diagram: " + ran + " runs done now, " + (mine - ran) + " already in '" + out
                    + "'; slopes of " + slopes.size() + " grid points in " + out.resolve("slopes.csv"));
            err().flush();
        } catch (PhaseDiagramSweep.SettingsConflict e) {
            String option = switch (e.setting()) {
                case "loss threshold" -> "--loss-threshold";
                case "step factor" -> "--step-factor";
                default -> "--max-steps";
            };
            throw CliException.usage(option + ": '" + out + "' holds runs made with " + option + " " + e.old()
                    + ", not " + e.asked() + "; a sweep directory holds one setting: rerun with " + option + " "
                    + e.old() + ", use another --out, or add --restart to delete its run files (nothing was changed)");
        } catch (IllegalStateException | IllegalArgumentException e) {
            // a failed run, a run file of another version, or run files made under mixed settings
            throw CliException.runtime(e.getMessage());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw CliException.runtime("cannot write into '" + out + "': " + e.getMessage());
        }
        return 0;
    }

    /** --restart: deletes the run files and slopes.csv of --out (only after every option has been checked). */
    private void removeOldRuns() {
        try {
            for (Path f : PhaseDiagramSweep.runFiles(out)) {
                Files.delete(f);
            }
            Files.deleteIfExists(out.resolve("slopes.csv"));
        } catch (java.io.IOException e) {
            throw CliException.runtime("--restart: cannot delete the old run files in '" + out + "': "
                    + OutputDir.reason(e));
        }
    }

    /**
     * The runs in flight at once hold a few arrays of the widest net each (parameters, gradients, the kernel's
     * particles: about 40 m doubles); refuse widths that cannot fit before the first run starts.
     */
    private static void requireMemory(int[] widths, int threads) {
        int widest = java.util.Arrays.stream(widths).max().orElse(2);
        Memory.requireFits("--widths", threads + (threads == 1 ? " run" : " runs") + " at once at width m = " + widest,
                40.0 * widest * Memory.DOUBLE * threads);
    }
}
