package twolayer.chapter.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.data.GaussianInputs;
import twolayer.data.TeacherNetwork;
import twolayer.measure.Particles;
import twolayer.model.Activation;

/** The refit and the importance weights on cases with known answers. */
class RepopulationTest {

    @Test
    void refitRecoversTheTeacherFromItsOwnUnits() {
        // The teacher's own four units: least squares finds c = 1/4 each, the test error is ~0 (no label noise)
        TeacherNetwork teacher = TeacherNetwork.meanFieldStudyTeacher();
        double[] x = GaussianInputs.sample(500, 2, 3.0, 1L);
        double[] y = teacher.labels(x);
        double[] xTest = GaussianInputs.sample(300, 2, 3.0, 2L);
        double error = Repopulation.refitTestError(teacher.w(), 2, Activation.SIGMOID, x, y, xTest, teacher);
        assertEquals(0.0, error, 1e-14);
    }

    @Test
    void importanceIsProportionalToOutputWeightTimesSpread() {
        // w_0 = 0 gives a constant unit (spread 0); w_1 and w_2 have the same spread, |a| = 1 and 3
        Particles p = Particles.of(new double[] {5, -1, 3}, new double[] {0, 0, 1, 0, 0, 1}, 2);
        double[] x = GaussianInputs.sample(4000, 2, 1.0, 3L);
        double[] P = Repopulation.importance(p, x, Activation.TANH);
        assertEquals(0.0, P[0], 0.0);
        assertEquals(1.0, P[0] + P[1] + P[2], 1e-15);
        assertEquals(0.25, P[1], 0.02);   // spreads of tanh(x_1), tanh(x_2) agree to sampling error ~1/sqrt(4000)
        double[] w = Repopulation.units(Repopulation.Source.IMPORTANCE, p, P, 50, 0.0, new SplittableRandom(4));
        for (int r = 0; r < 50; r++) {
            assertEquals(1.0, Math.hypot(w[2 * r], w[2 * r + 1]), 0.0);   // never the zero-spread unit
        }
    }
}
