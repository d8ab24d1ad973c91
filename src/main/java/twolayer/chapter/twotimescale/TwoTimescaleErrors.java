package twolayer.chapter.twotimescale;

import java.util.SplittableRandom;
import twolayer.dynamics.CoarseNoise;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TwoTimescale;
import twolayer.kernel.TwoTimescaleObjective;
import twolayer.measure.TwoTimescaleCertificate;

/**
 * The error terms of two-timescale MFLD on the {@link TwoTimescaleToy}, measured from real runs (the chapter's
 * figures; claims TT-3 and TT-4 check them with derived tolerances):
 * <ul>
 *   <li>ratio: joint training with the second layer r times faster than the first against the exact inner solve,
 *       on the same Brownian path over a finite horizon: the largest difference of the particle measures' energies
 *       E = G0 + (lambdaW/2) E ||theta||^2 and of the particles themselves;</li>
 *   <li>time: the stationary mean of the energy E = G0 + (lambdaW/2) E ||theta||^2 at several step sizes, all
 *       runs driven by the same Brownian path ({@link CoarseNoise}), so that their differences are the O(eta) bias
 *       with little sampling noise;</li>
 *   <li>particles: the stationary mean of G(p_mu) - G* at several widths, the O(1/m) particle bias.</li>
 * </ul>
 * Statistics are time averages over observations every {@code spacing} time units on [burnIn, time].
 */
public final class TwoTimescaleErrors {

    /** Ratio sweep: ratios, the largest energy difference to the exact run and the largest |Delta theta|. */
    public record RatioGap(double[] ratios, double[] energyGap, double[] maxParticleDistance) {}

    /** Time bias: step sizes and the stationary mean energy at each (same Brownian path). */
    public record TimeBias(double[] etas, double[] meanEnergy) {}

    /**
     * Particle bias: widths, the stationary mean of G(p_mu) - G* over the seeds, and bySeed[k][s], the time average of
     * the run at width k on repetition s.
     */
    public record ParticleBias(int[] widths, double[] bias, double[][] bySeed) {}

    private TwoTimescaleErrors() {}

    // tag::experiment-tt-ratio[]
    /**
     * Runs the exact dynamics and joint training at each ratio from the same start (a at the ridge optimum of the
     * start) with the same noise, and returns for each ratio the largest |E(mu_r(t)) - E(mu_exact(t))| and the
     * largest distance of a particle coordinate over the observations t = spacing, 2 spacing, ..., time.
     */
    public static RatioGap ratioGap(TwoTimescaleToy.Config c, double[] ratios, double spacing) {
        TrainingProblem problem = TwoTimescaleToy.problem(c);
        TwoTimescale exact = new TwoTimescale(problem, c.dynamics(), TwoTimescaleToy.start(problem.net(), c));
        double[] start = exact.parameters();   // a at its optimum
        int observations = (int) Math.round(c.time() / spacing);
        double[][] reference = trajectory(exact, spacing, observations);
        double[] gap = new double[ratios.length], distance = new double[ratios.length];
        for (int k = 0; k < ratios.length; k++) {
            TwoTimescale joint = new TwoTimescale(problem, c.dynamics().withRatio(ratios[k]), start);
            double[][] run = trajectory(joint, spacing, observations);
            for (int o = 0; o < observations; o++) {
                gap[k] = Math.max(gap[k], Math.abs(run[o][0] - reference[o][0]));
                for (int q = 1; q < run[o].length; q++) {
                    distance[k] = Math.max(distance[k], Math.abs(run[o][q] - reference[o][q]));
                }
            }
        }
        return new RatioGap(ratios.clone(), gap, distance);
    }
    // end::experiment-tt-ratio[]

    /**
     * One ratio of {@link #ratioGap}: {largest energy difference, largest particle distance} against the exact run
     * (which is recomputed: it is deterministic, so every ratio is compared with the same trajectory).
     */
    public static double[] ratioGapAt(TwoTimescaleToy.Config c, double ratio, double spacing) {
        RatioGap one = ratioGap(c, new double[] {ratio}, spacing);
        return new double[] {one.energyGap()[0], one.maxParticleDistance()[0]};
    }

    /** Rows [energy, w and b coordinates...] at spacing, 2 spacing, ..., observations * spacing. */
    private static double[][] trajectory(TwoTimescale tt, double spacing, int observations) {
        long per = Math.round(spacing / tt.config().eta());
        int from = tt.net().offset(twolayer.model.Group.W);
        double[][] rows = new double[observations][];
        for (int o = 0; o < observations; o++) {
            tt.advance(per);
            double[] theta = tt.parameters();
            double[] row = new double[1 + theta.length - from];
            row[0] = tt.energy();
            System.arraycopy(theta, from, row, 1, theta.length - from);
            rows[o] = row;
        }
        return rows;
    }

    /**
     * The stationary mean energy at each step size (each a multiple of the smallest), every run from the same start
     * and on the Brownian path of the run with the smallest step, drawn from the toy's noise seed
     * ({@code c.dynamics().seed()}, not the seed of the start, so that path and start are independent).
     */
    public static TimeBias timeBias(TwoTimescaleToy.Config c, double[] etas, double burnIn, double spacing) {
        TrainingProblem problem = TwoTimescaleToy.problem(c);
        return timeBias(problem, TwoTimescaleToy.start(problem.net(), c), c.objective(), c.dynamics().seed(), etas,
                burnIn, spacing, c.time());
    }

    /** One step size of {@link #timeBias(TwoTimescaleToy.Config, double[], double, double)} (one unit of the command). */
    public static double meanEnergy(TwoTimescaleToy.Config c, double eta, double finest, double burnIn,
            double spacing) {
        TrainingProblem problem = TwoTimescaleToy.problem(c);
        return meanEnergy(problem, TwoTimescaleToy.start(problem.net(), c), c.objective(), c.dynamics().seed(), eta,
                finest, burnIn, spacing, c.time());
    }

    // tag::experiment-tt-time-bias[]
    /**
     * The same for any problem and start: the stationary mean energy on [burnIn, time] at each step size, all runs on
     * the Brownian path of the finest run drawn from {@code noiseSeed}.
     */
    public static TimeBias timeBias(TrainingProblem problem, double[] start, TwoTimescaleObjective g, long noiseSeed,
            double[] etas, double burnIn, double spacing, double time) {
        double finest = Double.POSITIVE_INFINITY;
        for (double eta : etas) {
            finest = Math.min(finest, eta);
        }
        double[] mean = new double[etas.length];
        for (int k = 0; k < etas.length; k++) {
            mean[k] = meanEnergy(problem, start, g, noiseSeed, etas[k], finest, burnIn, spacing, time);
        }
        return new TimeBias(etas.clone(), mean);
    }

    /** One step size of {@link #timeBias(TrainingProblem, double[], TwoTimescaleObjective, long, double[], double,
     * double, double)}: eta a multiple of {@code finest}, on the Brownian path of the run with step {@code finest}. */
    public static double meanEnergy(TrainingProblem problem, double[] start, TwoTimescaleObjective g, long noiseSeed,
            double eta, double finest, double burnIn, double spacing, double time) {
        int block = problem.net().parameterCount() - problem.net().width();   // w and b coordinates
        long factor = Math.round(eta / finest);
        if (factor < 1 || Math.abs(factor * finest - eta) > 1e-12 * eta) {
            throw new IllegalArgumentException("etas: " + eta + " is not a multiple of the smallest " + finest);
        }
        TwoTimescale.Config config = TwoTimescale.Config.exact(eta, g.lambda(), g.lambdaA(), g.lambdaW(), 0L);
        TwoTimescale tt = new TwoTimescale(problem, config, start,
                new CoarseNoise(new SplittableRandom(noiseSeed), block, (int) factor));
        tt.advance(Math.round(burnIn / eta));
        long per = Math.round(spacing / eta);
        double sum = 0.0;
        int count = 0;
        while (tt.time() < time - 1e-9) {
            tt.advance(per);
            sum += tt.energy();
            count++;
        }
        return sum / count;
    }
    // end::experiment-tt-time-bias[]

    // tag::experiment-tt-particle-bias[]
    /** The mean of G(p_mu) - G* over observations in [burnIn, time] and over seeds, at each width. */
    public static ParticleBias particleBias(TwoTimescaleToy.Config c, int[] widths, int seeds, double burnIn,
            double spacing) {
        double gStar = TwoTimescaleToy.reference(c).freeEnergy();
        TwoTimescaleCertificate certificate = TwoTimescaleToy.certificate(c);
        double[] bias = new double[widths.length];
        double[][] bySeed = new double[widths.length][seeds];
        for (int k = 0; k < widths.length; k++) {
            for (int s = 0; s < seeds; s++) {
                // One seed per (width, repetition): seed + 100 s + m made s = 1, m = 100 and s = 0, m = 200 share one
                bySeed[k][s] = seedBias(c, widths[k], c.seed() + 1 + (long) k * seeds + s, burnIn, spacing, gStar,
                        certificate);
                bias[k] += bySeed[k][s] / seeds;   // every run has the same number of observations
            }
        }
        return new ParticleBias(widths.clone(), bias, bySeed);
    }
    // end::experiment-tt-particle-bias[]

    /** One run of {@link #particleBias}: the time average of G(p_mu) - G* at width m from the given seed. */
    public static double seedBias(TwoTimescaleToy.Config c, int m, long seed, double burnIn, double spacing,
            double gStar, TwoTimescaleCertificate certificate) {
        TwoTimescaleToy.Config run = c.withSeed(seed).with(c.eta(), m, c.time(), c.observations());
        TrainingProblem problem = TwoTimescaleToy.problem(run);
        TwoTimescale tt = new TwoTimescale(problem, run.dynamics(), TwoTimescaleToy.start(problem.net(), run));
        tt.advance(Math.round(burnIn / run.eta()));
        long per = Math.round(spacing / run.eta());
        double sum = 0.0;
        int count = 0;
        while (tt.time() < run.time() - 1e-9) {
            tt.advance(per);
            sum += certificate.certify(tt.time(), problem.net(), tt.parameters()).upper() - gStar;
            count++;
        }
        return sum / count;
    }

    /**
     * One width of {@link #particleBias} (one unit of the command): the mean over the runs seeded firstSeed,
     * firstSeed + 1, ... of their time averages, summed in the same order, so the same bits.
     */
    public static double particleBiasAt(TwoTimescaleToy.Config c, int m, long firstSeed, int seeds, double burnIn,
            double spacing, double gStar, TwoTimescaleCertificate certificate) {
        double bias = 0.0;
        for (int s = 0; s < seeds; s++) {
            bias += seedBias(c, m, firstSeed + s, burnIn, spacing, gStar, certificate) / seeds;
        }
        return bias;
    }
}
