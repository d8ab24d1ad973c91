package twolayer.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The divergence rule's two bounds and its overflow-safe norm, on hand-made states. */
class DivergenceRuleTest {

    @Test
    void lossBoundIsRelativeToTheLargerOfTheStartAndTheNullLoss() {
        double[] theta = {1.0, 2.0};
        DivergenceRule rule = DivergenceRule.at(1e-6, theta, 0.5);   // start fits well: the null loss sets the scale
        assertNull(rule.violation(0.5 * 1e8, theta));
        assertNotNull(rule.violation(0.5 * 1e8 * 1.001, theta));
        assertTrue(rule.violation(Double.NaN, theta).contains("NaN"));
        assertTrue(rule.violation(Double.POSITIVE_INFINITY, theta).contains("Infinity"));
    }

    @Test
    void parameterBoundCatchesWeightsThatExplodeUnderAPlausibleLoss() {
        double[] theta0 = {3.0, 4.0};                                 // ||theta0|| = 5
        DivergenceRule rule = DivergenceRule.at(0.1, theta0, 0.1);
        assertNull(rule.violation(0.02, new double[] {3e8, 4e8}));     // exactly 1e8 times
        assertTrue(rule.violation(0.02, new double[] {3e8, 4.1e8}).contains("norm"));
        assertTrue(rule.violation(0.02, new double[] {1.0, Double.NaN}).contains("non-finite"));
        DivergenceRule small = DivergenceRule.at(0.1, new double[] {1e-3}, 0.1);  // a tiny start is measured against 1
        assertNull(small.violation(0.1, new double[] {1e7}));
    }

    @Test
    void normDoesNotOverflowBeforeTheParametersDo() {
        assertEquals(5e300, DivergenceRule.norm(new double[] {3e300, 4e300}), 1e286);
        assertEquals(5.0, DivergenceRule.norm(new double[] {3.0, 4.0}), 0.0);
        assertTrue(Double.isNaN(DivergenceRule.norm(new double[] {1e300, Double.NaN, 1e300})));
    }
}
