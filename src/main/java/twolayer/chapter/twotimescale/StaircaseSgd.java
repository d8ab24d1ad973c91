package twolayer.chapter.twotimescale;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import twolayer.data.Staircase;

/**
 * Online SGD on {@link RampNetwork} with two step sizes (Marion and Berthier, NeurIPS 2023, arXiv:2304.09576,
 * section 5): each step draws x ~ U[0, 1] and a noisy label y = f*(x) + xi, xi ~ U[-noise, noise], and with the
 * loss (y - f(x))^2 moves
 * <pre>
 *   a_j &lt;- a_j - h d/da_j,          d/da_j = -2 (y - f(x)) sigma_r(x - u_j)
 *   u_j &lt;- u_j - h eps d/du_j,      d/du_j =  2 (y - f(x)) a_j 1{|x - u_j| &lt;= r/2} / r
 * </pre>
 * eps is the ratio of the first layer's (positions') rate to the second layer's. eps = 1 is equal-rate training;
 * eps -&gt; 0 at fixed time h eps k is the two-timescale regime, where the weights a follow the least-squares
 * fit of the current positions and only the neurons flanking a jump move towards it. Initialisation as in the
 * paper: u sorted i.i.d. U[0, 1], a = 0.
 */
public final class StaircaseSgd {

    /**
     * @param m           width (&gt;= 1)
     * @param h           step size of the weights a (&gt; 0)
     * @param eps         ratio of the positions' step size to h (&gt; 0)
     * @param steps       number of SGD steps (&gt;= 1)
     * @param rampWidth   r, the width of each neuron's ramp (&gt; 0)
     * @param noise       half-width of the uniform label noise (&gt;= 0)
     * @param observations number of error evaluations, evenly spaced in steps (&gt;= 1)
     * @param seed        seed of the initialisation and of the samples
     */
    public record Config(int m, double h, double eps, long steps, double rampWidth, double noise, int observations,
            long seed) {
        public Config {
            if (m < 1) {
                throw new IllegalArgumentException("m: width must be >= 1, got " + m);
            }
            if (!(h > 0) || !Double.isFinite(h)) {
                throw new IllegalArgumentException("h: step size must be finite and > 0, got " + h);
            }
            if (!(eps > 0) || !Double.isFinite(eps)) {
                throw new IllegalArgumentException("eps: rate ratio must be finite and > 0, got " + eps);
            }
            if (steps < 1) {
                throw new IllegalArgumentException("steps: must be >= 1, got " + steps);
            }
            if (!(rampWidth > 0) || !Double.isFinite(rampWidth)) {
                throw new IllegalArgumentException("rampWidth: must be finite and > 0, got " + rampWidth);
            }
            if (!(noise >= 0) || !Double.isFinite(noise)) {
                throw new IllegalArgumentException("noise: must be finite and >= 0, got " + noise);
            }
            if (observations < 1) {
                throw new IllegalArgumentException("observations: must be >= 1, got " + observations);
            }
        }

        /**
         * The paper's quick two-timescale run ("tt-quick"): m = 20, h = 1e-3, eps = 2e-5, positions' time
         * h eps k = 0.035, i.e. 1.75e6 steps; ramp width 4e-3, noise U[-1, 1].
         */
        public static Config twoTimescale(long seed) {
            return new Config(20, 1e-3, 2e-5, 1_750_000L, 4e-3, 1.0, 50, seed);
        }

        /** The paper's equal-rate run ("same-lr"): m = 20, h = 1e-5, eps = 1, 1e6 steps (time h k = 10). */
        public static Config equalRate(long seed) {
            return new Config(20, 1e-5, 1.0, 1_000_000L, 4e-3, 1.0, 50, seed);
        }
    }

    /**
     * What a run produced.
     *
     * @param network      the trained network
     * @param steps        the steps at which the error was evaluated (the first is 0)
     * @param errors       the squared L^2 error int_0^1 (f - f*)^2 at those steps
     * @param jumpDistance for each target jump, the distance to the nearest neuron at the end
     */
    public record Result(RampNetwork network, long[] steps, double[] errors, double[] jumpDistance) {
        /** The final squared L^2 error. */
        public double error() {
            return errors[errors.length - 1];
        }

        /** The largest distance from a target jump to its nearest neuron. */
        public double worstJumpDistance() {
            return Arrays.stream(jumpDistance).max().orElseThrow();
        }
    }

    private StaircaseSgd() {
    }

    /** Runs online SGD of {@code config} on the staircase {@code target}. */
    public static Result run(Staircase target, Config config) {
        SplittableRandom rng = new SplittableRandom(config.seed());
        int m = config.m();
        double[] u0 = new double[m];
        for (int j = 0; j < m; j++) {
            u0[j] = rng.nextDouble();
        }
        Arrays.sort(u0);
        RampNetwork net = new RampNetwork(new double[m], u0, config.rampWidth());
        double[] a = net.a, u = net.u;
        double r = net.r, h = config.h(), hu = config.h() * config.eps();
        List<Long> at = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        at.add(0L);
        errors.add(net.squaredError(target));
        long every = Math.max(1, config.steps() / config.observations());
        for (long k = 1; k <= config.steps(); k++) {
            // tag::experiment-staircase-step[]
            // Draw a sample and its noisy label
            double x = rng.nextDouble();
            double y = target.value(x) + config.noise() * (2 * rng.nextDouble() - 1);
            double residual = y - net.value(x);
            // Take the two-rate SGD step (both gradients at the current parameters)
            for (int j = 0; j < m; j++) {
                double z = x - u[j];
                double gradA = -2 * residual * net.ramp(z);
                double gradU = Math.abs(z) <= r / 2 ? 2 * residual * a[j] / r : 0.0;
                a[j] -= h * gradA;
                u[j] -= hu * gradU;
            }
            // end::experiment-staircase-step[]
            if (k % every == 0 || k == config.steps()) {
                if (at.get(at.size() - 1) != k) {
                    at.add(k);
                    errors.add(net.squaredError(target));
                }
            }
        }
        long[] steps = at.stream().mapToLong(Long::longValue).toArray();
        double[] err = errors.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(net, steps, err, net.jumpDistances(target));
    }
}
