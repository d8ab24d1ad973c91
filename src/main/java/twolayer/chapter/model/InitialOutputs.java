package twolayer.chapter.model;

import java.util.SplittableRandom;
import twolayer.model.Activation;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The distribution of the output f(x) at initialisation, over independent draws of the net, at several widths.
 * Var f(x) = kA^2 m sA^2 E sigma(z)^2 (model chapter): constant in m under the ntk preset (where f converges to a
 * Gaussian process, Neal 1996) and equal to E sigma(z)^2 / m under meanField (where f concentrates at 0).
 */
public final class InitialOutputs {

    /**
     * @param seed        seed of the draws
     * @param d           input dimension
     * @param widths      the widths m
     * @param nets        independent nets per width
     * @param activation  sigma
     */
    public record Config(long seed, int d, int[] widths, int nets, Activation activation) {
        public Config {
            if (d < 1 || nets < 2 || widths.length == 0) {
                throw new IllegalArgumentException("d >= 1, nets >= 2 and at least one width are required");
            }
            for (int m : widths) {
                if (m < 1) {
                    throw new IllegalArgumentException("widths: every m must be >= 1, got " + m);
                }
            }
            widths = widths.clone();
        }

        /** The configuration of the site's figures. */
        public static Config site() {
            return new Config(20261123L, 4, new int[] {10, 32, 100, 316, 1000, 3162, 10000}, 2000, Activation.TANH);
        }
    }

    /**
     * @param widths  the widths
     * @param samples samples[k][s] = f(x) of net s at width widths[k]
     */
    public record Samples(int[] widths, double[][] samples) {
        /** The unbiased sample variance at width index k. */
        public double variance(int k) {
            double[] v = samples[k];
            double mean = 0;
            for (double f : v) {
                mean += f;
            }
            mean /= v.length;
            double ss = 0;
            for (double f : v) {
                ss += (f - mean) * (f - mean);
            }
            return ss / (v.length - 1);
        }
    }

    private InitialOutputs() {
    }

    /** Draws the samples for one parameterisation, at the fixed input x = (1, ..., 1). */
    public static Samples run(Config c, Parameterization p) {
        double[] x = new double[c.d()];
        java.util.Arrays.fill(x, 1.0);
        SplittableRandom seeds = new SplittableRandom(c.seed());
        double[][] samples = new double[c.widths().length][c.nets()];
        for (int k = 0; k < c.widths().length; k++) {
            for (int s = 0; s < c.nets(); s++) {
                TwoLayerNet net = TwoLayerNet.initialize(c.d(), c.widths()[k], c.activation(), p, seeds.nextLong());
                samples[k][s] = net.output(net.initialParameters(), x);
            }
        }
        return new Samples(c.widths(), samples);
    }
}
