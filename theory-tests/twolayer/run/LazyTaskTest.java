package twolayer.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import twolayer.model.Loss;

/** Shapes, labels, the target scale of the regression task, and same seed, same bits. */
class LazyTaskTest {

    @Test
    void classificationHasSignedLabelsAndTheLogisticLoss() {
        LazyTask.Draw draw = LazyTask.classification(30, 7, 5).draw(1L);
        assertEquals(Loss.LOGISTIC, draw.loss());
        assertEquals(30, draw.train().n());
        assertEquals(7, draw.probes().n());
        for (int i = 0; i < 30; i++) {
            assertTrue(draw.train().y(i) == 1.0 || draw.train().y(i) == -1.0);
        }
    }

    @Test
    void regressionTargetsHaveTheRequestedStandardDeviation() {
        LazyTask.Draw draw = new LazyTask(LazyTask.Kind.REGRESSION, 40, 5, 6, 3, 2.5, 0.0).draw(2L);
        double[] y = draw.train().y();
        double mean = 0, ss = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        for (double v : y) {
            ss += (v - mean) * (v - mean);
        }
        assertEquals(2.5, Math.sqrt(ss / (y.length - 1)), 1e-12);
        assertEquals(Loss.SQUARED, draw.loss());
    }

    @Test
    void sameSeedSameBits() {
        LazyTask task = LazyTask.regression(20, 4, 3);
        assertArrayEquals(task.draw(5L).train().x(), task.draw(5L).train().x());
        assertArrayEquals(task.draw(5L).probes().y(), task.draw(5L).probes().y());
    }

    @Test
    void rejectsBadFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LazyTask(LazyTask.Kind.CLASSIFICATION, 10, 5, 3, 4, 1.0, 0.0));
        assertTrue(e.getMessage().startsWith("informative"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LazyTask(LazyTask.Kind.CLASSIFICATION, 10, 5, 3, 2, 1.0, 0.1));
    }
}
