package twolayer.dynamics;

import java.util.Objects;
import java.util.SplittableRandom;
import twolayer.data.Teacher;
import twolayer.linalg.Kernels;
import twolayer.linalg.Products;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Offset;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * Online stochastic gradient descent: every step draws a fresh batch from the data distribution, so the run
 * follows the population risk, as in the mean-field teacher-student experiments (Mei, Montanari, Nguyen 2018;
 * hendrydong/NTK-and-MF-examples, MF/MF.ipynb). The distribution: x ~ N(0, s^2 I_d), y = f*(x) + noise * xi with
 * xi ~ N(0, 1). The objective, with an optional ridge on the output weights (the study's "R(u)"):
 * <pre>
 *   L(theta) = (1/2) E (f(x; theta) - y)^2 + (lambdaA / 2) (1/m) sum_j a_j^2
 *   step:     theta_g &lt;- theta_g - eta rho_g grad_g L_B(theta),   t = eta k
 * </pre>
 * where L_B replaces the expectation by the mean over the step's fresh batch B. Under the meanField preset
 * (kA = 1/m, rho = m) the penalty moves each a_j by -eta lambdaA a_j per step, independent of m, like the data
 * term. The study minimises MSE + 0.01 (1/m) sum u^2, which is twice L with lambdaA = 0.01: the same minimiser.
 *
 * <p>Supported nets: no biases, no output offset, no lazy scale (the particle nets of the mean-field chapter);
 * others are rejected. The passes are sequential and allocate nothing per step; the run is a function of the
 * seed alone.
 *
 * <p>Observed states carry, as their loss, the objective with the expectation estimated on a fixed monitor sample
 * of noiseless points (drawn once from the seed, independent of the training batches):
 * (1/2) mean (f - f*)^2 + penalty, i.e. the excess risk over the noise level noise^2/2, plus the penalty.
 */
public final class OnlineSgd extends DiscreteDynamics {
    /** The dense products (SIMD where available, the same bits as plain loops either way). */
    private static final Products PRODUCTS = Kernels.selected();

    /**
     * @param eta        step size (gradient-flow time per step)
     * @param batchSize  fresh points per step
     * @param lambdaA    ridge strength on the output weights (>= 0)
     * @param inputScale s in x ~ N(0, s^2 I_d)
     * @param noise      label-noise standard deviation
     * @param monitor    size of the monitor sample for the reported loss
     * @param monitorSeed seed of the monitor sample (keep it to compare runs on the same sample)
     * @param seed       seed of the batches and the label noise
     */
    public record Config(double eta, int batchSize, double lambdaA, double inputScale, double noise, int monitor,
                         long monitorSeed, long seed) {
        public Config {
            if (!(eta > 0) || Double.isInfinite(eta)) {
                throw new IllegalArgumentException("eta: must be finite and > 0, got " + eta);
            }
            if (batchSize < 1 || monitor < 1) {
                throw new IllegalArgumentException("batchSize, monitor: must be >= 1, got " + batchSize + ", " + monitor);
            }
            if (!(lambdaA >= 0) || !(inputScale > 0) || !(noise >= 0)
                    || Double.isInfinite(lambdaA) || Double.isInfinite(inputScale) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("lambdaA >= 0, inputScale > 0, noise >= 0 (finite): got "
                        + lambdaA + ", " + inputScale + ", " + noise);
            }
        }
    }

    private final TwoLayerNet net;
    private final Teacher teacher;
    private final Config config;
    private final Activation sigma;
    private final boolean logistic;
    private final int m, d, n;
    private final double kA, kW, etaRhoA, etaRhoW;
    private final double[] theta;
    private final double[] x, y;            // (n, d), (n) the current batch
    private final double[] z, s;            // (m, n) pre-activations and activations
    private final double[] xt;              // (d, n) the batch transposed, for the product W X^T
    private final double[] coef;            // (m, n) r_i sigma'(z_ij) of the backward pass
    private final double[] r;               // (n) residual weights (f_i - y_i) / n
    private final double[] grad;            // like theta
    private final double[] xMonitor, fStarMonitor;
    private final SplittableRandom rng;

    /** Starts at the net's initial parameters. */
    public OnlineSgd(TwoLayerNet net, Teacher teacher, Config config) {
        this(net, teacher, config, net.initialParameters());
    }

    /** Starts at the given parameters (for example the end of a run at a larger step size); the clock starts at 0. */
    public OnlineSgd(TwoLayerNet net, Teacher teacher, Config config, double[] start) {
        this.net = Objects.requireNonNull(net, "net");
        this.teacher = Objects.requireNonNull(teacher, "teacher");
        this.config = Objects.requireNonNull(config, "config");
        Parameterization p = net.parameterization();
        if (p.hiddenBias() || p.outputBias() || p.offset() != Offset.NONE || p.lazyScale() != 1.0) {
            throw new IllegalArgumentException("net: online SGD supports nets without biases, offset or lazy scale; got "
                    + p.name());
        }
        if (teacher.d() != net.inputDimension()) {
            throw new IllegalArgumentException("teacher: input dimension " + teacher.d() + " differs from the net's "
                    + net.inputDimension());
        }
        this.sigma = net.activation();
        this.logistic = sigma == Activation.SIGMOID;
        this.m = net.width();
        this.d = net.inputDimension();
        this.n = config.batchSize();
        this.kA = net.multiplier(Group.A);
        this.kW = net.multiplier(Group.W);
        this.etaRhoA = config.eta() * net.rate(Group.A);
        this.etaRhoW = config.eta() * net.rate(Group.W);
        if (start.length != net.parameterCount()) {
            throw new IllegalArgumentException("start: expected " + net.parameterCount() + " parameters, got "
                    + start.length);
        }
        this.theta = start.clone();
        this.x = new double[n * d];
        this.y = new double[n];
        this.z = new double[m * n];
        this.s = new double[m * n];
        this.xt = new double[d * n];
        this.coef = new double[m * n];
        this.r = new double[n];
        this.grad = new double[theta.length];
        this.rng = new SplittableRandom(config.seed());
        SplittableRandom monitorRng = new SplittableRandom(config.monitorSeed());
        this.xMonitor = new double[config.monitor() * d];
        for (int q = 0; q < xMonitor.length; q++) {
            xMonitor[q] = config.inputScale() * monitorRng.nextGaussian();
        }
        this.fStarMonitor = teacher.labels(xMonitor);
    }

    @Override public TwoLayerNet net() { return net; }

    @Override double eta() { return config.eta(); }

    /**
     * Every step draws fresh samples, so there is no fixed training set to evaluate f = 0 on: the loss of f = 0 on
     * the first batch, mean y_i^2 / 2 (read when the rule is set, at the first step), is the rule's loss scale.
     */
    @Override
    double nullLoss() {
        double sum = 0.0;
        for (double yi : y) {
            sum += yi * yi;
        }
        return Math.max(sum / (2 * y.length), Double.MIN_NORMAL);
    }

    /** No closed-form limit for the online dynamics: the report suggests half the step size. */
    @Override double stabilityLimit() { return Double.NaN; }

    @Override String label() { return "online SGD"; }

    @Override public double[] parameters() { return theta.clone(); }

    /** The configuration. */
    public Config config() { return config; }

    /**
     * One step on a fresh batch: draw (x_i, y_i), forward, backward, then each group moves at its
     * own rate.
     */
    @Override
    public void step() {
        // Draw a fresh batch x ~ N(0, s^2 I_d), y = f*(x) + noise xi
        for (int q = 0; q < x.length; q++) {
            x[q] = config.inputScale() * rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = teacher.value(x, i * d) + config.noise() * rng.nextGaussian();
        }
        // Forward: z_ij = kW <w_j, x_i>, s_ij = sigma(z_ij), f_i = kA sum_j a_j s_ij. The inner products come from
        // the sequential product W X^T (each a sum over k in increasing order from +0.0, the bits of the plain loop)
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                xt[k * n + i] = x[i * d + k];
            }
        }
        PRODUCTS.productSequential(theta, m, d, xt, 0, n, z, 0, n, m, d, n);
        double[] f = r;
        java.util.Arrays.fill(f, 0.0);
        for (int j = 0; j < m; j++) {
            double aj = theta[j];
            for (int i = 0; i < n; i++) {
                double zij = kW * z[j * n + i];
                double sij = sigma.value(zij);
                z[j * n + i] = zij;
                s[j * n + i] = sij;
                f[i] += aj * sij;
            }
        }
        // Residual weights r_i = (f_i - y_i) / n of the loss (1/2n) sum_i (f_i - y_i)^2
        double loss = 0.0;
        for (int i = 0; i < n; i++) {
            double res = kA * f[i] - y[i];
            loss += res * res;
            r[i] = res / n;
        }
        recordLoss(loss / (2 * n), theta);
        // tag::dynamics-online-sgd-step[]
        // Backward: grad a_j = kA sum_i r_i s_ij + lambdaA a_j / m;  grad w_j = kA kW a_j sum_i
        // r_i sigma'(z_ij) x_i
        for (int j = 0; j < m; j++) {
            double ga = 0.0;
            for (int i = 0; i < n; i++) {
                double sij = s[j * n + i];
                ga += r[i] * sij;
                // sigmoid' = s (1 - s) saves a second exponential
                double slope = logistic ? sij * (1.0 - sij) : sigma.derivative(z[j * n + i]);
                coef[j * n + i] = r[i] * slope;
            }
            grad[j] = kA * ga + config.lambdaA() * theta[j] / m;
        }
        // sum_i coef_ij x_i for every j: the sequential product Coef X, each sum over i in increasing order
        PRODUCTS.productSequential(coef, 0, n, x, 0, d, grad, m, d, m, n, d);
        for (int j = 0; j < m; j++) {
            double scale = kA * kW * theta[j];
            for (int k = 0; k < d; k++) {
                grad[m + j * d + k] *= scale;
            }
        }
        // Update: theta_g <- theta_g - eta rho_g grad_g
        for (int j = 0; j < m; j++) {
            theta[j] -= etaRhoA * grad[j];
        }
        for (int q = m; q < m + m * d; q++) {
            theta[q] -= etaRhoW * grad[q];
        }
        // end::dynamics-online-sgd-step[]
        steps++;
    }

    /**
     * The test error mean_i (f(x_i; theta) - f*(x_i))^2 on the fixed monitor sample of noiseless points (the
     * study's "test" curve: the mean squared error against the clean teacher).
     */
    public double testError(double[] theta) {
        if (theta.length != this.theta.length) {
            throw new IllegalArgumentException("theta: expected " + this.theta.length + " parameters, got " + theta.length);
        }
        int nm = fStarMonitor.length;
        double sum = 0.0;
        for (int i = 0; i < nm; i++) {
            double f = 0.0;
            for (int j = 0; j < m; j++) {
                double dot = 0.0;
                for (int k = 0; k < d; k++) {
                    dot += theta[m + j * d + k] * xMonitor[i * d + k];
                }
                f += theta[j] * sigma.value(kW * dot);
            }
            double e = kA * f - fStarMonitor[i];
            sum += e * e;
        }
        return sum / nm;
    }

    /** The penalty (lambdaA / 2) (1/m) sum_j a_j^2. */
    public double penalty(double[] theta) {
        double sum = 0.0;
        for (int j = 0; j < m; j++) {
            sum += theta[j] * theta[j];
        }
        return 0.5 * config.lambdaA() * sum / m;
    }

    @Override
    TrainingState snapshot() {
        double[] copy = theta.clone();
        return new TrainingState(time(), steps, 0.5 * testError(copy) + penalty(copy), copy);
    }
}
