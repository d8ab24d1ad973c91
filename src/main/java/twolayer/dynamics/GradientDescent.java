package twolayer.dynamics;

import java.util.Objects;
import twolayer.model.Batch;
import twolayer.model.Group;
import twolayer.model.Parallelism;
import twolayer.model.TwoLayerNet;

/**
 * Gradient descent with per-group rates, heavy-ball momentum and mini-batches: the explicit Euler scheme of
 * the gradient flow d theta_g/dt = -rho_g grad_g L, at time t = eta k after k steps.
 * <pre>
 *   v_g   &lt;- mu v_g - eta rho_g grad_g L_B(theta)      (v = 0 at the start)
 *   theta &lt;- theta + v
 * </pre>
 * L_B is the loss on a mini-batch B of {@code batchSize} points drawn without replacement, afresh each step,
 * from a generator seeded with {@code seed} ({@link MiniBatches#seeded}), or given step by step by a
 * {@link MiniBatches}; with batchSize = n (or 0) it is the full training loss and mu = 0
 * gives plain gradient descent, whose error against the flow at fixed T is O(eta) (claim FOUND-2).
 * Heavy-ball momentum: Polyak 1964, "Some methods of speeding up the convergence of iteration methods".
 */
public final class GradientDescent extends DiscreteDynamics {

    /**
     * @param eta       step size (> 0)
     * @param momentum  heavy-ball coefficient mu in [0, 1)
     * @param batchSize points per step; 0 means the full training set
     * @param seed      seed of the mini-batch draws
     */
    public record Config(double eta, double momentum, int batchSize, long seed) {
        public Config {
            if (!(eta > 0) || !Double.isFinite(eta)) {
                throw new IllegalArgumentException("eta: step size must be finite and > 0, got " + eta);
            }
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum: must be in [0, 1), got " + momentum);
            }
            if (batchSize < 0) {
                throw new IllegalArgumentException("batchSize: must be >= 0 (0 = full batch), got " + batchSize);
            }
        }

        /** Full-batch gradient descent without momentum. */
        public static Config plain(double eta) {
            return new Config(eta, 0.0, 0, 0L);
        }
    }


    private final TrainingProblem problem;
    private final Config config;
    private final TwoLayerNet net;
    private final double[] theta;
    private final double[] velocity;
    private final double[] grad;
    private final double[] stepRates;     // eta * rho_g, by Group ordinal
    private final Batch miniBatch;        // null for full batch
    private final MiniBatches batches;    // the rows of each step's mini-batch; null for full batch
    private final double[] miniTargets;

    /** Starts at the net's initial parameters. */
    public GradientDescent(TrainingProblem problem, Config config) {
        this(problem, config, problem.net().initialParameters());
    }

    /** Starts at the given parameters. */
    public GradientDescent(TrainingProblem problem, Config config, double[] start) {
        this(problem, config, start, null);
    }

    /**
     * Starts at the given parameters and takes each step's mini-batch rows from {@code batches} instead of from
     * the config's seed (null: from the seed, {@link MiniBatches#seeded}). Each {@code next()} must return
     * {@code config.batchSize()} rows in [0, n).
     */
    public GradientDescent(TrainingProblem problem, Config config, double[] start, MiniBatches batches) {
        this.problem = Objects.requireNonNull(problem, "problem");
        this.config = Objects.requireNonNull(config, "config");
        this.net = problem.net();
        if (start.length != net.parameterCount()) {
            throw new IllegalArgumentException("start: expected " + net.parameterCount() + " parameters, got " + start.length);
        }
        this.theta = start.clone();
        this.velocity = new double[theta.length];
        this.grad = new double[theta.length];
        this.stepRates = new double[Group.values().length];
        for (Group g : Group.values()) {
            stepRates[g.ordinal()] = config.eta() * problem.rate(g);
        }
        int n = problem.batch().size();
        if (config.batchSize() > n) {
            throw new IllegalArgumentException("batchSize: " + config.batchSize() + " exceeds the " + n + " training points");
        }
        boolean full = config.batchSize() == 0 || config.batchSize() == n;
        this.miniBatch = full ? null : net.emptyBatch(config.batchSize(), parallelismOf(problem));
        this.miniTargets = full ? null : new double[config.batchSize()];
        this.batches = full ? null
                : batches != null ? batches : MiniBatches.seeded(config.seed(), n, config.batchSize());
    }

    /**
     * Starts at the given parameters and takes the mini-batches from a given schedule instead of drawing them:
     * step k uses the training rows {@code batches[k mod batches.length]}, each of {@code config.batchSize()}
     * distinct rows (so the schedule repeats, like epochs). The seed is unused. This lets another implementation
     * reproduce a mini-batch run without matching a random generator (the conformance vectors, see the baseline
     * chapter, section "Conformance vectors").
     */
    public static GradientDescent withBatches(TrainingProblem problem, Config config, double[] start, int[][] batches) {
        Objects.requireNonNull(batches, "batches");
        int n = problem.batch().size(), size = config.batchSize();
        if (size == 0 || size >= n) {
            throw new IllegalArgumentException("batchSize: a batch schedule needs 0 < batchSize < n = " + n + ", got "
                    + size);
        }
        if (batches.length == 0) {
            throw new IllegalArgumentException("batches: the schedule must have at least one batch");
        }
        int[][] copy = new int[batches.length][];
        for (int k = 0; k < batches.length; k++) {
            if (batches[k].length != size) {
                throw new IllegalArgumentException("batches: batch " + k + " has " + batches[k].length
                        + " rows; batchSize is " + size);
            }
            boolean[] seen = new boolean[n];
            for (int row : batches[k]) {
                if (row < 0 || row >= n || seen[row]) {
                    throw new IllegalArgumentException("batches: batch " + k + " has row " + row
                            + "; rows must be distinct and in [0, " + n + ")");
                }
                seen[row] = true;
            }
            copy[k] = batches[k].clone();
        }
        int[] next = {0};
        return new GradientDescent(problem, config, start, () -> copy[next[0]++ % copy.length]);
    }

    private static Parallelism parallelismOf(TrainingProblem problem) {
        return problem.batch().parallelism();
    }

    @Override public TwoLayerNet net() { return net; }

    @Override double eta() { return config.eta(); }

    @Override public double[] parameters() { return theta.clone(); }

    /** The configuration. */
    public Config config() { return config; }

    // tag::dynamics-gd-step[]
    /** One step: gradient on the (mini-)batch, then the heavy-ball update of every group at its own rate. */
    @Override
    public void step() {
        double value = miniBatch == null
                ? problem.lossAndGradient(theta, grad)
                : miniBatchGradient();
        recordLoss(value, theta);
        double mu = config.momentum();
        for (Group g : Group.values()) {
            double etaRho = stepRates[g.ordinal()];
            int from = net.offset(g), to = from + net.count(g);
            for (int k = from; k < to; k++) {
                velocity[k] = mu * velocity[k] - etaRho * grad[k];
                theta[k] += velocity[k];
            }
        }
        steps++;
    }
    // end::dynamics-gd-step[]

    /** Takes the step's mini-batch rows (by default a partial Fisher-Yates shuffle) and returns its loss. */
    private double miniBatchGradient() {
        int[] rows = batches.next();
        int n = problem.batch().size(), b = miniBatch.size();
        if (rows.length < b) {
            throw new IllegalStateException("mini-batches: step " + steps + " got " + rows.length + " rows, needs " + b);
        }
        for (int i = 0; i < b; i++) {
            if (rows[i] < 0 || rows[i] >= n) {
                throw new IllegalStateException("mini-batches: step " + steps + " has row " + rows[i]
                        + ", outside [0, " + n + ")");
            }
            miniTargets[i] = problem.target(rows[i]);
        }
        miniBatch.loadRows(problem.batch(), rows);
        return problem.lossAndGradient(theta, miniBatch, miniTargets, grad);
    }

    @Override
    TrainingState snapshot() {
        return new TrainingState(time(), steps, problem.loss(theta), theta.clone());
    }

    @Override double nullLoss() { return problem.nullLoss(); }

    @Override double stabilityLimit() { return StepSizeAdvice.stabilityLimit(problem, net.initialParameters()); }

    @Override String label() { return "gradient descent"; }
}
