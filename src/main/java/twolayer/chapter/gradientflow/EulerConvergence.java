package twolayer.chapter.gradientflow;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import twolayer.data.Dataset;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.GradientFlow;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingProblem;
import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * Gradient descent against gradient flow on one problem: the loss curves L(t) of descent at several step sizes
 * and of the flow, and the distance ||theta_GD(T) - theta_GF(T)|| at the final time, which the Euler
 * analysis of the gradient-flow chapter predicts to be O(eta) (claim FOUND-2).
 *
 * <p>The problem: n inputs x ~ N(0, I_d), target y = tanh(2 x_1) - x_d / 2, squared loss, a tanh net in the
 * ntk parameterisation (sigmaW = sigmaV = 1, sigmaB = 0.5).
 */
public final class EulerConvergence {

    /**
     * @param seed  seed of the data and of the initialisation
     * @param n     training points
     * @param d     input dimension
     * @param m     width
     * @param time  final time T
     * @param etas  step sizes; T / eta must be a whole multiple of {@code observations}
     * @param observations number of loss observations on [0, T]
     */
    public record Config(long seed, int n, int d, int m, double time, double[] etas, int observations) {
        public Config {
            if (n < 1 || d < 1 || m < 1) {
                throw new IllegalArgumentException("n, d, m: must be >= 1, got " + n + ", " + d + ", " + m);
            }
            if (!(time > 0)) {
                throw new IllegalArgumentException("time: must be > 0, got " + time);
            }
            if (observations < 1) {
                throw new IllegalArgumentException("observations: must be >= 1, got " + observations);
            }
            etas = etas.clone();
        }

        /** The configuration of the site's figure. */
        public static Config site() {
            return new Config(20261123L, 40, 3, 64, 4.0, new double[] {0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625}, 20);
        }
    }

    /** One loss curve: times and losses. */
    public record Curve(String label, double[] times, double[] losses) {
    }

    /**
     * @param flow     the gradient-flow loss curve
     * @param descent  one loss curve per step size
     * @param etas     the step sizes
     * @param errors   ||theta_GD(T) - theta_GF(T)|| per step size
     */
    public record Result(Curve flow, List<Curve> descent, double[] etas, double[] errors) {
    }

    private EulerConvergence() {
    }

    /** Runs the experiment. */
    public static Result run(Config c) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        double[] x = new double[c.n() * c.d()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] y = new double[c.n()];
        for (int i = 0; i < c.n(); i++) {
            y[i] = StrictMath.tanh(2 * x[i * c.d()]) - 0.5 * x[i * c.d() + c.d() - 1];
        }
        Dataset data = new Dataset(x, y, c.n(), c.d());
        TwoLayerNet net = TwoLayerNet.initialize(c.d(), c.m(), Activation.TANH,
                Parameterization.ntk(1.0, 1.0, 0.5), rng.nextLong());
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());

        double[] times = new double[c.observations() + 1];
        for (int k = 0; k <= c.observations(); k++) {
            times[k] = c.time() * k / c.observations();
        }
        GradientFlow flow = new GradientFlow(problem, GradientFlow.Config.precise());
        Recorder flowCurve = new Recorder();
        flow.run(times, flowCurve);
        double[] flowEnd = flow.parameters();

        List<Curve> descent = new ArrayList<>();
        double[] errors = new double[c.etas().length];
        for (int e = 0; e < c.etas().length; e++) {
            double eta = c.etas()[e];
            long steps = Math.round(c.time() / eta);
            if (steps % c.observations() != 0 || Math.abs(steps * eta - c.time()) > 1e-9 * c.time()) {
                throw new IllegalArgumentException("etas: T / eta = " + c.time() / eta
                        + " must be a whole multiple of the number of observations " + c.observations());
            }
            // observe at the flow's observation times, each a whole number of steps
            double[] at = new double[c.observations() + 1];
            for (int k = 0; k <= c.observations(); k++) {
                at[k] = (steps / c.observations()) * k * eta;
            }
            GradientDescent gd = new GradientDescent(problem, GradientDescent.Config.plain(eta));
            Recorder curve = new Recorder();
            gd.run(at, curve);
            descent.add(curve.curve("GD, eta = " + eta));
            double[] end = gd.parameters();
            double s = 0.0;
            for (int k = 0; k < end.length; k++) {
                s += (end[k] - flowEnd[k]) * (end[k] - flowEnd[k]);
            }
            errors[e] = Math.sqrt(s);
        }
        return new Result(flowCurve.curve("gradient flow"), descent, c.etas(), errors);
    }

    private static final class Recorder implements TrainingObserver {
        private final List<double[]> rows = new ArrayList<>();

        @Override
        public void observe(twolayer.dynamics.TrainingState s) {
            rows.add(new double[] {s.time(), s.loss()});
        }

        Curve curve(String label) {
            double[] t = new double[rows.size()], l = new double[rows.size()];
            for (int k = 0; k < rows.size(); k++) {
                t[k] = rows.get(k)[0];
                l[k] = rows.get(k)[1];
            }
            return new Curve(label, t, l);
        }
    }
}
