package twolayer.chapter.mfld;

import twolayer.data.Dataset;
import twolayer.dynamics.MeanFieldLangevin;
import twolayer.dynamics.TrainingProblem;
import twolayer.measure.CertifiedBounds;
import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The two discretisation errors of MFLD, measured from real runs (the mfld chapter's figure; claims MFLD-4 and
 * MFLD-5 check the same effects with derived tolerances):
 * <ul>
 *   <li>time: the stationary variance of the quadratic potential (c/2)|theta|^2 (a net whose loss gradient
 *       vanishes: tanh neurons on the input x = 0) at several step sizes, against the exact Euler-Maruyama value
 *       (lambda/c)/(1 - eta c/2) and the Gibbs value lambda/c;</li>
 *   <li>particles: the stationary mean of F(p_mu) - F* on the {@link MfldToy} regression toy at several widths.</li>
 * </ul>
 */
public final class MfldDiscretisation {

    /** Time discretisation: step sizes, measured and exact stationary variance bias (variance - lambda/c). */
    public record TimeBias(double[] etas, double[] measured, double[] exact) {}

    /** Particle discretisation: widths and the stationary mean of F(p_mu) - F*. */
    public record ParticleBias(int[] widths, double[] bias) {}

    private MfldDiscretisation() {}

    /** The stationary variance bias at each eta, pooled over all coordinates of m (d + 1) particles. */
    public static TimeBias timeBias(double[] etas, double lambda, double c, int m, int d, long seed) {
        double[] measured = new double[etas.length], exact = new double[etas.length];
        for (int k = 0; k < etas.length; k++) {
            double[] point = timeBiasAt(etas[k], lambda, c, m, d, seed + k);
            measured[k] = point[0];
            exact[k] = point[1];
        }
        return new TimeBias(etas.clone(), measured, exact);
    }

    /**
     * One step size of {@link #timeBias} (which gives its k-th step size the seed {@code seed + k}): the measured
     * and the exact stationary variance bias, {measured, exact}.
     */
    public static double[] timeBiasAt(double eta, double lambda, double c, int m, int d, long seed) {
        Dataset data = new Dataset(new double[d], new double[] {0.0}, 1, d);
        TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.TANH, Parameterization.meanField(), seed);
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        // The noise stream is not the initialisation's (both were seed + k), as in MfldToy
        MeanFieldLangevin mfld = new MeanFieldLangevin(problem,
                new MeanFieldLangevin.Config(eta, lambda, c, c, seed ^ 0x5DEECE66DL));
        double[] sum = {0.0};
        long[] count = {0};
        // Observations 10/c apart are independent to e^-20; the first at 30/c has forgotten the start
        double step = eta * Math.round(10 / (c * eta));
        mfld.run(new double[] {3 * step, 4 * step, 5 * step}, s -> {
            for (double v : s.theta()) {
                sum[0] += v * v;
            }
            count[0] += s.theta().length;
        });
        double contraction = 1 - eta * c;
        return new double[] {sum[0] / count[0] - lambda / c,
            2 * eta * lambda / (1 - contraction * contraction) - lambda / c};
    }

    /** The stationary mean of F(p_mu) - F* on the toy at each width (time average after t = 40 over seeds). */
    public static ParticleBias particleBias(int[] widths, double time, int seeds, long seed) {
        MfldToy.Config base = particleToy(seed, widths[0], time);
        double fStar = MfldToy.reference(base).freeEnergy();
        double[] bias = new double[widths.length];
        for (int k = 0; k < widths.length; k++) {
            // One seed per (width, repetition): seed + 100 s + m made s = 1, m = 100 and s = 0, m = 200 share one
            bias[k] = particleBiasAt(base, widths[k], seed + 1 + (long) k * seeds, seeds, 40, fStar);
        }
        return new ParticleBias(widths.clone(), bias);
    }

    /**
     * The toy of {@link #particleBias} at width m: {@link MfldToy} with n = 20, eta = 0.05, lambda = 0.01,
     * lambdaA = lambdaW = 0.2, run to {@code time} and certified at every whole time unit.
     */
    public static MfldToy.Config particleToy(long seed, int m, double time) {
        return new MfldToy.Config(seed, 20, m, 0.05, 0.01, 0.2, 0.2, time, (int) time);
    }

    /**
     * One width of {@link #particleBias}: the mean of F(p_mu) - F* over the observations after {@code burnIn} of
     * {@code seeds} runs of the toy {@code base} at width m, seeded {@code firstSeed}, {@code firstSeed + 1}, ...
     */
    public static double particleBiasAt(MfldToy.Config base, int m, long firstSeed, int seeds, double burnIn,
            double fStar) {
        double sum = 0.0;
        int count = 0;
        for (int s = 0; s < seeds; s++) {
            MfldToy.Result run = MfldToy.run(new MfldToy.Config(firstSeed + s, base.n(), m, base.eta(), base.lambda(),
                    base.lambdaA(), base.lambdaW(), base.time(), base.observations()));
            for (CertifiedBounds b : run.bounds()) {
                if (b.time() > burnIn) {
                    sum += b.upper() - fStar;
                    count++;
                }
            }
        }
        return sum / count;
    }
}
