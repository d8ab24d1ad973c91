package twolayer.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The gap's two norms on hand-computed values, and its refusal to hide a diverged run. */
class LinearizationGapTest {

    @Test
    void maxAndRmsOfHandValues() {
        double[] f = {1.0, -2.0, 0.5}, g = {1.5, -2.0, -0.5};
        // differences -0.5, 0, 1: max 1, rms sqrt((0.25 + 0 + 1) / 3)
        assertEquals(1.0, LinearizationGap.maxAbsDifference(f, g), 0.0);
        assertEquals(Math.sqrt(1.25 / 3), LinearizationGap.rmsDifference(f, g), 1e-16);
    }

    @Test
    void nanIsNotASmallGap() {
        assertTrue(Double.isNaN(LinearizationGap.maxAbsDifference(new double[] {0, Double.NaN}, new double[] {0, 0})));
    }

    @Test
    void rejectsMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearizationGap.maxAbsDifference(new double[2], new double[3]));
        assertTrue(e.getMessage().contains("2 and 3"), e.getMessage());
    }
}
