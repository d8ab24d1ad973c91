package twolayer.dynamics;

import java.util.Objects;
import java.util.SplittableRandom;
import twolayer.data.IsotropicGaussians;
import twolayer.linalg.Kernels;
import twolayer.linalg.Products;
import twolayer.model.Ramp;

/**
 * Online SGD of Mei, Montanari and Nguyen (PNAS 2018) on the isotropic Gaussians: N ramp neurons with the
 * mean-field output and the square loss,
 * <pre>
 *   y-hat(x; W) = (1/N) sum_i sigma(&lt;w_i, x&gt;),        R_N(W) = E (y - y-hat(x; W))^2,
 *   w_i &lt;- w_i + 2 s_k (y_k - y-hat(x_k; W)) sigma'(&lt;w_i, x_k&gt;) x_k,   s_k = eps xi(k eps) = eps   (xi = 1),
 *   t = k eps,
 * </pre>
 * one fresh sample (x_k, y_k) per step. The update is N times the gradient step of (y - y-hat)^2 / 2 with rate 2 eps,
 * so each neuron moves O(eps) per step whatever N (the mean-field rate rho = N). Its expectation over the sample
 * is -2 eps grad_(w_i) Psi(w_i; rho-hat) up to the neuron's O(1/N) self-interaction, so as N -&gt; infinity and
 * eps -&gt; 0 the empirical law of the w_i follows the distributional dynamics with time t = k eps
 * ({@link RadialDynamics}).
 *
 * <p>Initialisation w_i ~ N(0, kappa^2/d I_d). One {@code SplittableRandom(seed)} draws first the N d initial
 * coordinates (neuron by neuron) and then, step after step, the samples ({@link IsotropicGaussians#draw}); a run is a
 * function of the seed alone. Each step costs O(N d) and allocates nothing.
 *
 * <p>It stands outside the {@link Dynamics} contract on purpose: MMN's network has no output weights (each neuron's
 * output is fixed to sigma, averaged with 1/N) and a ramp activation, neither of which {@code TwoLayerNet} has.
 *
 * @see <a href="../../mfld.html#mmn">the mfld chapter, section on Mei-Montanari-Nguyen</a>
 */
public final class IsotropicSgd {
    /** The dense products (SIMD where available, the same bits as plain loops either way). */
    private static final Products PRODUCTS = Kernels.selected();

    /**
     * @param data      the isotropic Gaussians (d, Delta)
     * @param sigma     the ramp
     * @param width     N, the number of neurons (>= 1)
     * @param eps       the step size eps (> 0); time t = k eps
     * @param initScale kappa: w ~ N(0, kappa^2/d I_d) (> 0)
     * @param seed      seed of the initialisation and of the samples
     */
    public record Config(IsotropicGaussians data, Ramp sigma, int width, double eps, double initScale, long seed) {
        public Config {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(sigma, "sigma");
            if (width < 1) {
                throw new IllegalArgumentException("width: N must be >= 1, got " + width);
            }
            if (!(eps > 0) || !Double.isFinite(eps)) {
                throw new IllegalArgumentException("eps: must be finite and > 0, got " + eps);
            }
            if (!(initScale > 0) || !Double.isFinite(initScale)) {
                throw new IllegalArgumentException("initScale: must be finite and > 0, got " + initScale);
            }
        }
    }

    private final Config config;
    private final IsotropicGaussians data;
    private final Ramp sigma;
    private final int n, d;
    private final double[] w;   // (N, d) row-major
    private final double[] x;   // (d) the step's sample
    private final double[] z;   // (N) pre-activations <w_i, x>
    private final SplittableRandom rng;
    private long steps;

    public IsotropicSgd(Config config) {
        this.config = Objects.requireNonNull(config, "config");
        this.data = config.data();
        this.sigma = config.sigma();
        this.n = config.width();
        this.d = data.d();
        this.w = new double[Math.multiplyExact(n, d)];
        this.x = new double[d];
        this.z = new double[n];
        this.rng = new SplittableRandom(config.seed());
        double std = config.initScale() / Math.sqrt(d);
        for (int q = 0; q < w.length; q++) {
            w[q] = std * rng.nextGaussian();
        }
    }

    // tag::dynamics-isotropic-sgd-step[]
    /** One online step on a fresh sample. */
    public void step() {
        double y = data.draw(rng, x);
        // Forward pass: z_i = <w_i, x>, y-hat = (1/N) sum_i sigma(z_i). z = W x is a sequential product: each sum over
        // k in increasing order from +0.0 (the plain loop's bits), several neurons' sums at once
        PRODUCTS.productSequential(w, 0, d, x, 0, 1, z, 0, 1, n, d, 1);
        double yHat = 0.0;
        for (int i = 0; i < n; i++) {
            yHat += sigma.value(z[i]);
        }
        yHat /= n;
        // Move each neuron by 2 eps (y - y-hat) sigma'(z_i) x: only those on the ramp's slope move
        double g = 2 * config.eps() * (y - yHat);
        for (int i = 0; i < n; i++) {
            double gi = g * sigma.derivative(z[i]);
            if (gi != 0.0) {
                for (int k = 0; k < d; k++) {
                    w[i * d + k] += gi * x[k];
                }
            }
        }
        steps++;
    }
    // end::dynamics-isotropic-sgd-step[]

    /** Steps until t = k eps reaches {@code time}, which must be a whole number of steps and not in the past. */
    public void advanceTo(double time) {
        long target = Dynamics.stepsAt(new double[] {time}, time(), config.eps())[0];
        while (steps < target) {
            step();
        }
    }

    /** The time t = k eps. */
    public double time() {
        return steps * config.eps();
    }

    /** The number of steps taken. */
    public long steps() {
        return steps;
    }

    /** A copy of the weights, (N, d) row-major. */
    public double[] weights() {
        return w.clone();
    }

    /** The radii ||w_i||, (N). */
    public double[] radii() {
        return radii(w, n, d);
    }

    /** The radii ||w_i|| of the N rows of w, (N, d) row-major. */
    public static double[] radii(double[] w, int n, int d) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            double ss = 0.0;
            for (int k = 0; k < d; k++) {
                ss += w[i * d + k] * w[i * d + k];
            }
            r[i] = Math.sqrt(ss);
        }
        return r;
    }

    /** The configuration. */
    public Config config() {
        return config;
    }
}
