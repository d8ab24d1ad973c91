package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.scalings.GolikovExponentSweep;
import twolayer.chapter.scalings.GolikovExponentSweep.Quantity;
import twolayer.model.GolikovExponents;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;

/**
 * {@code twolayer experiment golikov}: the scalings chapter's exponent sweep ({@link GolikovExponentSweep}) cell by
 * cell, one {@link GolikovExponentSweep#measure} per (scaling, width), with the bits of the chapter's sweep; the
 * slopes in m are fitted from summary.csv. The defaults are the site figures' setting.
 */
@Command(name = "golikov",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "Golikov's scalings at initialisation: logit, kernel trace and step sizes per (scaling, m).",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "For every scaling and width m, draw the ReLU net at initialisation --logit-draws times on n fixed",
            "Gaussian inputs (labels sign(x_1)) and record the rms logit (predicted ~ m^A), the rated kernel's",
            "mean diagonal (~ m^B) and the normalised gradient-step sizes of a and w (~ m^C_a, m^C_w), with the",
            "predicted exponents; the log-log slope of each against m is the measured exponent.",
            "Scalings: ntk, mean-field, sym-default, default, mf-ntk, post-mf, post-ntk (the chapter's seven).",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/scaling=<name>,m=<m>.json, one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example:",
            "  twolayer experiment golikov --widths 256,512,1024,2048,4096,8192 --out golikov"})
final class GolikovCommand extends SweepCommand {

    /** The chapter's seven scalings, in {@link GolikovExponentSweep.Config#namedScalings} order. */
    private static final List<String> NAMES =
            List.of("ntk", "mean-field", "sym-default", "default", "mf-ntk", "post-mf", "post-ntk");

    @Option(names = "--scalings", paramLabel = "S", defaultValue = "ntk,mean-field,sym-default,default,mf-ntk,post-mf,post-ntk",
            description = "scalings, a list of the names above; default all seven.")
    String scalings;

    @Option(names = "--widths", paramLabel = "WIDTHS", defaultValue = "256,512,1024,2048,4096,8192",
            description = "widths m, at least two, increasing: a list or a range LO..HI; default ${DEFAULT-VALUE}.")
    String widths;

    @Option(names = "--m-ref", paramLabel = "m", defaultValue = "" + Parameterization.GOLIKOV_REFERENCE_WIDTH,
            description = "the scalings' reference width; default ${DEFAULT-VALUE}.")
    int mRef;

    @Option(names = "--logit-draws", paramLabel = "k", defaultValue = "48",
            description = "draws per width for the logits, >= 2; default ${DEFAULT-VALUE}.")
    int logitDraws;

    @Option(names = "--kernel-draws", paramLabel = "k", defaultValue = "24",
            description = "of those, draws for the kernel and steps; default ${DEFAULT-VALUE}.")
    int kernelDraws;

    @Option(names = "--n", paramLabel = "n", defaultValue = "32", description = "inputs; default ${DEFAULT-VALUE}.")
    int n;

    @Option(names = "--d", paramLabel = "d", defaultValue = "8", description = "input dimension; default ${DEFAULT-VALUE}.")
    int d;

    @Option(names = "--seed", paramLabel = "s", defaultValue = "20261123",
            description = "seed of the inputs and the draws; default ${DEFAULT-VALUE}.")
    long seed;

    @Override
    String experiment() {
        return "golikov";
    }

    @Override
    Map<String, String> settings() {
        require(mRef >= 1, "--m-ref", ">= 1", mRef);
        require(logitDraws >= 2, "--logit-draws", ">= 2", logitDraws);
        require(kernelDraws >= 1 && kernelDraws <= logitDraws, "--kernel-draws", "in [1, --logit-draws]", kernelDraws);
        require(n >= 1, "--n", ">= 1", n);
        require(d >= 1, "--d", ">= 1", d);
        return settingsOf("--m-ref", mRef, "--logit-draws", logitDraws, "--kernel-draws", kernelDraws, "--n", n,
                "--d", d, "--seed", seed);
    }

    @Override
    List<Sweep.Unit> units() {
        List<String> names = List.of(scalings.split(",")).stream().map(String::trim).toList();
        for (String s : names) {
            require(NAMES.contains(s), "--scalings", "a list of " + String.join(", ", NAMES), s);
        }
        require(names.stream().distinct().count() == names.size(), "--scalings", "distinct", scalings);
        List<GolikovExponents> all = GolikovExponentSweep.Config.namedScalings();
        int[] ws = Sweep.ints("--widths", widths, 1);
        // the chapter's Config over all seven scalings: a unit's scaling index is its index there
        GolikovExponentSweep.Config c = parse("--widths", () -> new GolikovExponentSweep.Config(all, ws, mRef,
                logitDraws, kernelDraws, n, d, seed));
        List<Sweep.Unit> units = new ArrayList<>();
        for (String name : names) {
            int s = NAMES.indexOf(name);
            GolikovExponents g = all.get(s);
            for (int m : ws) {
                units.add(new Sweep.Unit(keyOf("scaling", name, "m", m), () -> {
                    double[] q = GolikovExponentSweep.measure(c, s, m, Parallelism.sequential());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("rms_logit", q[Quantity.LOGIT.ordinal()]);
                    out.put("kernel_trace", q[Quantity.KERNEL.ordinal()]);
                    out.put("step_a", q[Quantity.STEP_A.ordinal()]);
                    out.put("step_w", q[Quantity.STEP_W.ordinal()]);
                    out.put("predicted_A", g.a());
                    out.put("predicted_B", g.b());
                    out.put("predicted_C_a", g.cA());
                    out.put("predicted_C_w", g.cW());
                    return out;
                }));
            }
        }
        return units;
    }
}
