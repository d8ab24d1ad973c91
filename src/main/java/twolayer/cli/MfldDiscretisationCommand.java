package twolayer.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import twolayer.chapter.mfld.MfldDiscretisation;
import twolayer.chapter.mfld.MfldToy;
import twolayer.dynamics.ObservationTimes;

/**
 * {@code twolayer experiment mfld-discretisation}: the mfld chapter's two discretisation errors
 * ({@link MfldDiscretisation}) unit by unit: one {@link MfldDiscretisation#timeBiasAt} per step size and one
 * {@link MfldDiscretisation#particleBiasAt} per width, seeded as the chapter's figure seeds them (the k-th step size
 * {@code seed + k}, the k-th width {@code seed + 1 + k * repeats} and on), with the figure's settings as defaults.
 * See the baseline chapter, section "Experiments as commands".
 */
@Command(name = "mfld-discretisation",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        version = "twolayer " + Twolayer.VERSION,
        header = "MFLD's time and particle discretisation errors: stationary bias per step size and per width.",
        descriptionHeading = "%n",
        optionListHeading = "%n",
        usageHelpWidth = 110,
        description = {
            "part=step: for every step size eta, run MFLD on the quadratic potential (c/2)|theta|^2 (tanh neurons on",
            "the input x = 0) with --step-width particles in --step-d dimensions and record the stationary variance",
            "bias Var - lambda/c, measured and exact ((lambda/c)/(1 - eta c/2) - lambda/c for Euler-Maruyama).",
            "part=particles: for every width m, run the mfld-toy regression (n = 20, eta = 0.05, lambda = 0.01,",
            "lambdaA = lambdaW = 0.2) --repeats times to --time and record the mean of F(p_mu) - F* over the",
            "certified observations after --burn-in (O(1/m)). The k-th step size is seeded --seed + k, the k-th",
            "width's runs --seed + 1 + k * repeats on, as in the chapter; the first seed is part of the unit's key.",
            "Units are single-threaded: the results do not depend on --threads or --shard."},
        footer = {
            "",
            "Files (in --out DIR): runs/part=step,eta=<eta>,seed=<s>.json and runs/part=particles,m=<m>,seed=<s>.json,",
            "one per unit, and summary.csv.",
            "A rerun skips finished units; a folder of other settings is refused (exit 2) unless --restart.",
            "",
            "Exit codes: 0 done, 1 a unit failed or a write failed, 2 invalid options.",
            "",
            "Example (the particle part at larger widths and more repeats):",
            "  twolayer experiment mfld-discretisation --parts particles --widths 25,50,100,200,400,800 --repeats 8 \\",
            "      --out mfld-disc"})
final class MfldDiscretisationCommand extends SweepCommand {

    @Option(names = "--parts", paramLabel = "P", defaultValue = "step,particles",
            description = "a list of step, particles; default ${DEFAULT-VALUE}.")
    String parts;

    @Option(names = "--etas", paramLabel = "ETAS", defaultValue = "0.4,0.2,0.1,0.05",
            description = "part=step: step sizes, each with eta c < 2; default ${DEFAULT-VALUE}.")
    String etas;

    @Option(names = "--step-width", paramLabel = "m", defaultValue = "5000",
            description = "part=step: particles, >= 1; default ${DEFAULT-VALUE}.")
    int stepWidth;

    @Option(names = "--step-d", paramLabel = "d", defaultValue = "9",
            description = "part=step: input dimension, >= 1; default ${DEFAULT-VALUE}.")
    int stepD;

    @Option(names = "--step-lambda", paramLabel = "l", defaultValue = "0.1",
            description = "part=step: temperature lambda, > 0; default ${DEFAULT-VALUE}.")
    double stepLambda;

    @Option(names = "--step-c", paramLabel = "c", defaultValue = "1",
            description = "part=step: curvature c of the potential, > 0; default ${DEFAULT-VALUE}.")
    double stepC;

    @Option(names = "--widths", paramLabel = "WIDTHS", defaultValue = "25,50,100,200",
            description = "part=particles: widths m: a list or a range LO..HI; default ${DEFAULT-VALUE}.")
    String widths;

    @Option(names = "--repeats", paramLabel = "k", defaultValue = "2",
            description = "part=particles: runs per width, >= 1; default ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--time", paramLabel = "T", defaultValue = "150",
            description = "part=particles: final time, a whole number; default ${DEFAULT-VALUE}.")
    double time;

    @Option(names = "--burn-in", paramLabel = "t", defaultValue = "40",
            description = "part=particles: observations after this time are averaged, 0 <= t < T; default ${DEFAULT-VALUE}.")
    double burnIn;

    @Option(names = "--seed", paramLabel = "s", defaultValue = "20261123",
            description = "first seed (see above); default ${DEFAULT-VALUE}.")
    long seed;

    @Override
    String experiment() {
        return "mfld-discretisation";
    }

    @Override
    Map<String, String> settings() {
        require(stepWidth >= 1, "--step-width", ">= 1", stepWidth);
        require(stepD >= 1, "--step-d", ">= 1", stepD);
        require(stepLambda > 0 && Double.isFinite(stepLambda), "--step-lambda", "finite and > 0", stepLambda);
        require(stepC > 0 && Double.isFinite(stepC), "--step-c", "finite and > 0", stepC);
        require(repeats >= 1, "--repeats", ">= 1", repeats);
        require(time >= 1 && time <= Integer.MAX_VALUE && time == Math.rint(time), "--time", "a whole number >= 1",
                time);
        require(burnIn >= 0 && burnIn < time, "--burn-in", ">= 0 and < --time " + time, burnIn);
        // the toy is certified at every whole time unit: T / 0.05 steps in T equal blocks
        parse("--time", () -> ObservationTimes.wholeSteps(time, 0.05, (int) time));
        return settingsOf("--step-width", stepWidth, "--step-d", stepD, "--step-lambda", stepLambda, "--step-c", stepC,
                "--repeats", repeats, "--time", time, "--burn-in", burnIn + 0.0);
    }

    @Override
    List<Sweep.Unit> units() {
        List<String> names = List.of(parts.split(",")).stream().map(String::trim).toList();
        require(names.stream().distinct().count() == names.size(), "--parts", "distinct", parts);
        for (String p : names) {
            require(p.equals("step") || p.equals("particles"), "--parts", "a list of step, particles", p);
        }
        List<Sweep.Unit> units = new ArrayList<>();
        if (names.contains("step")) {
            double[] es = Sweep.doubles("--etas", etas, 0);
            for (int k = 0; k < es.length; k++) {
                double eta = es[k];
                require(eta > 0 && eta * stepC < 2, "--etas", "> 0 with eta * --step-c < 2 (a stationary law)", eta);
                long unitSeed = seed + k;
                units.add(new Sweep.Unit(keyOf("part", "step", "eta", eta, "seed", unitSeed), () -> {
                    double[] bias = MfldDiscretisation.timeBiasAt(eta, stepLambda, stepC, stepWidth, stepD, unitSeed);
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("measured_bias", bias[0]);
                    r.put("exact_bias", bias[1]);
                    return r;
                }));
            }
        }
        if (names.contains("particles")) {
            int[] ms = Sweep.ints("--widths", widths, 1);
            MfldToy.Config base = MfldDiscretisation.particleToy(seed, ms[0], time);
            // F* of the toy does not depend on the width or the seed: computed once, as the chapter does
            java.util.function.Supplier<Double> reference = once(() -> MfldToy.reference(base).freeEnergy());
            for (int k = 0; k < ms.length; k++) {
                int m = ms[k];
                long first = seed + 1 + (long) k * repeats;
                units.add(new Sweep.Unit(keyOf("part", "particles", "m", m, "seed", first), () -> {
                    double fStar = reference.get();
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("free_energy_bias", MfldDiscretisation.particleBiasAt(base, m, first, repeats, burnIn, fStar));
                    r.put("reference_free_energy", fStar);
                    return r;
                }));
            }
        }
        return units;
    }
}
