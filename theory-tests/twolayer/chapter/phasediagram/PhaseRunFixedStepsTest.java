package twolayer.chapter.phasediagram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import twolayer.measure.WeightChange;
import twolayer.model.Batch;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * {@link PhaseRun#fixedSteps}, the replayable run behind phase-diagram.json: plain descent at a fixed step from a
 * given theta0, recording RD(theta_w) and L where asked; the experiment's own run starts from the same draw.
 */
class PhaseRunFixedStepsTest {

    static final Parameterization P = Parameterization.luo(1.0, 0.0);

    /** Step 0 is theta0 itself (RD 0, the loss of the zero output), and one step is theta0 - eta grad L. */
    @Test
    void stepZeroIsTheStartAndOneStepIsOneDescentStep() {
        TwoLayerNet net = PhaseRun.initialNet(P, 8, 3);
        double[] theta0 = net.initialParameters();
        PhaseRun.Trajectory t = PhaseRun.fixedSteps(P, theta0, 0.5, new long[] {0, 1});
        assertEquals(0.0, t.rdW()[0]);
        double[] y = PhaseTask.targets();
        double half = 0;
        for (double v : y) {
            half += v * v;
        }
        assertEquals(half / (2 * PhaseTask.N), t.loss()[0], 1e-15, "antisymmetric start: f = 0, L = |y|^2 / 2n");
        Batch batch = net.batch(PhaseTask.inputs(), PhaseTask.N, Parallelism.sequential());
        double[] grad = new double[theta0.length], one = theta0.clone();
        net.lossAndGradient(theta0, batch, y, Loss.SQUARED, grad);
        for (int k = 0; k < one.length; k++) {
            one[k] -= 0.5 * grad[k];     // rates 1 in the Luo preset
        }
        assertArrayEquals(one, t.theta());
        assertEquals(WeightChange.relative(net, theta0, one, Group.W), t.rdW()[1]);
        assertTrue(t.rdW()[1] > 0 && t.loss()[1] < t.loss()[0], "one step moves w and lowers the loss");
    }

    /** Recording more steps changes nothing: the run to 30 passes through the run to 10, bit for bit. */
    @Test
    void snapshotsDoNotDisturbTheRun() {
        double[] theta0 = PhaseRun.initialNet(P, 8, 5).initialParameters();
        PhaseRun.Trajectory some = PhaseRun.fixedSteps(P, theta0, 0.5, new long[] {0, 10, 30});
        PhaseRun.Trajectory ten = PhaseRun.fixedSteps(P, theta0, 0.5, new long[] {10});
        PhaseRun.Trajectory thirty = PhaseRun.fixedSteps(P, theta0, 0.5, new long[] {30});
        assertEquals(ten.rdW()[0], some.rdW()[1]);
        assertEquals(ten.loss()[0], some.loss()[1]);
        assertEquals(thirty.rdW()[0], some.rdW()[2]);
        assertArrayEquals(thirty.theta(), some.theta());
    }

    /** The experiment's run starts from initialNet's draw: its theta0 is that draw's. */
    @Test
    void theExperimentStartsFromTheSameDraw() {
        PhaseRun.Result r = PhaseRun.run(new PhaseRun.Config(P, 16, 7, 1e-1, 1000, 0.3));
        assertArrayEquals(PhaseRun.initialNet(P, 16, 7).initialParameters(), r.theta0());
    }

    @Test
    void badInputIsRefusedWithItsName() {
        double[] theta0 = PhaseRun.initialNet(P, 8, 3).initialParameters();
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PhaseRun.fixedSteps(P, new double[] {1, 2}, 0.5, new long[] {1})).getMessage().startsWith("theta0:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PhaseRun.fixedSteps(P, theta0, Double.NaN, new long[] {1})).getMessage().startsWith("eta:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PhaseRun.fixedSteps(P, theta0, 0.5, new long[] {3, 3})).getMessage().startsWith("at:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PhaseRun.fixedSteps(P, theta0, 0.5, new long[] {})).getMessage().startsWith("at:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PhaseRun.fixedSteps(P.withBiases(true, false), theta0, 0.5, new long[] {1})).getMessage()
                .startsWith("parameterization:"));
    }
}
