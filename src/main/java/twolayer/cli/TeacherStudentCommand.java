package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.meanfield.TeacherStudent;

/**
 * {@code twolayer experiment teacher-student}: the mean-field chapter's teacher-student study
 * ({@link TeacherStudent}) over widths and seeds, one {@link TeacherStudent#run} per unit; the defaults are the
 * chapter's run ({@link TeacherStudent.Config#study}: its ridge 0.01 on u at m &gt;= 400 only).
 */
@Command(name = "teacher-student",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Mean-field teacher-student by online SGD: the test error along training per (m, seed).",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every width m and seed, train the mean-field sigmoid student in d = 2 by online SGD on fresh",
            "batches from the study's 4-unit teacher: --steps at --eta, then --decayed-steps at --decay * --eta,",
            "and record the test error against the teacher at --observations times per phase.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/m=<m>,seed=<s>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Examples:",
            "  twolayer experiment teacher-student --widths 25,100,400 --seeds 1..4 --out ts",
            "  the study's own settings (torch SGD lr 10 on the mean MSE: eta = 20/m, 10^4 steps of 10^4 points):",
            "  twolayer experiment teacher-student --widths 4,8,40 --seeds 1..4 --eta study --steps 10000 \\",
            "      --decayed-steps 0 --batch 10000 --observations 50 --out ts-study"})
final class TeacherStudentCommand extends SweepCommand {

    @Option(names = "--widths", paramLabel = "WIDTHS", defaultValue = "25,100,400",
            description = "widths m: a list or a range LO..HI; default ${DEFAULT-VALUE}.")
    String widths;

    @Option(names = "--seeds", paramLabel = "SEEDS", defaultValue = "1..3",
            description = "seeds: a list 1,2 or a range LO..HI; default ${DEFAULT-VALUE}.")
    String seeds;

    @Option(names = "--steps", paramLabel = "K", defaultValue = "4000", description = "steps of phase 1; default ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--decayed-steps", paramLabel = "K", defaultValue = "1000",
            description = "steps of phase 2, >= 0; default ${DEFAULT-VALUE}.")
    int decayedSteps;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "1000", description = "fresh points per step; default ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--eta", paramLabel = "eta", defaultValue = "0.5",
            description = "mean-field step size of phase 1, > 0, or 'study' for the study's per-width rate 20/m "
                    + "(torch SGD lr 10 on the mean squared error, in this project's units); default ${DEFAULT-VALUE}.")
    String eta;

    @Option(names = "--decay", paramLabel = "q", defaultValue = "0.1",
            description = "phase 2 runs at q * eta, 0 < q <= 1; default ${DEFAULT-VALUE}.")
    double decay;

    @Option(names = "--observations", paramLabel = "k", defaultValue = "20",
            description = "observations per phase (divides both step counts); default ${DEFAULT-VALUE}.")
    int observations;

    @Override
    String experiment() {
        return "teacher-student";
    }

    @Override
    Map<String, String> settings() {
        require(steps >= 1, "--steps", ">= 1", steps);
        require(decayedSteps >= 0, "--decayed-steps", ">= 0", decayedSteps);
        require(batch >= 1, "--batch", ">= 1", batch);
        require(observations >= 1 && steps % observations == 0 && decayedSteps % observations == 0,
                "--observations", ">= 1 and divide --steps and --decayed-steps", observations);
        etaOf(1);
        require(decay > 0 && decay <= 1, "--decay", "in (0, 1]", decay);
        return settingsOf("--steps", steps, "--decayed-steps", decayedSteps, "--batch", batch,
                // the value, not its spelling: 0.5, 0.50 and 5e-1 are one setting
                "--eta", eta.equals("study") ? "study" : etaOf(1), "--decay", decay, "--observations", observations);
    }

    @Override
    List<Sweep.Unit> units() {
        List<Sweep.Unit> units = new ArrayList<>();
        for (int m : Sweep.ints("--widths", widths, 1)) {
            for (long seed : Sweep.longs("--seeds", seeds, Long.MIN_VALUE)) {
                TeacherStudent.Config study = TeacherStudent.Config.study(m, seed);
                TeacherStudent.Config c = new TeacherStudent.Config(m, study.lambdaA(), batch, etaOf(m), steps,
                        decay, decayedSteps, observations, seed);
                units.add(new Sweep.Unit(keyOf("m", m, "seed", seed), () -> {
                    TeacherStudent.Run r = TeacherStudent.run(c);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("final_test_error", r.finalTestError());
                    out.put("times", r.times());
                    out.put("test_errors", r.testErrors());
                    return out;
                }));
            }
        }
        return units;
    }

    /**
     * The phase-1 step size at width m: the number given, or the study's rate 20/m. The study trains every
     * width with torch SGD at lr 10 on the mean squared error, whose gradient in u_j is (2/m) sigma_j g; in
     * this project's units (the 1/2 in the loss, the mean-field rate multiplied by m per particle) that is
     * eta = 2 * 10 / m.
     */
    private double etaOf(int m) {
        if (eta.equals("study")) {
            return 20.0 / m;
        }
        double value;
        try {
            value = Double.parseDouble(eta);
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        require(value > 0 && Double.isFinite(value), "--eta", "a number > 0 or 'study'", eta);
        return value;
    }
}
