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
            double eta = etas[k];
            Dataset data = new Dataset(new double[d], new double[] {0.0}, 1, d);
            TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.TANH, Parameterization.meanField(), seed + k);
            TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
            // The noise stream is not the initialisation's (both were seed + k), as in MfldToy
            MeanFieldLangevin mfld = new MeanFieldLangevin(problem,
                    new MeanFieldLangevin.Config(eta, lambda, c, c, (seed + k) ^ 0x5DEECE66DL));
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
            measured[k] = sum[0] / count[0] - lambda / c;
            double contraction = 1 - eta * c;
            exact[k] = 2 * eta * lambda / (1 - contraction * contraction) - lambda / c;
        }
        return new TimeBias(etas.clone(), measured, exact);
    }

    /** The stationary mean of F(p_mu) - F* on the toy at each width (time average after t = 40 over seeds). */
    public static ParticleBias particleBias(int[] widths, double time, int seeds, long seed) {
        MfldToy.Config base = new MfldToy.Config(seed, 20, widths[0], 0.05, 0.01, 0.2, 0.2, time, (int) time);
        double fStar = MfldToy.reference(base).freeEnergy();
        double[] bias = new double[widths.length];
        for (int k = 0; k < widths.length; k++) {
            double sum = 0.0;
            int count = 0;
            for (int s = 0; s < seeds; s++) {
                // One seed per (width, repetition): seed + 100 s + m made s = 1, m = 100 and s = 0, m = 200 share one
                MfldToy.Result run = MfldToy.run(new MfldToy.Config(seed + 1 + (long) k * seeds + s, base.n(), widths[k],
                        base.eta(), base.lambda(), base.lambdaA(), base.lambdaW(), base.time(), base.observations()));
                for (CertifiedBounds b : run.bounds()) {
                    if (b.time() > 40) {
                        sum += b.upper() - fStar;
                        count++;
                    }
                }
            }
            bias[k] = sum / count;
        }
        return new ParticleBias(widths.clone(), bias);
    }
}
