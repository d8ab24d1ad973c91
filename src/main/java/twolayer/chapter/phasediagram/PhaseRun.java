package twolayer.chapter.phasediagram;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import twolayer.measure.WeightChange;
import twolayer.model.Activation;
import twolayer.model.Batch;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * One run of the phase diagram: a ReLU net of width m in Luo, Xu, Ma and Zhang's form (JMLR 2021, eq. (1))
 * <pre>  f(x) = (1/alpha) sum_k a_k relu(w_k . x~),  a_k ~ N(0, beta1^2),  w_k ~ N(0, beta2^2 I),  x~ = (x, 1) </pre>
 * with the antisymmetric initialisation (f(x; theta0) = 0), trained on {@link PhaseTask} by full-batch gradient
 * descent until the loss L = (1/2n) sum_i e_i^2 falls below a threshold. The result is the order parameter
 * RD(theta_w) = ||w(T) - w(0)|| / ||w(0)|| at the end of training (w includes the biases).
 *
 * <p>The step follows the gradient flow: at every step
 * <pre>  eta_k = c / (lambda_max(K_k)/n + sqrt(2 L_k) max_i ||x~_i|| |kA kW| sqrt(rho_a rho_w)) </pre>
 * where K is the n x n tangent kernel sum_g rho_g J_g J_g^T. The denominator bounds the largest eigenvalue of
 * the rate-scaled Hessian of L: its Gauss-Newton part is K/n, and for ReLU the rest is
 * (1/n) sum_i e_i d^2 f(x_i), whose only non-zero blocks are the (a_k, w_k) cross terms
 * kA kW relu'(w_k . x~) x~ (relu'' = 0), with norm at most mean|e| max ||x~|| kA kW &lt;= sqrt(2L) max ||x~|| kA kW.
 * So eta_k tracks the local curvature and the iterates follow the flow in a reparametrised time, from the
 * flat start of the condensed regime (tiny weights, tiny kernel, huge steps) to the end of training.
 * The authors' code (xuzhiqin1990/phasediagram_twolayerNN) restarts a run with half the learning rate whenever
 * the loss goes up. With the step above, the loss can rise only where it is not smooth: the ReLU loss has kinks
 * where w_k . x~_i = 0, and a step across one can raise the loss a little whatever its size. Halving at every such
 * rise stalls the condensed runs at the first kink they meet (measured at (gamma, gamma') = (2, 0), m = 256: 7000
 * rises and a loss stuck near 1e-3 after 60000 steps, against convergence in 13552 steps with c fixed). So the
 * authors' rule is kept for what it is meant to catch, instability: a run whose loss exceeds twice its initial
 * value (or is not finite) starts again from theta0 with c halved; small rises are counted and reported. A run
 * still unstable after {@link #MAX_RESTARTS} restarts gives up and is reported as not converged (restarts =
 * MAX_RESTARTS + 1), so that one such run is recorded like any other failure instead of stopping a whole sweep.
 */
public final class PhaseRun {

    /**
     * @param parameterization the Luo-form parameterisation (ReLU, no separate biases, the bias folded into w)
     * @param width            m (even: the antisymmetric initialisation pairs the neurons)
     * @param seed             seed of the initial draw
     * @param lossThreshold    training stops once L &lt; lossThreshold
     * @param maxSteps         and fails (converged = false) after this many accepted steps
     * @param stepFactor       c of the step rule, in (0, 2)
     */
    public record Config(Parameterization parameterization, int width, long seed, double lossThreshold,
            long maxSteps, double stepFactor) {
        public Config {
            java.util.Objects.requireNonNull(parameterization, "parameterization");
            if (width < 2 || width % 2 != 0) {
                throw new IllegalArgumentException("width: must be even and >= 2, got " + width);
            }
            if (!(lossThreshold > 0) || !Double.isFinite(lossThreshold)) {
                throw new IllegalArgumentException("lossThreshold: must be finite and > 0, got " + lossThreshold);
            }
            if (maxSteps < 1) {
                throw new IllegalArgumentException("maxSteps: must be >= 1, got " + maxSteps);
            }
            if (!(stepFactor > 0 && stepFactor < 2)) {
                throw new IllegalArgumentException("stepFactor: must be in (0, 2), got " + stepFactor);
            }
            if (parameterization.hiddenBias() || parameterization.outputBias()) {
                throw new IllegalArgumentException("parameterization: the Luo form folds the bias into w; "
                        + "use one without separate biases, got " + parameterization.name());
            }
        }
    }

    /**
     * @param rdW        RD(theta_w) at the end
     * @param rdA        RD(theta_a) at the end
     * @param loss       final loss
     * @param steps      accepted steps
     * @param time       gradient-flow time sum_k eta_k
     * @param rises      steps that raised the loss (at kinks)
     * @param restarts   restarts with half the step after an instability
     * @param converged  whether the loss fell below the threshold within maxSteps
     * @param theta0     initial parameters [a (m) | w (m, 2)]
     * @param theta      final parameters, same layout
     */
    public record Result(double rdW, double rdA, double loss, long steps, double time, int rises, int restarts,
            boolean converged, double[] theta0, double[] theta) {
    }


    /**
     * A fixed-step run's record (see {@link #fixedSteps}).
     *
     * @param steps the requested steps k, ascending
     * @param rdW   RD(theta_w) after each requested step
     * @param loss  the loss L after each requested step
     * @param theta the parameters after the last step [a (m) | w (m, 2)]
     */
    public record Trajectory(long[] steps, double[] rdW, double[] loss, double[] theta) {
    }

    /** Restarts with half the step before a run gives up as not converged. */
    public static final int MAX_RESTARTS = 20;

    private PhaseRun() {
    }

    /**
     * The net of a run at its initial draw: ReLU, {@link PhaseTask#D} inputs, the given width, the antisymmetric
     * initialisation of the parameterisation drawn from seed. {@link #run} starts from it.
     */
    public static TwoLayerNet initialNet(Parameterization parameterization, int width, long seed) {
        return TwoLayerNet.initialize(PhaseTask.D, width, Activation.RELU,
                parameterization.withAntisymmetricInit(true), seed);
    }

    /** Trains one net as described above; deterministic in the config (one thread). */
    public static Result run(Config c) {
        TwoLayerNet net = initialNet(c.parameterization(), c.width(), c.seed());
        double[] x = PhaseTask.inputs(), y = PhaseTask.targets();
        Batch batch = net.batch(x, PhaseTask.N, Parallelism.sequential());
        double[] theta0 = net.initialParameters();
        double[] theta = theta0.clone(), trial = new double[theta.length];
        double[] grad = new double[theta.length], trialGrad = new double[theta.length];
        Kernel kernel = new Kernel(net, x);
        double rhoA = net.rate(Group.A), rhoW = net.rate(Group.W);
        double kAkW = Math.abs(net.multiplier(Group.A) * net.multiplier(Group.W));
        double crossBound = maxNorm(x) * kAkW * Math.sqrt(rhoA * rhoW);
        double loss0 = net.lossAndGradient(theta, batch, y, Loss.SQUARED, grad), loss = loss0;
        double factor = c.stepFactor(), time = 0.0;
        long steps = 0;
        int rises = 0, restarts = 0;
        // tag::experiment-phase-run[]
        while (loss >= c.lossThreshold() && steps < c.maxSteps()) {
            double curvature =
                    kernel.lambdaMax(theta) / PhaseTask.N + Math.sqrt(2 * loss) * crossBound;
            double eta = factor / curvature;
            step(net, theta, grad, eta, trial);
            double trialLoss = net.lossAndGradient(trial, batch, y, Loss.SQUARED, trialGrad);
            if (!(trialLoss <= 2 * loss0)) {   // unstable: the authors' restart with half the step
                if (++restarts > MAX_RESTARTS) {
                    break;      // gives up: theta is the last accepted state, recorded as not converged
                }
                factor /= 2;
                theta = theta0.clone();
                loss = net.lossAndGradient(theta, batch, y, Loss.SQUARED, grad);
                time = 0.0;
                steps = 0;
                rises = 0;
                continue;
            }
            if (trialLoss > loss) {
                rises++;
            }
            double[] swap = theta; theta = trial; trial = swap;
            swap = grad; grad = trialGrad; trialGrad = swap;
            loss = trialLoss;
            time += eta;
            steps++;
        }
        // end::experiment-phase-run[]
        return new Result(WeightChange.relative(net, theta0, theta, Group.W),
                WeightChange.relative(net, theta0, theta, Group.A), loss, steps, time, rises,
                restarts,
                restarts <= MAX_RESTARTS && loss < c.lossThreshold(), theta0, theta);
    }

    /**
     * A run that another implementation can replay: from a given theta0 on {@link PhaseTask}'s data, plain
     * gradient descent at a fixed step, theta_g &lt;- theta_g - eta rho_g grad_g L for g in {a, w}, for a fixed
     * number of steps, with RD(theta_w) and L after each requested step. No adaptive step, no restart,
     * no threshold: the step rule of {@link #run} is for reaching the end of training at any width, and a fixed
     * step is what a replay needs (baseline chapter, section "Conformance vectors"). Deterministic, one thread.
     *
     * @param parameterization the Luo-form parameterisation (its multipliers and rates; its initial scales are not
     *                         used, theta0 is given)
     * @param theta0           the start [a (m) | w (m, 2) row-major], raw coordinates, the bias folded into w
     * @param eta              the step size (finite, &gt; 0)
     * @param at               the steps at which to record, strictly ascending, each &gt;= 0; the last is the
     *                         number of steps taken
     * @throws IllegalArgumentException if the parameterisation has separate biases, theta0 is not 3m long with
     *                                  m &gt;= 1, eta is not finite and positive, or at is empty or not ascending
     *                                  from 0 up
     */
    public static Trajectory fixedSteps(Parameterization parameterization, double[] theta0, double eta, long[] at) {
        if (parameterization.hiddenBias() || parameterization.outputBias()) {
            throw new IllegalArgumentException("parameterization: the Luo form folds the bias into w; use one "
                    + "without separate biases, got " + parameterization.name());
        }
        if (theta0.length < 3 || theta0.length % 3 != 0) {
            throw new IllegalArgumentException("theta0: expected a (m) then w (m, 2), 3m values, got " + theta0.length);
        }
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new IllegalArgumentException("eta: must be finite and > 0, got " + eta);
        }
        if (at.length == 0 || at[0] < 0) {
            throw new IllegalArgumentException("at: give at least one step >= 0");
        }
        for (int i = 1; i < at.length; i++) {
            if (at[i] <= at[i - 1]) {
                throw new IllegalArgumentException("at: steps must be ascending, got " + at[i - 1] + " then " + at[i]);
            }
        }
        TwoLayerNet net = TwoLayerNet.withInitialParameters(PhaseTask.D, theta0.length / 3, Activation.RELU,
                parameterization, theta0);
        double[] x = PhaseTask.inputs(), y = PhaseTask.targets();
        Batch batch = net.batch(x, PhaseTask.N, Parallelism.sequential());
        double[] theta = theta0.clone(), next = new double[theta.length], grad = new double[theta.length];
        double[] rdW = new double[at.length], loss = new double[at.length];
        long k = 0;
        for (int i = 0; i < at.length; i++) {
            double value = net.lossAndGradient(theta, batch, y, Loss.SQUARED, grad);
            for (; k < at[i]; k++) {
                step(net, theta, grad, eta, next);
                double[] swap = theta; theta = next; next = swap;
                value = net.lossAndGradient(theta, batch, y, Loss.SQUARED, grad);
            }
            rdW[i] = WeightChange.relative(net, theta0, theta, Group.W);
            loss[i] = value;
        }
        return new Trajectory(at.clone(), rdW, loss, theta);
    }

    private static void step(TwoLayerNet net, double[] theta, double[] grad, double eta, double[] out) {
        for (Group g : new Group[] {Group.A, Group.W}) {
            double etaRho = eta * net.rate(g);
            int from = net.offset(g), to = from + net.count(g);
            for (int k = from; k < to; k++) {
                out[k] = theta[k] - etaRho * grad[k];
            }
        }
    }

    private static double maxNorm(double[] x) {
        double max = 0;
        for (int i = 0; i < PhaseTask.N; i++) {
            max = Math.max(max, Math.hypot(x[i * PhaseTask.D], x[i * PhaseTask.D + 1]));
        }
        return max;
    }

    /** The n x n tangent kernel K_ij = sum_g rho_g &lt;J_g(x_i), J_g(x_j)&gt; and its largest eigenvalue. */
    private static final class Kernel {
        private final TwoLayerNet net;
        private final double[][] inputs;
        private final double[][] rows;
        private final double[][] k = new double[PhaseTask.N][PhaseTask.N];

        Kernel(TwoLayerNet net, double[] x) {
            this.net = net;
            this.inputs = new double[PhaseTask.N][];
            this.rows = new double[PhaseTask.N][net.parameterCount()];
            for (int i = 0; i < PhaseTask.N; i++) {
                inputs[i] = java.util.Arrays.copyOfRange(x, i * PhaseTask.D, (i + 1) * PhaseTask.D);
            }
        }

        double lambdaMax(double[] theta) {
            for (int i = 0; i < PhaseTask.N; i++) {
                net.jacobianRow(theta, inputs[i], rows[i]);
            }
            int m = net.width();
            double rhoA = net.rate(Group.A), rhoW = net.rate(Group.W);
            for (int i = 0; i < PhaseTask.N; i++) {
                for (int j = 0; j <= i; j++) {
                    double[] u = rows[i], v = rows[j];
                    double sa = 0, sw = 0;
                    for (int q = 0; q < m; q++) {
                        sa += u[q] * v[q];
                    }
                    for (int q = m; q < u.length; q++) {
                        sw += u[q] * v[q];
                    }
                    k[i][j] = k[j][i] = rhoA * sa + rhoW * sw;
                    if (!Double.isFinite(k[i][j])) {
                        return Double.NaN;  // overflowed: no step is defined, the run restarts as unstable
                    }
                }
            }
            double[] eig = new EigenDecomposition(new Array2DRowRealMatrix(k, false)).getRealEigenvalues();
            double max = 0;
            for (double e : eig) {
                max = Math.max(max, e);
            }
            return max;
        }
    }
}
