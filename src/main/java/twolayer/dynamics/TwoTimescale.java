package twolayer.dynamics;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import twolayer.data.Dataset;
import twolayer.kernel.IntrinsicKernel;
import twolayer.kernel.RidgeFactor;
import twolayer.kernel.TwoTimescaleObjective;
import twolayer.model.Group;
import twolayer.model.Offset;
import twolayer.model.TwoLayerNet;

/**
 * Two-timescale training of a mean-field net f(x) = (1/m) sum_j a_j h(x; w_j), h(x; w_j) = sigma(kW &lt;w_j, x&gt; +
 * kB b_j), with the second layer infinitely faster than the first (Takakura and Suzuki 2024, "Mean-field analysis
 * on two-layer neural networks from a kernel perspective", ICML): the first-layer particles (w_j, b_j) follow
 * mean-field Langevin dynamics on the objective G of {@link TwoTimescaleObjective}, and the second layer sits at
 * its ridge optimum a_j = a_mu(w_j) = alpha^T h(w_j), alpha = (K_mu + n lambdaA I)^-1 y. One step is
 * <pre>
 *   w_j &lt;- w_j - eta grad_w [-(lambdaA/2) a_mu(w)^2](w_j) - eta lambdaW w_j + sqrt(2 eta lambda) xi_j     (w and b)
 *   a   &lt;- the ridge optimum of the moved particles (one Cholesky solve, {@link IntrinsicKernel#solve})
 * </pre>
 * at time t = eta k. By the envelope theorem the drift -grad_w[-(lambdaA/2) a_mu^2] = lambdaA a_mu grad a_mu is the
 * mean-field gradient m grad_(w_j) L of the net's own risk at the optimal a, so the step computes it with the net's
 * backward pass: at lambda = 0 it is the Euler scheme of the noiseless two-timescale flow, and in general it is
 * the {@link MeanFieldLangevin} step of the w and b coordinates with a reset to its optimum and no noise on a.
 * The state keeps the invariant that a is the ridge optimum of the current particles.
 *
 * <p><b>Finite ratio.</b> With {@link Config#ratio} r &lt; infinity the second layer is trained, not solved:
 * joint noisy gradient descent in which a moves at r times the first layer's rate. Each step takes the same
 * first-layer step as above at the current a, then k gradient steps on a of size eta r / k,
 * a &lt;- a - (eta r / k) (m grad_a L + lambdaA a). k is the smallest count with eta r / k &lt;= 1/(max_i K_ii + lambdaA): the a-problem
 * is quadratic with Hessian K/n + lambdaA I (mean-field scaled), whose largest eigenvalue is at most
 * tr(K)/n + lambdaA &lt;= max_i K_ii + lambdaA, so each a-step contracts monotonically. As r -&gt; infinity the a-steps
 * reach the ridge optimum and the dynamics becomes the exact one (claim TT-3); the noise, drawn in the same order,
 * is shared with the exact run of the same seed.
 *
 * <p>Requirements on the net: mean-field output multiplier kA = 1/m, rates rho_w (and rho_b) = m (the
 * {@code meanField} preset, with or without hidden biases), no output bias, no output offset, lazy scale 1, the
 * squared loss and a non-linearised problem. Noise comes from a {@link SplittableRandom} seeded with {@code seed},
 * drawn in parameter order (all w, then all b), so the same seed gives the same trajectory.
 */
public final class TwoTimescale extends DiscreteDynamics {

    /**
     * @param eta     step size of the first layer (> 0)
     * @param lambda  entropy temperature (>= 0); 0 gives the Euler scheme of the noiseless two-timescale flow
     * @param lambdaA the second layer's L2 strength, the ridge of the inner problem (> 0)
     * @param lambdaW L2 strength on the first-layer weights w and biases b (>= 0)
     * @param ratio   the second layer's rate relative to the first's: infinity (the default) for the exact inner
     *                solve, a finite r >= 1 for joint training at ratio r
     * @param seed    seed of the Gaussian noise
     */
    public record Config(double eta, double lambda, double lambdaA, double lambdaW, double ratio, long seed) {
        public Config {
            if (!(eta > 0) || !Double.isFinite(eta)) {
                throw new IllegalArgumentException("eta: step size must be finite and > 0, got " + eta);
            }
            TwoTimescaleObjective.requireValid(lambda, lambdaA, lambdaW);
            if (!(ratio >= 1)) {
                throw new IllegalArgumentException("ratio: the second layer's relative rate must be >= 1 (or infinity), got "
                        + ratio);
            }
        }

        /** The exact two-timescale dynamics (ratio infinity). */
        public static Config exact(double eta, double lambda, double lambdaA, double lambdaW, long seed) {
            return new Config(eta, lambda, lambdaA, lambdaW, Double.POSITIVE_INFINITY, seed);
        }

        /** The same configuration at another ratio. */
        public Config withRatio(double r) {
            return new Config(eta, lambda, lambdaA, lambdaW, r, seed);
        }

        /** Whether the inner problem is solved exactly. */
        public boolean isExact() {
            return ratio == Double.POSITIVE_INFINITY;
        }

        /** The objective G these dynamics minimise. */
        public TwoTimescaleObjective objective() {
            return new TwoTimescaleObjective(lambda, lambdaA, lambdaW);
        }
    }

    private final TrainingProblem problem;
    private final Config config;
    private final TwoTimescaleObjective objective;
    private final TwoLayerNet net;
    private final Dataset data;
    private final double[] y;
    private final double[] theta;
    private final double[] grad;
    private final double noiseScale;    // sqrt(2 eta lambda)
    private final RandomGenerator rng;
    private final int m;
    private final RidgeFactor ridge;             // features, Gram and Cholesky factor of the current particles
    private final double[] alpha;                // (n) the ridge solution for y at the current particles
    private final double[] readouts;             // (m) the optimal readouts a_mu(w_j)
    private double innerValue;                   // G0 of the current particles
    private TwoTimescaleObjective.Inner inner;   // the ridge optimum as a record, made when asked for
    private double labelNoise;                   // sigma of the label-noise procedure; 0 = off
    private boolean lossDrift = true;            // false: the control without the first layer's loss drift
    private LabelNoise labelDraws;               // its own stream, so the Brownian noise is the clean run's
    private double[] eps;                        // (n) fresh label noise of the step
    private double[] alphaEps;                   // (n) its ridge solution
    private double[] readoutsEps;                // (m) and readouts
    private double[] thetaEps;                   // the parameters with a = a_(mu, eps)
    private double[] gradEps;                    // their gradient against the targets eps
    private IntrinsicKernel kernel;              // the intrinsic kernel of the current particles, made when asked for

    /** Starts at the net's initial first layer (and, for a finite ratio, its initial second layer). */
    public TwoTimescale(TrainingProblem problem, Config config) {
        this(problem, config, problem.net().initialParameters());
    }

    /**
     * Starts at the given parameters; with the exact inner solve their a is replaced by the ridge optimum.
     *
     * @throws IllegalArgumentException if the net or problem is not of the required form (see the class comment)
     */
    public TwoTimescale(TrainingProblem problem, Config config, double[] start) {
        this(problem, config, start, new SplittableRandom(config.seed()));
    }

    /**
     * Starts at the given parameters and draws the Gaussian increments xi from {@code noise} (its
     * {@code nextGaussian()}, one per w and b coordinate per step, in parameter order) instead of from the
     * config's seed: for runs that share a Brownian path, e.g. a step of size eta fed with (xi_1 + xi_2)/sqrt 2 of
     * two steps of size eta/2 (the synchronous coupling of claim TT-4).
     */
    public TwoTimescale(TrainingProblem problem, Config config, double[] start, RandomGenerator noise) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.config = Objects.requireNonNull(config, "config");
        this.objective = config.objective();
        this.net = problem.net();
        this.data = problem.data();
        this.m = net.width();
        if (start.length != net.parameterCount()) {
            throw new IllegalArgumentException("start: expected " + net.parameterCount() + " parameters, got "
                    + start.length);
        }
        requireForm(problem);
        this.y = problem.targets();
        this.theta = start.clone();
        this.grad = new double[theta.length];
        this.noiseScale = Math.sqrt(2.0 * config.eta() * config.lambda());
        this.rng = Objects.requireNonNull(noise, "noise");
        // the step's passes at the particles of the last inner solve reuse its hidden layer (same bits)
        problem.batch().keepHiddenLayer();
        this.ridge = RidgeFactor.ofParticles(m, data.n(), problem.batch().parallelism());
        this.alpha = new double[data.n()];
        this.readouts = new double[m];
        solveInner();
        if (config.isExact()) {
            setOptimalReadout();
        }
    }

    private static void requireForm(TrainingProblem problem) {
        TwoLayerNet net = problem.net();
        int m = net.width();
        if (problem.isLinearized()) {
            throw new IllegalArgumentException("problem: two-timescale training needs the net itself, not its linearisation");
        }
        if (problem.lossFunction() != twolayer.model.Loss.SQUARED) {
            throw new IllegalArgumentException("loss: the two-timescale inner problem is a ridge regression and needs "
                    + "the squared loss, got " + problem.lossFunction());
        }
        if (Math.abs(net.multiplier(Group.A) * m - 1) > 1e-12) {
            throw new IllegalArgumentException("parameterization: two-timescale training needs the mean-field output "
                    + "multiplier kA = 1/m = " + 1.0 / m + ", got " + net.multiplier(Group.A));
        }
        if (net.count(Group.C) != 0 || net.parameterization().offset() != Offset.NONE
                || net.parameterization().lazyScale() != 1.0) {
            throw new IllegalArgumentException("parameterization: two-timescale training needs no output bias, no "
                    + "output offset and lazy scale 1, got " + net.parameterization().name());
        }
        for (Group g : new Group[] {Group.A, Group.W, Group.B}) {
            if (net.count(g) > 0 && problem.rate(g) != m) {
                throw new IllegalArgumentException("parameterization: two-timescale training needs the mean-field rate "
                        + "rho_" + g.symbol() + " = m = " + m + " (the meanField preset), got " + problem.rate(g));
            }
        }
    }

    @Override public TwoLayerNet net() { return net; }

    @Override double eta() { return config.eta(); }

    /** A copy of the parameters; with the exact inner solve, a is the ridge optimum of the current particles. */
    @Override public double[] parameters() { return theta.clone(); }

    /** The configuration. */
    public Config config() { return config; }

    /**
     * Switches on the label-noise procedure of the two-timescale chapter (our construction, identity L2): every
     * step draws fresh eps ~ U[-sigma, sigma]^n, fits the ridge to eps as well, alpha_eps = (K + n lambdaA I)^-1
     * eps, and moves the particles down the gradient of
     * <pre>
     *   -(lambdaA/2) a_(mu,y)(w)^2 + (lambdaA/2) a_(mu,eps)(w)^2 + (lambdaW/2) ||w||^2,
     * </pre>
     * the first variation of G0(mu; y) - G0(mu; eps) + prior, whose mean over eps is that of
     * G + (s^2 / 2n) df(mu), s^2 = sigma^2 / 3. The eps-term's gradient is the mean-field gradient
     * -m grad_w L of the net with readout a_(mu,eps) against the targets eps (envelope theorem, as for y). Only
     * with the exact inner solve, and before the first step.
     *
     * @param sigma half-width of the label noise (finite, &gt; 0)
     * @param seed  seed of the label noise (a stream separate from the Brownian noise)
     * @return this
     */
    public TwoTimescale withLabelNoise(double sigma, long seed) {
        return withLabelNoise(sigma, LabelNoise.uniform(sigma, seed));
    }

    /**
     * The label noise of each step: fills eps (length n) with the step's values. The default,
     * {@link #uniform}, draws eps_i = sigma (2 u_i - 1), u_i = {@code nextDouble()} of its own
     * {@link SplittableRandom}, for i = 0..n-1; a run may instead be fed recorded values.
     */
    @FunctionalInterface
    public interface LabelNoise {
        void draw(double[] eps);

        /** eps ~ U[-sigma, sigma]^n from a seeded stream, as above. */
        static LabelNoise uniform(double sigma, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            return eps -> {
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = sigma * (2 * rng.nextDouble() - 1);
                }
            };
        }
    }

    /**
     * As {@link #withLabelNoise(double, long)}, with each step's eps taken from {@code draws}.
     *
     * @param sigma half-width of the label noise (finite, &gt; 0): switches the procedure on
     * @param draws the eps of each step
     */
    public TwoTimescale withLabelNoise(double sigma, LabelNoise draws) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma: label noise must be finite and > 0, got " + sigma);
        }
        if (!config.isExact()) {
            throw new IllegalArgumentException("ratio: the label-noise procedure needs the exact inner solve");
        }
        if (steps > 0) {
            throw new IllegalStateException("label noise must be switched on before the first step");
        }
        this.labelNoise = sigma;
        this.labelDraws = Objects.requireNonNull(draws, "draws");
        this.eps = new double[data.n()];
        this.alphaEps = new double[data.n()];
        this.readoutsEps = new double[m];
        this.thetaEps = new double[theta.length];
        this.gradEps = new double[theta.length];
        return this;
    }

    /**
     * The control run of the claims: the particles keep their weight decay and their Brownian noise (the same draws
     * as the trained run for the same seed) but lose the drift -eta m grad_w L of the loss, so whatever the loss
     * teaches the first layer is absent; the second layer is still solved. Before the first step only.
     *
     * @return this
     */
    public TwoTimescale withoutFirstLayerLossDrift() {
        if (steps > 0) {
            throw new IllegalStateException("the loss drift must be switched off before the first step");
        }
        this.lossDrift = false;
        return this;
    }

    /** The inner ridge problem solved at the current particles (alpha, G0, readouts a_mu(w_j)). */
    public TwoTimescaleObjective.Inner inner() {
        if (inner == null) {
            inner = new TwoTimescaleObjective.Inner(alpha.clone(), innerValue, readouts.clone());
        }
        return inner;
    }

    /** The intrinsic kernel of the current particles. */
    public IntrinsicKernel kernel() {
        if (kernel == null) {
            kernel = ridge.kernel();
        }
        return kernel;
    }

    /**
     * The objective without entropy of the current particle measure, G(mu) - lambda Ent(mu) =
     * G0(mu) + (lambdaW/2) E_mu ||w||^2 (the second layer at its optimum, whatever the ratio).
     */
    public double energy() {
        return innerValue + config.lambdaW() / 2 * meanSquaredNorm();
    }

    /**
     * The finite-width objective of the current state with its actual second layer,
     * J(a, mu) = L + (lambdaA/2)(1/m)|a|^2 + (lambdaW/2) E_mu ||w||^2 &gt;= {@link #energy()}, equal to it with the
     * exact inner solve.
     */
    public double jointEnergy() {
        double[] f = new double[data.n()];
        problem.outputs(theta, problem.batch(), f);
        double[] a = new double[m];
        System.arraycopy(theta, net.offset(Group.A), a, 0, m);
        return objective.jointEnergy(f, y, a, meanSquaredNorm());
    }

    /** E_mu ||(w, b)||^2 over the particles. */
    public double meanSquaredNorm() {
        double s = 0.0;
        int from = net.offset(Group.W), to = from + net.count(Group.W) + net.count(Group.B);
        for (int k = from; k < to; k++) {
            s += theta[k] * theta[k];
        }
        return s / m;
    }

    // tag::dynamics-tt-step[]
    /**
     * One step: the MFLD step of the particles (w, b) with the drift of G at the current a, then the second layer
     * catches up with the moved particles: exactly (the ridge solve) or by k gradient steps (finite ratio).
     */
    @Override
    public void step() {
        // The drift of G is the mean-field gradient m grad_w L at the optimal a (envelope theorem)
        double value = problem.lossAndGradient(theta, grad);
        recordLoss(value, theta);
        double eta = config.eta(), decay = eta * config.lambdaW();
        int from = net.offset(Group.W), to = from + net.count(Group.W) + net.count(Group.B);
        if (labelNoise > 0) {
            subtractLabelNoiseDrift(from, to);
        }
        for (int k = from; k < to; k++) {
            // Take the MFLD step of the particle coordinates w and b
            double move = (lossDrift ? -eta * m * grad[k] : 0.0) - decay * theta[k];
            if (noiseScale > 0) {
                move += noiseScale * rng.nextGaussian();
            }
            theta[k] += move;
        }
        // Move the second layer towards (or to) its ridge optimum for the moved particles
        solveInner();
        if (config.isExact()) {
            setOptimalReadout();
        } else {
            fastSecondLayer();
        }
        steps++;
    }
        // end::dynamics-tt-step[]

    // tag::dynamics-tt-fast-layer[]
    /** k steps a &lt;- a - (eta r / k)(m grad_a L + lambdaA a), each within the monotone step size 1/(max K_ii + lambdaA). */
    private void fastSecondLayer() {
        double maxDiagonal = 0.0;
        double[] h = ridge.features();
        int n = data.n();
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int j = 0; j < m; j++) {
                double hij = h[j * n + i];
                s += hij * hij;
            }
            maxDiagonal = Math.max(maxDiagonal, s / m);
        }
        double total = config.eta() * config.ratio();
        long k = (long) Math.ceil(total * (maxDiagonal + config.lambdaA()));
        double etaA = total / k;
        int from = net.offset(Group.A);
        for (long s = 0; s < k; s++) {
            double value = problem.lossAndGradient(theta, grad);
            if (!Double.isFinite(value)) {
                throw diverged("the loss became " + value + " in the second layer's sub-step " + s + " of " + k);
            }
            for (int j = from; j < from + m; j++) {
                theta[j] -= etaA * (m * grad[j] + config.lambdaA() * theta[j]);
            }
        }
    }
    // end::dynamics-tt-fast-layer[]

    // tag::dynamics-tt-label-noise[]
    /**
     * grad &lt;- grad - grad_w L(a_(mu,eps); eps): adds the drift of +(lambdaA/2) a_(mu,eps)^2
     * for fresh eps.
     */
    private void subtractLabelNoiseDrift(int from, int to) {
        labelDraws.draw(eps);
        // the same factor as y's: one factorisation per step
        ridge.solve(eps, alphaEps);
        ridge.readouts(alphaEps, readoutsEps);
        System.arraycopy(theta, 0, thetaEps, 0, theta.length);
        System.arraycopy(readoutsEps, 0, thetaEps, net.offset(Group.A), m);
        problem.lossAndGradient(thetaEps, problem.batch(), eps, gradEps);
        for (int k = from; k < to; k++) {
            grad[k] -= gradEps[k];
        }
    }
    // end::dynamics-tt-label-noise[]

    /**
     * The features of the particles (the hidden layer of the problem's batch, which the next step's passes
     * reuse), their Gram and its factor, the ridge solution for y and its readouts: what
     * {@link TwoTimescaleObjective#inner} computes from {@code IntrinsicKernel.of(net, theta, data)}, with the
     * same bits, in reused arrays.
     */
    private void solveInner() {
        kernel = null;
        inner = null;
        net.features(theta, problem.batch(), ridge.features());
        ridge.factor(config.lambdaA());
        ridge.solve(y, alpha);
        innerValue = objective.innerValue(y, alpha);
        ridge.readouts(alpha, readouts);
    }

    private void setOptimalReadout() {
        System.arraycopy(readouts, 0, theta, net.offset(Group.A), m);
    }

    @Override
    TrainingState snapshot() {
        return new TrainingState(time(), steps, problem.loss(theta), theta.clone());
    }

    @Override double nullLoss() { return problem.nullLoss(); }

    @Override String label() { return "two-timescale training"; }

    /** The prior's drift w &lt;- (1 - eta lambdaW) w is stable only for eta &lt; 2 / lambdaW. */
    @Override
    double stabilityLimit() {
        return config.lambdaW() > 0 ? 2.0 / config.lambdaW() : Double.NaN;
    }
}
