package twolayer.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;
import twolayer.data.Dataset;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.Scale;
import twolayer.model.TwoLayerNet;

/** Gradient flow against a closed form, and the trainers' handling of bad input and divergence. */
class GradientFlowTest {

    /**
     * Training only the output weights is linear least squares: with features phi_ij = kA sigma(z_ij) and
     * K = Phi Phi^T, the outputs follow f(t) = y + exp(-t K / n) (f(0) - y). The flow's dense output must match
     * this closed form to the integrator's tolerance.
     */
    @Test
    void readoutOnlyFlowMatchesClosedForm() {
        SplittableRandom rng = new SplittableRandom(11);
        int d = 3, m = 20, n = 8;
        Dataset data = GradientFlowClaims.data(rng, n, d);
        Parameterization p = Parameterization.ntk(1.0, 1.0).withRates(Scale.constant(1), Scale.constant(0),
                Scale.constant(0), Scale.constant(0));
        TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.TANH, p, 3L);
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        double[] theta0 = net.initialParameters();
        // K = sum_j (df/da_j)(df/da_j)^T from the Jacobian rows
        RealMatrix phi = MatrixUtils.createRealMatrix(n, m);
        double[] row = new double[net.parameterCount()];
        for (int i = 0; i < n; i++) {
            net.jacobianRow(theta0, data.point(i), row);
            for (int j = 0; j < m; j++) {
                phi.setEntry(i, j, row[net.offset(Group.A) + j]);
            }
        }
        RealMatrix k = phi.multiply(phi.transpose());
        EigenDecomposition eig = new EigenDecomposition(k);
        double[] f0 = new double[n];
        net.outputs(theta0, problem.batch(), f0);
        RealVector residual0 = MatrixUtils.createRealVector(f0).subtract(MatrixUtils.createRealVector(data.y()));

        double[] times = {0.0, 0.5, 2.0, 10.0, 40.0};
        List<double[]> outputs = new ArrayList<>();
        new GradientFlow(problem, new GradientFlow.Config(1e-12, 1e-12, 1.0, 10_000_000)).run(times, s -> {
            double[] f = new double[n];
            net.outputs(s.theta(), problem.batch(), f);
            outputs.add(f);
        });
        for (int t = 0; t < times.length; t++) {
            RealVector coeffs = eig.getVT().operate(residual0);
            for (int q = 0; q < n; q++) {
                coeffs.setEntry(q, coeffs.getEntry(q) * Math.exp(-times[t] * eig.getRealEigenvalue(q) / n));
            }
            RealVector expected = eig.getV().operate(coeffs).add(MatrixUtils.createRealVector(data.y()));
            for (int i = 0; i < n; i++) {
                assertEquals(expected.getEntry(i), outputs.get(t)[i], 1e-8, "t=" + times[t] + ", i=" + i);
            }
        }
    }

    /**
     * The linearised model is linear in theta: its gradient equals the central difference to rounding (no
     * truncation error at all), and at theta0 it has the net's outputs and gradient.
     */
    @Test
    void linearizedModelHasTheTaylorModelsValueAndGradient() {
        SplittableRandom rng = new SplittableRandom(17);
        Dataset data = GradientFlowClaims.data(rng, 6, 3);
        TwoLayerNet net = TwoLayerNet.initialize(3, 8, Activation.TANH, Parameterization.ntk(1, 1, 0.5), 4L);
        TrainingProblem lin = TrainingProblem.linearized(net, data, Loss.SQUARED, Parallelism.sequential());
        TrainingProblem full = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        double[] theta0 = net.initialParameters();
        double[] g1 = new double[theta0.length], g2 = new double[theta0.length];
        assertEquals(full.lossAndGradient(theta0, g1), lin.lossAndGradient(theta0, g2), 1e-15);
        for (int k = 0; k < g1.length; k++) {
            assertEquals(g1[k], g2[k], 1e-14, "gradient at theta0, entry " + k);
        }
        double[] theta = theta0.clone();
        for (int k = 0; k < theta.length; k++) {
            theta[k] += 0.5 * rng.nextGaussian();
        }
        lin.lossAndGradient(theta, g2);
        double h = 1e-4;
        for (int k = 0; k < theta.length; k++) {
            double saved = theta[k];
            theta[k] = saved + h;
            double up = lin.loss(theta);
            theta[k] = saved - h;
            double down = lin.loss(theta);
            theta[k] = saved;
            // the loss is quadratic in theta, so the central difference is exact up to rounding eps L / h ~ 1e-11
            assertEquals((up - down) / (2 * h), g2[k], 1e-9, "linearised gradient, entry " + k);
        }
    }

    @Test
    void divergenceReportsStepAndSuggestsAStableStepSize() {
        SplittableRandom rng = new SplittableRandom(5);
        Dataset data = GradientFlowClaims.data(rng, 20, 3);
        TwoLayerNet net = TwoLayerNet.initialize(3, 50, Activation.RELU, Parameterization.ntk(1, 1, 1), 2L);
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> new GradientDescent(problem, GradientDescent.Config.plain(500.0)).advance(10_000));
        assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
        assertTrue(e.suggestedStepSize() > 0 && e.suggestedStepSize() < 500.0, e.getMessage());
        // the suggestion is stable: training with it does not diverge and reduces the loss
        GradientDescent safe = new GradientDescent(problem, GradientDescent.Config.plain(e.suggestedStepSize()));
        double before = problem.loss(net.initialParameters());
        safe.advance(200);
        assertTrue(problem.loss(safe.parameters()) < before, "the suggested step size trains");
    }

    @Test
    void gradientDescentRefusesTimesBetweenSteps() {
        SplittableRandom rng = new SplittableRandom(5);
        Dataset data = GradientFlowClaims.data(rng, 5, 2);
        TwoLayerNet net = TwoLayerNet.initialize(2, 4, Activation.TANH, Parameterization.meanField(), 2L);
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        GradientDescent gd = new GradientDescent(problem, GradientDescent.Config.plain(0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gd.run(new double[] {0.25}, TrainingObserver.none()));
        assertTrue(e.getMessage().contains("whole number of steps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> gd.run(new double[] {1.0, 0.5}, TrainingObserver.none()));
        assertThrows(IllegalArgumentException.class, () -> new GradientDescent.Config(0.1, 1.0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GradientDescent(problem, new GradientDescent.Config(0.1, 0, 6, 0)));
    }

    @Test
    void logisticLossNeedsSignLabels() {
        Dataset data = new Dataset(new double[] {1, 2}, new double[] {1, 0.5}, 2, 1);
        TwoLayerNet net = TwoLayerNet.initialize(1, 4, Activation.TANH, Parameterization.meanField(), 2L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainingProblem(net, data, Loss.LOGISTIC, Parallelism.sequential()));
        assertTrue(e.getMessage().contains("{-1, +1}"), e.getMessage());
    }

    @Test
    void timeIsEtaTimesSteps() {
        SplittableRandom rng = new SplittableRandom(5);
        Dataset data = GradientFlowClaims.data(rng, 5, 2);
        TwoLayerNet net = TwoLayerNet.initialize(2, 4, Activation.TANH, Parameterization.meanField(), 2L);
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        GradientDescent gd = new GradientDescent(problem, GradientDescent.Config.plain(0.05));
        gd.run(new double[] {0.5, 1.0}, TrainingObserver.none());
        assertEquals(20, gd.steps());
        assertEquals(1.0, gd.time(), 1e-15);
    }
}
