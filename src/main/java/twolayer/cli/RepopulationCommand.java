package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.meanfield.Repopulation;
import twolayer.chapter.meanfield.TeacherStudent;

/**
 * {@code twolayer experiment repopulation}: the mean-field chapter's small networks from the learned measure
 * ({@link Repopulation}, claim MF-4) as a sweep over seeds, one {@link Repopulation#run} per unit; the defaults are
 * the claim's setting ({@link Repopulation.Config#claim}) and seeds. See the baseline chapter, section "Experiments
 * as commands".
 */
@Command(name = "repopulation",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Small networks from a trained mean-field student: refit test error by source of the hidden units.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every seed, train a mean-field student of width --width on the study's teacher (SGD, the m = 400",
            "schedule: eta = 0.5, ridge 0.01 on the output weights), then draw --draws small networks of --units",
            "hidden units from each source: random features from N(0, I) (initial), neurons picked uniformly",
            "(uniform), picked with P_j ~ |a_j| std sigma(<w_j, x>) (importance), and fresh draws from the P-weighted",
            "measure smoothed by a Gaussian of width --bandwidth (repopulated); refit the output layer by least",
            "squares and record each draw's test error and the medians. Then the same student with --idle idle units",
            "(a = 0) per trained one: uniform against importance picks.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/seed=<k>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example (the study's width, ten seeds, as 5 shards of a job array):",
            "  twolayer experiment repopulation --width 1000 --seeds 1..10 --shard $SLURM_ARRAY_TASK_ID/5 --out repop"})
final class RepopulationCommand extends SweepCommand {

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "20261123,20261124",
            description = "seeds of the student and of the draws: a list 1,2 or a range LO..HI; default ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--width", paramLabel = "m", defaultValue = "200", description = "the student's width, >= 1; default ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "2000",
            description = "the student's SGD steps, a multiple of 20; default ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "500", description = "the student's batch size, >= 1; default ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--units", paramLabel = "k", defaultValue = "16", description = "hidden units of each small network; default ${DEFAULT-VALUE}.")
    int units;

    @Option(names = "--draws", paramLabel = "k", defaultValue = "20", description = "small networks per source; default ${DEFAULT-VALUE}.")
    int draws;

    @Option(names = "--bandwidth", paramLabel = "h", defaultValue = "0.02",
            description = "kernel width of the repopulated features, >= 0; default ${DEFAULT-VALUE}.")
    double bandwidth;

    @Option(names = "--idle", paramLabel = "k", defaultValue = "19", description = "idle units per trained unit, >= 0; default ${DEFAULT-VALUE}.")
    int idle;

    @Option(names = "--n-importance", paramLabel = "n", defaultValue = "1000",
            description = "inputs over which P_j is estimated, >= 2; default ${DEFAULT-VALUE}.")
    int nImportance;

    @Option(names = "--n", paramLabel = "n", defaultValue = "2000", description = "training points of the refit; default ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--n-test", paramLabel = "n", defaultValue = "2000", description = "test points; default ${DEFAULT-VALUE}.")
    int nTest;

    @Option(names = "--label-noise", paramLabel = "s", defaultValue = "0.1",
            description = "standard deviation of the refit's label noise, >= 0; default ${DEFAULT-VALUE}.")
    double labelNoise;

    @Override
    String experiment() {
        return "repopulation";
    }

    @Override
    Map<String, String> settings() {
        require(width >= 1, "--width", ">= 1", width);
        require(steps >= 20 && steps % 20 == 0, "--steps", "a positive multiple of 20 (the student is observed 20 times)",
                steps);
        require(batch >= 1, "--batch", ">= 1", batch);
        require(units >= 1, "--units", ">= 1", units);
        require(draws >= 1, "--draws", ">= 1", draws);
        require(bandwidth >= 0 && Double.isFinite(bandwidth), "--bandwidth", "finite and >= 0", bandwidth);
        require(idle >= 0, "--idle", ">= 0", idle);
        require(nImportance >= 2, "--n-importance", ">= 2", nImportance);
        require(n >= 1, "--n", ">= 1", n);
        require(nTest >= 1, "--n-test", ">= 1", nTest);
        require(labelNoise >= 0 && Double.isFinite(labelNoise), "--label-noise", "finite and >= 0", labelNoise);
        // the padded student's (idle + 1) m particles and the refit's n x k features dominate a unit's memory
        Memory.requireFits("--idle", "the padded student of " + ((idle + 1.0) * width) + " units",
                3.0 * (idle + 1.0) * width * Memory.DOUBLE + 2.0 * ((double) n + nTest) * units * Memory.DOUBLE);
        return settingsOf("--width", width, "--steps", steps, "--batch", batch, "--units", units, "--draws", draws,
                "--bandwidth", bandwidth + 0.0, "--idle", idle, "--n-importance", nImportance, "--n", n,
                "--n-test", nTest, "--label-noise", labelNoise + 0.0);
    }

    @Override
    List<Sweep.Unit> units() {
        List<Sweep.Unit> list = new ArrayList<>();
        for (long seed : Sweep.longs("--seeds", seeds, Long.MIN_VALUE)) {
            Repopulation.Config c = new Repopulation.Config(
                    TeacherStudent.Config.study(400, seed).scaled(steps, 0, batch).withWidth(width), units, draws,
                    bandwidth, idle, nImportance, n, nTest, labelNoise);
            list.add(new Sweep.Unit(keyOf("seed", seed), () -> result(Repopulation.run(c))));
        }
        return list;
    }

    private static Map<String, Object> result(Repopulation.Result r) {
        double[] medians = Repopulation.Result.medians(r.errors());
        double[] idle = Repopulation.Result.medians(r.idleErrors());
        Map<String, Object> m = new LinkedHashMap<>();
        Repopulation.Source[] sources = Repopulation.Source.values();
        for (int s = 0; s < sources.length; s++) {
            m.put("median_" + sources[s].name().toLowerCase(Locale.ROOT), medians[s]);
        }
        m.put("median_uniform_idle", idle[0]);
        m.put("median_importance_idle", idle[1]);
        m.put("ratio_initial_to_importance", medians[Repopulation.Source.INITIAL.ordinal()]
                / medians[Repopulation.Source.IMPORTANCE.ordinal()]);
        m.put("ratio_initial_to_repopulated", medians[Repopulation.Source.INITIAL.ordinal()]
                / medians[Repopulation.Source.REPOPULATED.ordinal()]);
        m.put("ratio_uniform_to_importance_idle", idle[0] / idle[1]);
        m.put("participation", r.participation());
        m.put("student_test_error", r.studentError());
        for (int s = 0; s < sources.length; s++) {
            m.put("errors_" + sources[s].name().toLowerCase(Locale.ROOT), r.errors()[s]);
        }
        m.put("errors_uniform_idle", r.idleErrors()[0]);
        m.put("errors_importance_idle", r.idleErrors()[1]);
        return m;
    }
}
