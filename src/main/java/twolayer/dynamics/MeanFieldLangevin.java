package twolayer.dynamics;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import twolayer.model.Group;
import twolayer.model.TwoLayerNet;

/**
 * Mean-field Langevin dynamics (MFLD): noisy gradient descent of the free energy
 * <pre>
 *   F(mu) = L(mu) + (lambdaA/2) E_mu a^2 + (lambdaW/2) E_mu (||w||^2 + b^2) + lambda Ent(mu),
 *   Ent(mu) = int mu log mu,      mu = (1/m) sum_j delta_(a_j, w_j, b_j)
 * </pre>
 * over the empirical measure of the neurons of a mean-field net. The particle of neuron j is its whole
 * parameter vector theta_j = (a_j, w_j, b_j) (b only when the net has hidden biases); the output bias c, when
 * present, is not a particle coordinate and moves by plain gradient descent. One Euler-Maruyama step is
 * <pre>
 *   theta_j &lt;- theta_j - eta (m grad_theta_j L) - eta lambda_g theta_j + sqrt(2 eta lambda) xi_j,
 *   xi_j ~ N(0, I) independent,       lambda_g = lambdaA on a, lambdaW on w and b,
 * </pre>
 * at time t = eta k after k steps. The factor m is the mean-field rate rho_g = m of
 * {@link twolayer.model.Parameterization#meanField()}: with f = (1/m) sum_j a_j sigma(&lt;w_j, x&gt;),
 * m grad_theta_j L is the gradient of the first variation dL/dmu at theta_j, so every particle moves by O(1) in
 * O(1) time and the step is the Euler-Maruyama scheme of the MFLD SDE
 * d theta = -grad (dF0/dmu)(theta) dt + sqrt(2 lambda) dB (Mei, Montanari, Nguyen 2018; Nitanda, Wu, Suzuki
 * 2022; Chizat 2022). With lambda = 0 and lambdaA = lambdaW = 0 the step is bit for bit the full-batch
 * {@link GradientDescent} step of the same net.
 *
 * <p>The noise comes from a {@link SplittableRandom} seeded with {@code seed} (or any {@link RandomGenerator} given
 * to the constructor), one {@code nextGaussian()} per particle coordinate per step in parameter order (all a,
 * then all w row-major, then all b), so the same seed gives the same trajectory.
 */
public final class MeanFieldLangevin extends DiscreteDynamics {

    /**
     * @param eta     step size (> 0)
     * @param lambda  entropy temperature (>= 0); 0 gives noiseless mean-field gradient descent
     * @param lambdaA L2 strength on the output weights a (>= 0)
     * @param lambdaW L2 strength on the input weights w and hidden biases b (>= 0)
     * @param seed    seed of the Gaussian noise
     */
    public record Config(double eta, double lambda, double lambdaA, double lambdaW, long seed) {
        public Config {
            if (!(eta > 0) || !Double.isFinite(eta)) {
                throw new IllegalArgumentException("eta: step size must be finite and > 0, got " + eta);
            }
            check("lambda", lambda);
            check("lambdaA", lambdaA);
            check("lambdaW", lambdaW);
        }

        private static void check(String name, double v) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException(name + ": must be finite and >= 0, got " + v);
            }
        }
    }

    private final TrainingProblem problem;
    private final Config config;
    private final TwoLayerNet net;
    private final double[] theta;
    private final double[] grad;
    private final double[] stepRates;   // eta * rho_g, by Group ordinal
    private final double[] decay;       // eta * lambda_g, by Group ordinal (0 for c)
    private final boolean[] noisy;      // whether group g is a particle coordinate
    private final double noiseScale;    // sqrt(2 eta lambda)
    private final RandomGenerator rng;

    /** Starts at the net's initial parameters. */
    public MeanFieldLangevin(TrainingProblem problem, Config config) {
        this(problem, config, problem.net().initialParameters());
    }

    /**
     * Starts at the given parameters.
     *
     * @throws IllegalArgumentException if the net's rates of a, w (and b) are not the mean-field rate m
     */
    public MeanFieldLangevin(TrainingProblem problem, Config config, double[] start) {
        this(problem, config, start, new SplittableRandom(config.seed()));
    }

    /**
     * Starts at the given parameters and draws the Gaussian increments xi from {@code noise} (its
     * {@code nextGaussian()}, one per a, w and b coordinate per step, in parameter order, only when lambda &gt; 0)
     * instead of from the config's seed: for a run fed recorded noise (baseline chapter, section "Exporting and
     * replaying a run").
     */
    public MeanFieldLangevin(TrainingProblem problem, Config config, double[] start, RandomGenerator noise) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.config = Objects.requireNonNull(config, "config");
        this.net = problem.net();
        if (start.length != net.parameterCount()) {
            throw new IllegalArgumentException("start: expected " + net.parameterCount() + " parameters, got "
                    + start.length);
        }
        int m = net.width();
        for (Group g : new Group[] {Group.A, Group.W, Group.B}) {
            if (net.count(g) > 0 && problem.rate(g) != m) {
                throw new IllegalArgumentException("parameterization: MFLD needs the mean-field rate rho_"
                        + g.symbol() + " = m = " + m + " (the meanField preset), got " + problem.rate(g));
            }
        }
        this.theta = start.clone();
        this.grad = new double[theta.length];
        this.stepRates = new double[Group.values().length];
        this.decay = new double[Group.values().length];
        this.noisy = new boolean[Group.values().length];
        for (Group g : Group.values()) {
            stepRates[g.ordinal()] = config.eta() * problem.rate(g);
        }
        decay[Group.A.ordinal()] = config.eta() * config.lambdaA();
        decay[Group.W.ordinal()] = config.eta() * config.lambdaW();
        decay[Group.B.ordinal()] = config.eta() * config.lambdaW();
        noisy[Group.A.ordinal()] = noisy[Group.W.ordinal()] = noisy[Group.B.ordinal()] = true;
        this.noiseScale = Math.sqrt(2.0 * config.eta() * config.lambda());
        this.rng = Objects.requireNonNull(noise, "noise");
    }

    @Override public TwoLayerNet net() { return net; }

    @Override double eta() { return config.eta(); }

    @Override public double[] parameters() { return theta.clone(); }

    /** The configuration. */
    public Config config() { return config; }

    // tag::dynamics-mfld-step[]
    /**
     * One Euler-Maruyama step: drift -eta (rho_g grad_g L + lambda_g theta), then the noise sqrt(2 eta lambda) xi
     * on the particle coordinates a, w, b.
     */
    @Override
    public void step() {
        double value = problem.lossAndGradient(theta, grad);
        recordLoss(value, theta);
        boolean noise = noiseScale > 0;
        for (Group g : Group.values()) {
            double etaRho = stepRates[g.ordinal()], etaLambda = decay[g.ordinal()];
            boolean diffuse = noise && noisy[g.ordinal()];
            int from = net.offset(g), to = from + net.count(g);
            for (int k = from; k < to; k++) {
                // Take the drift step of F0 = L + L2 prior (the same rounding as gradient descent when lambda_g = 0)
                double move = -etaRho * grad[k];
                if (etaLambda != 0) {
                    move -= etaLambda * theta[k];
                }
                // Add the Brownian increment of temperature lambda
                if (diffuse) {
                    move += noiseScale * rng.nextGaussian();
                }
                theta[k] += move;
            }
        }
        steps++;
    }
    // end::dynamics-mfld-step[]

    @Override
    TrainingState snapshot() {
        return new TrainingState(time(), steps, problem.loss(theta), theta.clone());
    }

    @Override double nullLoss() { return problem.nullLoss(); }

    @Override String label() { return "MFLD"; }

    /** The gradient's limit 2n/(c lambda_max), and the prior's: theta &lt;- (1 - eta lambda_g) theta needs eta &lt; 2/lambda_g. */
    @Override
    double stabilityLimit() {
        double limit = StepSizeAdvice.stabilityLimit(problem, net.initialParameters());
        double strongest = Math.max(config.lambdaA(), config.lambdaW());
        if (strongest > 0) {
            limit = Double.isFinite(limit) ? Math.min(limit, 2.0 / strongest) : 2.0 / strongest;
        }
        return limit;
    }
}
