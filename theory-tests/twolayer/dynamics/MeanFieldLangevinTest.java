package twolayer.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import twolayer.data.Dataset;
import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** The MFLD trainer: its reduction to mean-field gradient descent, reproducibility and input checks. */
class MeanFieldLangevinTest {

    private static TrainingProblem problem(long seed, boolean biases) {
        SplittableRandom rng = new SplittableRandom(seed);
        int d = 3, m = 24, n = 10;
        Dataset data = GradientFlowClaims.data(rng, n, d);
        Parameterization p = biases ? Parameterization.meanField().withBiases(true, true) : Parameterization.meanField();
        TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.TANH, p, rng.nextLong());
        return new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
    }

    private static List<double[]> trajectory(Dynamics dynamics, double[] times) {
        List<double[]> out = new ArrayList<>();
        dynamics.run(times, s -> {
            double[] row = Arrays.copyOf(s.theta(), s.theta().length + 1);
            row[row.length - 1] = s.loss();
            out.add(row);
        });
        return out;
    }

    /** With lambda = lambdaA = lambdaW = 0 the MFLD step is the mean-field gradient-descent step, bit for bit. */
    @ParameterizedTest(name = "zero temperature reduces to mean-field GD bit for bit [seed={0}]")
    @ValueSource(longs = {1, 2, 3})
    void zeroTemperatureIsGradientDescentBitForBit(long seed) {
        TrainingProblem problem = problem(seed, seed == 2);
        double eta = 0.05;
        double[] times = {0.5, 1.0, 2.5};
        List<double[]> gd = trajectory(new GradientDescent(problem, GradientDescent.Config.plain(eta)), times);
        List<double[]> mfld = trajectory(new MeanFieldLangevin(problem,
                new MeanFieldLangevin.Config(eta, 0.0, 0.0, 0.0, 99L)), times);
        assertEquals(gd.size(), mfld.size());
        for (int k = 0; k < gd.size(); k++) {
            assertArrayEquals(gd.get(k), mfld.get(k), 0.0, "observation " + k + " differs");
        }
    }

    @Test
    void sameSeedSameBitsAndAnotherSeedDiffers() {
        TrainingProblem problem = problem(5, true);
        double[] times = {0.2, 0.4};
        var config = new MeanFieldLangevin.Config(0.01, 0.05, 0.1, 0.2, 7L);
        List<double[]> one = trajectory(new MeanFieldLangevin(problem, config), times);
        List<double[]> two = trajectory(new MeanFieldLangevin(problem, config), times);
        List<double[]> other = trajectory(new MeanFieldLangevin(problem,
                new MeanFieldLangevin.Config(0.01, 0.05, 0.1, 0.2, 8L)), times);
        for (int k = 0; k < one.size(); k++) {
            assertArrayEquals(one.get(k), two.get(k), 0.0);
        }
        assertFalse(Arrays.equals(one.get(1), other.get(1)));
    }

    /** The output bias c is not a particle coordinate: with no loss gradient on it, noise must not move it. */
    @Test
    void outputBiasIsNotDiffused() {
        TrainingProblem problem = problem(6, true);
        TwoLayerNet net = problem.net();
        MeanFieldLangevin mfld = new MeanFieldLangevin(problem, new MeanFieldLangevin.Config(0.01, 1.0, 0.0, 0.0, 3L));
        double[] grad = new double[net.parameterCount()];
        double[] theta = net.initialParameters();
        problem.lossAndGradient(theta, grad);
        int c = net.offset(twolayer.model.Group.C);
        double expected = theta[c] - 0.01 * problem.rate(twolayer.model.Group.C) * grad[c];
        mfld.step();
        assertEquals(expected, mfld.parameters()[c], 0.0);
        assertEquals(0.01, mfld.time(), 0.0);
    }

    @Test
    void rejectsInvalidConfigurationAndNonMeanFieldRates() {
        assertThrows(IllegalArgumentException.class, () -> new MeanFieldLangevin.Config(0, 0.1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MeanFieldLangevin.Config(0.1, -1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MeanFieldLangevin.Config(0.1, 0.1, Double.NaN, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MeanFieldLangevin.Config(0.1, 0.1, 0, -2, 1));
        SplittableRandom rng = new SplittableRandom(4);
        Dataset data = GradientFlowClaims.data(rng, 5, 2);
        TwoLayerNet ntk = TwoLayerNet.initialize(2, 8, Activation.TANH, Parameterization.ntk(1, 1), 1L);
        TrainingProblem problem = new TrainingProblem(ntk, data, Loss.SQUARED, Parallelism.sequential());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanFieldLangevin(problem, new MeanFieldLangevin.Config(0.1, 0.1, 0, 0, 1)));
        assertTrue(e.getMessage().contains("rho_a"), e.getMessage());
        MeanFieldLangevin ok = new MeanFieldLangevin(problem(1, false), new MeanFieldLangevin.Config(0.1, 0.1, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ok.run(new double[] {0.15}, TrainingObserver.none()));
    }
    /** A run that blows up stops with the step and a step size that respects both the kernel and the prior. */
    @Test
    void divergenceStopsWithStepAndSuggestion() {
        SplittableRandom rng = new SplittableRandom(8);
        Dataset data = GradientFlowClaims.data(rng, 20, 3);
        TwoLayerNet net = TwoLayerNet.initialize(3, 50, Activation.RELU, Parameterization.meanField(), 2L);
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        DivergenceException e = assertThrows(DivergenceException.class, () -> new MeanFieldLangevin(problem,
                new MeanFieldLangevin.Config(500.0, 0.01, 0.1, 0.1, 1L)).advance(10_000));
        assertTrue(e.getMessage().contains("step " + e.step()), e.getMessage());
        assertTrue(e.suggestedStepSize() > 0 && e.suggestedStepSize() <= 0.5 * 2.0 / 0.1, e.getMessage());
    }
}
