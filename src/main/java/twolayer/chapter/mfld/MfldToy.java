package twolayer.chapter.mfld;

import java.util.ArrayList;
import java.util.List;
import twolayer.data.Dataset;
import twolayer.dynamics.MeanFieldLangevin;
import twolayer.dynamics.ObservationTimes;
import twolayer.dynamics.TrainingProblem;
import twolayer.measure.CertifiedBounds;
import twolayer.measure.GibbsCertificate;
import twolayer.measure.MfldGridSolver;
import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The MFLD regression toy of the mfld chapter: particles (a, w) in R^2, so that the certificate's integrals and
 * the reference solver are one-dimensional quadratures. A mean-field tanh net without biases,
 * f(x) = (1/m) sum_j a_j tanh(w_j x), is fitted to n points x_i equally spaced on [-1, 1] with the odd target
 * y = tanh(2x) (a bias-free odd net can only fit odd targets), by MFLD from the N(0, 1) initialisation, with the
 * certificate of {@link GibbsCertificate} observed along the run and the grid optimum of
 * {@link MfldGridSolver} as the reference.
 */
public final class MfldToy {

    /**
     * @param seed    seed of the initialisation and of the noise
     * @param n       training points
     * @param m       width (number of particles)
     * @param eta     MFLD step size
     * @param lambda  entropy temperature
     * @param lambdaA L2 strength on a
     * @param lambdaW L2 strength on w
     * @param time    final time
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

        /** The chapter's toy: lambda = 0.01, lambdaA = lambdaW = 0.2, eta = 0.05, T = 40. */
        public static Config chapter(long seed, int m) {
            return new Config(seed, 20, m, 0.05, 0.01, 0.2, 0.2, 40.0, 40);
        }

        /** The same toy with another step size and width. */
        public Config with(double newEta, int newM) {
            return new Config(seed, n, newM, newEta, lambda, lambdaA, lambdaW, time, observations);
        }
    }

    /** Half-width of the quadrature grid in w, and its nodes: the Gibbs marginals of the toy live in |w| &lt; 10. */
    public static final double W_MAX = 16.0;
    public static final int GRID_POINTS = 3201;

    /** A run: the certified bounds along time, the final particles and the grid reference. */
    public record Result(List<CertifiedBounds> bounds, double[] finalTheta, GibbsCertificate certificate,
            MfldGridSolver.Solution reference) {}

    private MfldToy() {}

    /** The toy's data: x_i equally spaced on [-1, 1], y_i = tanh(2 x_i). */
    public static Dataset data(int n) {
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -1.0 + 2.0 * i / (n - 1);
            y[i] = StrictMath.tanh(2 * x[i]);
        }
        return new Dataset(x, y, n, 1);
    }

    /** The certificate (and quadrature) of the toy. */
    public static GibbsCertificate certificate(Config c) {
        return new GibbsCertificate(data(c.n()), Activation.TANH, 1.0, c.lambda(), c.lambdaA(), c.lambdaW(),
                W_MAX, GRID_POINTS);
    }

    /** The grid optimum of the toy's free energy (gap below 1e-12). */
    public static MfldGridSolver.Solution reference(Config c) {
        return MfldGridSolver.solve(certificate(c), 0.2, 1e-12, 1000);
    }

    // tag::experiment-mfld-toy[]
    /** Runs MFLD from the N(0, 1) initialisation and certifies it at every observation. */
    public static Result run(Config c) {
        Dataset data = data(c.n());
        TwoLayerNet net = TwoLayerNet.initialize(1, c.m(), Activation.TANH, Parameterization.meanField(), c.seed());
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        MeanFieldLangevin mfld = new MeanFieldLangevin(problem,
                new MeanFieldLangevin.Config(c.eta(), c.lambda(), c.lambdaA(), c.lambdaW(), c.seed() ^ 0x5DEECE66DL));
        GibbsCertificate certificate = GibbsCertificate.forNet(net, data, c.lambda(), c.lambdaA(), c.lambdaW(),
                W_MAX, GRID_POINTS);
        double[] times = ObservationTimes.wholeSteps(c.time(), c.eta(), c.observations());
        List<CertifiedBounds> bounds = new ArrayList<>();
        mfld.run(times, certificate.recorder(c.m(), bounds));
        return new Result(bounds, mfld.parameters(), certificate, reference(c));
    }
    // end::experiment-mfld-toy[]
}
