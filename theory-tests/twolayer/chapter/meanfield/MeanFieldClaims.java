package twolayer.chapter.meanfield;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.data.GaussianInputs;
import twolayer.data.Teacher;
import twolayer.data.TeacherNetwork;
import twolayer.ledger.Claim;
import twolayer.ledger.Seeds;
import twolayer.measure.ParticleDiagnostics;
import twolayer.measure.Particles;
import twolayer.model.Activation;
import twolayer.ledger.ClaimFailureRecorder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The mean-field chapter's claims: O(1) particle motion, the teacher-student benchmark, effective neurons. */
@ExtendWith(ClaimFailureRecorder.class)
class MeanFieldClaims {

    // ------------------------------------------------------------------------------------------ MF-1

    /**
     * Bound on |slope| of log RD_w against log m under the meanField preset. Derivation: RD_w^2 is the ratio of the
     * particle averages (1/m) sum_j ||w_j(T) - w_j(0)||^2 and (1/m) sum_j ||w_j(0)||^2, each the empirical mean of m
     * (asymptotically independent) particles, so log RD_w = log RD_inf + O(m^(-1/2)) with a random O(m^(-1/2))
     * term of mean zero and a bias O(1/m). Over widths 32..1024 (ln ratio 3.5) with 6 initialisations each, the
     * random part gives the pooled slope a standard error of ~0.012-0.016 (measured over 8 data seeds), and the
     * bias, at most c/32 at the narrowest width, shifts it by <= c/(32 * 3.5) ~ 0.01 for c ~ 1. A slope of 0.1 is
     * therefore > 5 standard errors away from what the mean-field limit predicts, while the ntk preset's -1/2 misses
     * by 0.4.
     */
    static final double FLAT_TOLERANCE = 0.1;

    static final Claim MF_1 = Claim.define("MF-1", "mean-field",
            "Under the mean-field preset (kA = 1/m, rates m) the relative change RD_w of the hidden layer after "
            + "training to a fixed time stays O(1) as m grows: the log-log slope against m is 0.",
            "Mei, Montanari, Nguyen 2018 (PNAS), Thm 3: the particles follow the mean-field PDE with O(m^-1/2) "
            + "fluctuations; mean-field chapter",
            "|slope| < 0.1: fluctuations m^-1/2 give a standard error ~0.015 and the 1/m bias <= 0.01 "
            + "over m = 32..1024");

    static Stream<Long> widthSweepCases() {
        return Seeds.of(3);
    }

    // tag::experiment-claim-mf-1[]
    @ParameterizedTest(name = "MF-1 RD_w stays O(1) as m grows under meanField [seed={0}]")
    @MethodSource("widthSweepCases")
    void hiddenLayerMovesOrderOneAtEveryWidth(long seed) {
        MeanFieldWidthSweep.Result r =
                MeanFieldWidthSweep.run(MeanFieldWidthSweep.Config.claim(seed));
        int[] m = r.widths();
        double decades = Math.log10((double) m[m.length - 1] / m[0]);
        // the ledger's rule for slopes: at least 4 widths spanning at least 1.5 decades
        boolean design = m.length >= 4 && decades >= 1.5;
        // No power of m (see FLAT_TOLERANCE)
        MF_1.check(design && Math.abs(r.slope()) < FLAT_TOLERANCE,
                Claim.measure().value("slope", r.slope()).max("absSlope", Math.abs(r.slope()))
                        .max("slopeStandardError", r.slopeStandardError())
                        .min("rdWAtLargestWidth", r.geometricMeans()[m.length - 1]),
                "seed " + seed + ": slope of log RD_w vs log m = " + r.slope() + " +- "
                        + r.slopeStandardError() + " over m = " + Arrays.toString(m) + " (RD_w "
                        + Arrays.toString(r.geometricMeans()) + "), expected |slope| < "
                        + FLAT_TOLERANCE);
    }
    // end::experiment-claim-mf-1[]

    // ------------------------------------------------------------------------------------------ MF-2

    /** The study's factor between the stuck m = 4 student and the m = 40 student (it saw ~570x). */
    static final double OVERPARAMETERIZATION_FACTOR = 100.0;

    static final Claim MF_2 = Claim.define("MF-2", "mean-field",
            "Over-parameterisation helps in the teacher-student benchmark: trained with the same mean-field rate to "
            + "the same time, the median final test error of m = 4 students (which can represent f* exactly but get "
            + "stuck) is at least 100x the worst m = 40 error over the same seeds.",
            "hendrydong/NTK-and-MF-examples, MF/MF.ipynb (m = 4: 5.6e-3, m = 40: 9.8e-6); Chizat and Bach 2018, "
            + "Thm 3.5 (wide nets reach the global minimum); mean-field chapter",
            "median(m=4) >= 100 max(m=40), the study's factor: a stuck m = 4 student sits at ~4e-3 (a property of "
            + "the landscape), m = 40 at the SGD noise floor ~2e-5; the median over 5 seeds tolerates 2 escapes");

    static Stream<Arguments> benchmarkCases() {
        List<Long> seeds = Seeds.of(5).toList();
        return Stream.of(Arguments.of(seeds));
    }

    // tag::experiment-claim-mf-2[]
    /**
     * The claim runs the chapter's schedule, 4000 + 1000 steps (t = 2050): m = 40 has reached the
     * noise floor by then and a stuck m = 4 student stays stuck (after 2000 + 1000 steps the worst
     * m = 40 run was still at 3.6e-5, a ratio of only 121). A seed whose m = 4 student escapes
     * (about 1 in 6 in a 6-seed pilot) counts against the claim; the median fails only if 3 of 5
     * escape (probability ~3% at that rate). The m = 8 errors are recorded, not asserted (see the
     * chapter: at equal rates they sit at the same noise floor as m = 40).
     */
    @ParameterizedTest(name = "MF-2 m = 4 students are >= 100x worse than m = 40 [seeds {0}]")
    @MethodSource("benchmarkCases")
    void overParameterizedStudentsReachTheTeacher(List<Long> seeds) {
        int[] widths = {4, 8, 40};
        double[][] errors = new double[widths.length][seeds.size()];     // (widths, seeds)
        IntStream.range(0, widths.length * seeds.size()).parallel().forEach(q -> {
            int k = q / seeds.size(), s = q % seeds.size();
            TeacherStudent.Config c = TeacherStudent.Config.study(widths[k], seeds.get(s));
            errors[k][s] = TeacherStudent.run(c).finalTestError();
        });
        double median4 = median(errors[0]);
        double worst40 = Arrays.stream(errors[2]).max().orElseThrow();
        double median8 = median(errors[1]);
        MF_2.check(median4 >= OVERPARAMETERIZATION_FACTOR * worst40,
                Claim.measure().value("medianTestError_m4", median4)
                        .value("medianTestError_m8", median8)
                        .value("medianTestError_m40", median(errors[2]))
                        .value("worstTestError_m40", worst40)
                        .value("ratio_median4_to_worst40", median4 / worst40)
                        .value("ratio_median8_to_median40", median8 / median(errors[2])),
                "seeds " + seeds + ": m = 4 errors " + Arrays.toString(errors[0]) + ", m = 8 "
                        + Arrays.toString(errors[1]) + ", m = 40 " + Arrays.toString(errors[2])
                        + "; expected median(m=4) >= " + OVERPARAMETERIZATION_FACTOR
                        + " max(m=40)");
    }
    // end::experiment-claim-mf-2[]

    private static double median(double[] v) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    // ------------------------------------------------------------------------------------------ MF-3

    /** The study's "important neurons": u_j >= 1 (the teacher's mean output weight is 1). */
    static final double IMPORTANT = 1.0;
    /** Angular resolution of "on a teacher ray", the study's figure read at 5 degrees. */
    static final double MAX_ANGLE = Math.toRadians(5.0);
    /**
     * Required aligned fraction. The optimal measure of the penalised problem puts all its mass on the four rays;
     * at finite time and with SGD noise (eta = 0.5, batches of 500) particles keep a small spread around them,
     * and a few late-moving particles with u_j just above 1 are still on their way. The study's figure shows
     * essentially all important neurons on the rays; 90% leaves room for that transient.
     */
    static final double ALIGNED_FRACTION = 0.9;

    static final Claim MF_3 = Claim.define("MF-3", "mean-field",
            "With the ridge 0.01 (1/m) sum u^2 the m = 400 student condenses on the teacher: at least 90% of its "
            + "important neurons (u_j >= 1) lie within 5 degrees of a teacher direction theta*_r.",
            "hendrydong/NTK-and-MF-examples, MF/MF.ipynb (m = 400, 'important neurons'); Chizat and Bach 2018, "
            + "Thm 3.5 (the limit measure is a global minimiser, here supported on the teacher rays)",
            ">= 90% within 5 degrees: the study's figure; the margin covers the SGD spread and particles still moving");

    static Stream<Long> condensationCases() {
        return Seeds.of(2);
    }

    // tag::experiment-claim-mf-3[]
    @ParameterizedTest(name = "MF-3 important neurons of the m = 400 student sit on teacher rays "
            + "[seed={0}]")
    @MethodSource("condensationCases")
    void importantNeuronsCondenseOnTeacherDirections(long seed) {
        // The chapter's m = 400 run, shortened: 2000 steps at eta = 0.5 (t = 1000), batches of 500
        TeacherStudent.Config config = TeacherStudent.Config.study(400, seed).scaled(2000, 0, 500);
        TeacherStudent.Run run = TeacherStudent.run(config);
        Particles p = Particles.of(run.net(), run.finalTheta());
        double[] directions = TeacherStudent.teacherDirections();
        double aligned = ParticleDiagnostics.alignedFraction(p, IMPORTANT, directions, MAX_ANGLE);
        int important = ParticleDiagnostics.countAtLeast(p, IMPORTANT);
        MF_3.check(aligned >= ALIGNED_FRACTION,
                Claim.measure().min("alignedFraction", aligned).min("importantNeurons", important)
                        .max("wastedFraction", 1 - ParticleDiagnostics.countAbove(p, 0.1) / 400.0)
                        .min("participationNumber", ParticleDiagnostics.participationNumber(p))
                        .max("finalTestError", run.finalTestError()),
                "seed " + seed + ": " + aligned + " of the " + important + " neurons with "
                        + "u >= 1 lie within 5 degrees of a teacher direction, expected >= "
                        + ALIGNED_FRACTION);
    }
    // end::experiment-claim-mf-3[]

    // ------------------------------------------------------------------------------------------ MF-4

    /** Units per small network: enough that P-sampling hits all four rays with probability ~0.96 (see below). */
    static final int UNITS = 16;
    /** Draws of the k units per source. */
    static final int DRAWS = 20;
    /** Kernel bandwidth of the repopulated features: 0.02 / |theta| ~ 1 degree for |theta| ~ 1.5. */
    static final double BANDWIDTH = 0.02;
    /**
     * Required factor between random features and features from the learned measure. Derivation: with k = 16
     * random directions in the plane the nearest one to each teacher ray is typically ~ pi / 32 ~ 6 degrees away,
     * and at input scale 100 that misfit leaves a test error of a few 1e-3. Units drawn by P_j lie on the rays
     * (claim MF-3); each ray carries about a quarter of the importance, so all four are hit with probability
     * 1 - 4 (3/4)^16 ~ 0.96 and the median draw fits at the label-noise / refit floor ~1e-4. The predicted
     * ratio is ~30-50; 10 leaves a factor 3-5.
     */
    static final double FEATURE_FACTOR = 10.0;
    /** Idle units (a = 0) added per trained unit for the importance-versus-uniform contrast: 95 % of the units. */
    static final int WASTED = 19;

    static final Claim MF_4 = Claim.define("MF-4", "mean-field",
            "Features from the learned measure make good small networks: k = 16 hidden units drawn from a trained "
            + "m = 200 student by importance P_j ~ |u_j| std sigma(theta_j . x), or freshly from its P-weighted "
            + "kernel-smoothed measure (repopulation), with the output layer refit by least squares, have a median "
            + "test error at most 1/10 of k = 16 random features from the initial law N(0, I); and where 95 % of the "
            + "units are idle (a = 0), importance-sampled units have at most 1/10 of the median error of uniform picks.",
            "Fang, Dong, Zhang 2021 (Proc. IEEE), feature repopulation; hendrydong/NTK-and-MF-examples, "
            + "Repopulation/ (importance 70.6% vs uniform 24.1%, repopulated 97.6% vs random 94.7% on MNIST)",
            "median ratio <= 1/10 over 20 draws: random directions miss the rays by ~6 degrees (error ~4e-3), "
            + "P-sampled units hit all rays with probability ~0.96 (error ~1e-4)");

    static Stream<Long> repopulationCases() {
        return Seeds.of(2);
    }

    @ParameterizedTest(name = "MF-4 units from the learned measure beat random features by 10x "
            + "[seed={0}]")
    @MethodSource("repopulationCases")
    void featuresFromTheLearnedMeasureBeatRandomFeatures(long seed) {
        // A trained student: MF-3's run at m = 200 (ridge 0.01 on u, 2000 steps, batches of 500)
        TeacherStudent.Run run = TeacherStudent.run(
                TeacherStudent.Config.study(400, seed).scaled(2000, 0, 500).withWidth(200));
        Particles p = Particles.of(run.net(), run.finalTheta());
        Teacher teacher = TeacherNetwork.meanFieldStudyTeacher();
        SplittableRandom rng = new SplittableRandom(seed);
        double[] xImportance = GaussianInputs.sample(1000, 2, 100.0, rng.nextLong());
        double[] importance = Repopulation.importance(p, xImportance, Activation.SIGMOID);
        double[] xTrain = GaussianInputs.sample(2000, 2, 100.0, rng.nextLong());
        double[] yTrain = teacher.dataset(xTrain, 0.1, rng.nextLong()).y();
        double[] xTest = GaussianInputs.sample(2000, 2, 100.0, rng.nextLong());
        Repopulation.Source[] sources = Repopulation.Source.values();
        double[] medians = new double[sources.length];
        for (int s = 0; s < sources.length; s++) {
            double[] errors = new double[DRAWS];
            for (int q = 0; q < DRAWS; q++) {
                double[] w = Repopulation.units(sources[s], p, importance, UNITS, BANDWIDTH, rng);
                errors[q] = Repopulation.refitTestError(w, 2, Activation.SIGMOID, xTrain, yTrain,
                        xTest, teacher);
            }
            medians[s] = median(errors);
        }
        double random = medians[Repopulation.Source.INITIAL.ordinal()];
        double important = medians[Repopulation.Source.IMPORTANCE.ordinal()];
        double repopulated = medians[Repopulation.Source.REPOPULATED.ordinal()];
        double uniform = medians[Repopulation.Source.UNIFORM.ordinal()];

        // A measure where uniform selection wastes neurons: the same student with WASTED times as many units at
        // a = 0 (w from the initial law N(0, I)), the same function. Importance gives them P_j = 0 exactly, so its
        // picks are distributed as before; a uniform pick lands on a trained unit with probability 1 / (WASTED + 1)
        // = 0.05, so 16 uniform picks are random features with about one unit from the rays, and the contrast is
        // MF-4's random-versus-importance contrast (predicted ratio 30-50, required 10). Measured: ratio >= 33.4
        // (uniform 3.9e-3, importance 1.0e-4). Control: Repopulation.importance with every weight 1 (uniform) failed
        // both seeds here (importance 4.5e-3 and 3.4e-3 against uniform 3.1e-3 and 3.9e-3), while the comparison with
        // random features on the trained student alone still passed (it wastes few neurons).
        int m = p.width();
        double[] aPadded = new double[(WASTED + 1) * m], wPadded = new double[(WASTED + 1) * m * 2];
        SplittableRandom padRng = new SplittableRandom(rng.nextLong());
        for (int j = 0; j < aPadded.length; j++) {
            aPadded[j] = j < m ? p.a(j) : 0;
            for (int q = 0; q < 2; q++) {
                wPadded[j * 2 + q] = j < m ? p.w(j, q) : padRng.nextGaussian();
            }
        }
        Particles padded = Particles.of(aPadded, wPadded, 2);
        double[] paddedImportance = Repopulation.importance(padded, xImportance, Activation.SIGMOID);
        double[] paddedMedians = new double[2];
        Repopulation.Source[] paddedSources = {Repopulation.Source.UNIFORM, Repopulation.Source.IMPORTANCE};
        for (int s = 0; s < 2; s++) {
            double[] errors = new double[DRAWS];
            for (int q = 0; q < DRAWS; q++) {
                double[] w = Repopulation.units(paddedSources[s], padded, paddedImportance, UNITS, BANDWIDTH, rng);
                errors[q] = Repopulation.refitTestError(w, 2, Activation.SIGMOID, xTrain, yTrain, xTest, teacher);
            }
            paddedMedians[s] = median(errors);
        }
        // tag::experiment-claim-mf-4[]
        double uniformWasted = paddedMedians[0], importantWasted = paddedMedians[1];
        MF_4.check(important * FEATURE_FACTOR <= random && repopulated * FEATURE_FACTOR <= random
                        && importantWasted * FEATURE_FACTOR <= uniformWasted,
                Claim.measure().max("medianError_random", random)
                        .max("medianError_importance", important)
                        .max("medianError_repopulated", repopulated)
                        .max("medianError_uniform", uniform)
                        .min("ratio_random_to_importance", random / important)
                        .min("ratio_random_to_repopulated", random / repopulated)
                        .min("participationNumberOfP",
                                ParticleDiagnostics.participationNumber(importance))
                        .max("medianError_uniform_wasted", uniformWasted)
                        .max("medianError_importance_wasted", importantWasted)
                        .min("ratio_uniform_to_importance_wasted", uniformWasted / importantWasted),
                "seed " + seed + ": median test errors random " + random + ", importance "
                        + important + ", repopulated " + repopulated + " (uniform " + uniform
                        + "); expected the last two <= random / " + FEATURE_FACTOR + "; with "
                        + WASTED + " idle units per trained one: uniform " + uniformWasted + ", importance "
                        + importantWasted + ", expected importance <= uniform / " + FEATURE_FACTOR);
                        // end::experiment-claim-mf-4[]
    }
}
