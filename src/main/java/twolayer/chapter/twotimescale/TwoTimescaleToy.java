package twolayer.chapter.twotimescale;

import java.util.ArrayList;
import java.util.List;
import twolayer.data.Dataset;
import twolayer.dynamics.ObservationTimes;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TwoTimescale;
import twolayer.kernel.TwoTimescaleObjective;
import twolayer.measure.CertifiedBounds;
import twolayer.measure.MfldGridSolver;
import twolayer.measure.TwoTimescaleCertificate;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The two-timescale toy of the two-timescale chapter: a mean-field tanh net with its own biases,
 * f(x) = (1/m) sum_j a_j tanh(w_j x + b_j), fitted to n points x_i equally spaced on [-1, 1] with the target
 * y = tanh(3x - 1), which is neither odd nor even (a bias-free tanh net is odd and could not fit it). The particles (w_j, b_j) live in R^2, so the
 * certificate's integrals and the reference solver are two-dimensional quadratures
 * ({@link TwoTimescaleCertificate}, {@link MfldGridSolver#solve(TwoTimescaleCertificate, double, double, int)}).
 */
public final class TwoTimescaleToy {

    /**
     * @param seed         seed of the initialisation and of the noise
     * @param n            training points
     * @param m            width (number of particles)
     * @param eta          step size
     * @param lambda       entropy temperature
     * @param lambdaA      ridge of the second layer
     * @param lambdaW      L2 strength on (w, b)
     * @param time         final time
     * @param observations number of certified observations on (0, time]
     */
    public record Config(long seed, int n, int m, double eta, double lambda, double lambdaA, double lambdaW,
            double time, int observations) {
        public Config {
            if (n < 2 || m < 1 || observations < 1) {
                throw new IllegalArgumentException("n >= 2, m >= 1, observations >= 1 required, got " + n + ", " + m
                        + ", " + observations);
            }
            if (!(time > 0)) {
                throw new IllegalArgumentException("time: must be > 0, got " + time);
            }
        }

        /** The chapter's toy: n = 20, lambda = 0.02, lambdaA = 0.05, lambdaW = 0.1, eta = 0.05, T = 30. */
        public static Config chapter(long seed, int m) {
            return new Config(seed, 20, m, 0.05, 0.02, 0.05, 0.1, 30.0, 30);
        }

        /** The same toy with another step size, width, final time and number of observations. */
        public Config with(double newEta, int newM, double newTime, int newObservations) {
            return new Config(seed, n, newM, newEta, lambda, lambdaA, lambdaW, newTime, newObservations);
        }

        /** The same toy with another seed. */
        public Config withSeed(long newSeed) {
            return new Config(newSeed, n, m, eta, lambda, lambdaA, lambdaW, time, observations);
        }

        /** The objective G of the toy. */
        public TwoTimescaleObjective objective() {
            return new TwoTimescaleObjective(lambda, lambdaA, lambdaW);
        }

        /** The two-timescale dynamics of the toy (exact inner solve). */
        public TwoTimescale.Config dynamics() {
            return TwoTimescale.Config.exact(eta, lambda, lambdaA, lambdaW, seed ^ 0x5DEECE66DL);
        }
    }

    /**
     * Half-width of the quadrature grid in w and b: the prior's log-density lambdaW theta^2/(2 lambda) falls by 90
     * at |theta| = 6, enough to exceed {@link twolayer.measure.GibbsCertificate#EDGE_DROP} plus the tilt
     * lambdaA a_mu^2/(2 lambda) of the toy's Gibbs measures.
     */
    public static final double THETA_MAX = 6.0;
    /** Nodes per coordinate (spacing 0.1, under a quarter of the prior's standard deviation sqrt(lambda/lambdaW) = 0.45). */
    public static final int GRID_POINTS = 121;

    /** A run: the certified bounds along time, the final parameters and the grid reference. */
    public record Result(List<CertifiedBounds> bounds, double[] finalTheta,
            MfldGridSolver.Solution reference) {}

    private TwoTimescaleToy() {}

    /** The toy's data: x_i equally spaced on [-1, 1], y_i = tanh(3 x_i - 1). */
    public static Dataset data(int n) {
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1.0 + 2.0 * i / (n - 1);
            y[i] = StrictMath.tanh(3 * x[i] - 1);
        }
        return new Dataset(x, y, n, 1);
    }

    /** The toy's net: mean-field tanh with hidden biases, (a, w, b) ~ N(0, 1). */
    public static TwoLayerNet net(Config c) {
        return TwoLayerNet.initialize(1, c.m(), Activation.TANH, Parameterization.meanField().withBiases(true, false),
                c.seed());
    }

    /** The toy's training problem. */
    public static TrainingProblem problem(Config c) {
        return new TrainingProblem(net(c), data(c.n()), Loss.SQUARED, Parallelism.sequential());
    }

    /** The certificate (and quadrature) of the toy. */
    public static TwoTimescaleCertificate certificate(Config c) {
        return new TwoTimescaleCertificate(data(c.n()), Activation.TANH, 1.0, 1.0, true, c.objective(), THETA_MAX,
                GRID_POINTS);
    }

    /** The grid optimum of G (exact gap below 1e-12). */
    public static MfldGridSolver.Solution reference(Config c) {
        return MfldGridSolver.solve(certificate(c), 0.2, 1e-12, 1000);
    }

    /**
     * The start: the net's N(0, 1) draws of (w, b) scaled to the prior N(0, lambda/lambdaW I) of G, the Gibbs measure of
     * its regulariser alone (a is the ridge optimum, set by the dynamics).
     */
    public static double[] start(TwoLayerNet net, Config c) {
        double[] theta = net.initialParameters();
        double scale = Math.sqrt(c.lambda() / c.lambdaW());
        for (int k = net.offset(Group.W); k < theta.length; k++) {
            theta[k] *= scale;
        }
        return theta;
    }

    /** The observation times: {@code observations} equally spaced times on (0, time], each a whole number of steps. */
    public static double[] times(Config c) {
        return ObservationTimes.wholeSteps(c.time(), c.eta(), c.observations());
    }

    // tag::experiment-tt-toy[]
    /** Runs the exact two-timescale dynamics from the prior and certifies every observation. */
    public static Result run(Config c) {
        TrainingProblem problem = problem(c);
        TwoTimescale tt = new TwoTimescale(problem, c.dynamics(), start(problem.net(), c));
        TwoTimescaleCertificate certificate = certificate(c);
        List<CertifiedBounds> bounds = new ArrayList<>();
        tt.run(times(c), certificate.recorder(problem.net(), bounds));
        return new Result(bounds, tt.parameters(), reference(c));
    }
    // end::experiment-tt-toy[]
}
