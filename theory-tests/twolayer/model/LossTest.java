package twolayer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Loss values and derivatives. */
class LossTest {

    @ParameterizedTest(name = "{0}: derivatives match central differences")
    @EnumSource(Loss.class)
    void derivativesMatchFiniteDifferences(Loss loss) {
        double h = 1e-5;
        for (double y : new double[] {-1.0, 1.0}) {
            for (double f = -5; f <= 5; f += 0.37) {
                double d1 = (loss.value(f + h, y) - loss.value(f - h, y)) / (2 * h);
                double d2 = (loss.derivative(f + h, y) - loss.derivative(f - h, y)) / (2 * h);
                assertEquals(d1, loss.derivative(f, y), 1e-8, loss + " l' at f=" + f + ", y=" + y);
                assertEquals(d2, loss.secondDerivative(f, y), 1e-8, loss + " l'' at f=" + f + ", y=" + y);
                assertEquals(true, loss.secondDerivative(f, y) <= loss.curvatureBound(), "curvature bound");
            }
        }
    }

    @ParameterizedTest(name = "{0}: reference values")
    @EnumSource(Loss.class)
    void referenceValues(Loss loss) {
        if (loss == Loss.SQUARED) {
            assertEquals(2.0, loss.value(3.0, 1.0), 0.0, "(3-1)^2/2");
        } else {
            assertEquals(Math.log(2), loss.value(0.0, 1.0), 1e-16);
            assertEquals(1000.0, loss.value(-1000.0, 1.0), 1e-12, "no overflow for large margins");
        }
    }
}
