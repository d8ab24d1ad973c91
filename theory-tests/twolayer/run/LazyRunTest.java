package twolayer.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import twolayer.dynamics.GradientDescent;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** One lazy run: its t = 0 boundary, its determinism, and the positive-output-weights initialisation. */
class LazyRunTest {

    static LazyRun.Config config(int m, double mu, long initSeed) {
        return new LazyRun.Config(LazyTask.classification(20, 8, 4), 3L, Parameterization.ntk(1.0, 1.0),
                Activation.TANH, m, LazyRun.Init.PRESET, initSeed, new GradientDescent.Config(0.5, mu, 0, 0L), 12, 4,
                true, true);
    }

    /** f_lin(theta0) = f(theta0): at t = 0 the gap, the weight changes and the kernel drift are exactly 0. */
    @Test
    void everythingStartsAtZero() {
        LazyRun.Result r = LazyRun.run(config(16, 0.0, 1L), Parallelism.sequential());
        assertEquals(0.0, r.times()[0], 0.0);
        assertEquals(0.0, r.gap()[0], 0.0);
        assertEquals(0.0, r.rdA()[0], 0.0);
        assertEquals(0.0, r.rdW()[0], 0.0);
        assertEquals(0.0, r.drift()[0], 0.0);
        assertEquals(r.trainLoss()[0], r.trainLossLinear()[0], 0.0);
        assertEquals(5, r.times().length);
        assertEquals(6.0, r.times()[4], 1e-15);
        assertTrue(r.finalGap() > 0 && r.finalRdW() > 0 && r.finalDrift() > 0);
    }

    @Test
    void sameBitsOnRerunAndForAnyThreadCount() {
        List<LazyRun.Config> configs = List.of(config(16, 0.5, 1L), config(24, 0.0, 2L), config(8, 0.9, 3L));
        List<LazyRun.Result> one = LazyRun.runAll(configs, 1), two = LazyRun.runAll(configs, 2);
        for (int k = 0; k < configs.size(); k++) {
            assertArrayEquals(one.get(k).gap(), two.get(k).gap());
            assertArrayEquals(one.get(k).rdW(), two.get(k).rdW());
            assertArrayEquals(one.get(k).drift(), two.get(k).drift());
            assertArrayEquals(one.get(k).probeLoss(), two.get(k).probeLoss());
        }
        assertArrayEquals(one.get(0).gap(), LazyRun.run(configs.get(0), Parallelism.available()).gap());
        LazyRun.Result concurrent = LazyRun.runOnTwoThreads(configs.get(0));
        assertArrayEquals(one.get(0).gap(), concurrent.gap());
        assertArrayEquals(one.get(0).trainLossLinear(), concurrent.trainLossLinear());
    }

    @Test
    void positiveOutputWeightsAreTheAbsoluteValuesOfTheSameDraw() {
        LazyRun.Config preset = config(10, 0.0, 4L);
        LazyRun.Config positive = new LazyRun.Config(preset.task(), preset.dataSeed(), preset.parameterization(),
                preset.activation(), preset.m(), LazyRun.Init.POSITIVE_OUTPUT_WEIGHTS, preset.initSeed(),
                preset.optimizer(), preset.steps(), preset.observations(), true, true);
        double[] a = LazyRun.net(preset).initialParameters(), b = LazyRun.net(positive).initialParameters();
        TwoLayerNet net = LazyRun.net(preset);
        for (int q = 0; q < a.length; q++) {
            boolean isA = q < net.offset(Group.A) + net.count(Group.A);
            assertEquals(isA ? Math.abs(a[q]) : a[q], b[q], 0.0);
        }
        assertThrows(IllegalArgumentException.class, () -> new LazyRun.Config(preset.task(), 1L,
                preset.parameterization().withAntisymmetricInit(true), Activation.TANH, 10,
                LazyRun.Init.POSITIVE_OUTPUT_WEIGHTS, 1L, preset.optimizer(), 1, 1, false, false));
    }
}
