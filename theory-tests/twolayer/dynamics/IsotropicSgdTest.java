package twolayer.dynamics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.data.IsotropicGaussians;
import twolayer.model.Ramp;

/** MMN's online SGD step: its gradient, its time and its seeding. */
class IsotropicSgdTest {

    private static final IsotropicGaussians DATA = new IsotropicGaussians(5, 0.8);
    private static final Ramp RAMP = Ramp.mmn();

    static IsotropicSgd.Config config(int n, double eps, long seed) {
        return new IsotropicSgd.Config(DATA, RAMP, n, eps, 0.8 * Math.sqrt(5) * 0.5, seed);
    }

    /** The loss (y - (1/N) sum_i sigma(&lt;w_i, x&gt;))^2 of one sample. */
    static double loss(double[] w, double[] x, double y, int n, int d) {
        double yHat = 0.0;
        for (int i = 0; i < n; i++) {
            double z = 0.0;
            for (int k = 0; k < d; k++) {
                z += w[i * d + k] * x[k];
            }
            yHat += RAMP.value(z) / n;
        }
        return (y - yHat) * (y - yHat);
    }

    /**
     * One step is w_i &lt;- w_i - eps N grad_(w_i) (y - y-hat)^2: the sample is replayed from the documented draw order
     * (the N d initial coordinates, then y and x), and the gradient is taken by central differences
     * (step 1e-6; the ramp is linear between its kinks, so the difference is exact up to rounding unless a
     * pre-activation sits within 1e-6 of a kink, which the assertion message would show).
     */
    @Test
    void stepIsTheMeanFieldGradientStepOfTheSampleLoss() {
        int n = 7, d = DATA.d();
        double eps = 1e-3;
        long seed = 42L;
        // kappa = 2: pre-activations of order tau_y * 2, so most samples put some neuron on the slope (t1, t2)
        IsotropicSgd sgd = new IsotropicSgd(new IsotropicSgd.Config(DATA, RAMP, n, eps, 2.0, seed));
        SplittableRandom replay = new SplittableRandom(seed);
        for (int q = 0; q < n * d; q++) {
            replay.nextGaussian();
        }
        double[] x = new double[d];
        double h = 1e-6;
        int moved = 0;
        for (int k = 0; k < 10; k++) {
            double[] w0 = sgd.weights();
            double y = DATA.draw(replay, x);
            sgd.step();
            double[] w1 = sgd.weights();
            moved += Arrays.equals(w0, w1) ? 0 : 1;
            for (int q = 0; q < n * d; q++) {
                double[] up = w0.clone(), down = w0.clone();
                up[q] += h;
                down[q] -= h;
                double gradient = (loss(up, x, y, n, d) - loss(down, x, y, n, d)) / (2 * h);
                assertEquals(w0[q] - eps * n * gradient, w1[q], 1e-8, "step " + k + ", coordinate " + q);
            }
        }
        assertTrue(moved >= 5, "only " + moved + " of 10 steps moved a neuron");
        assertEquals(10 * eps, sgd.time(), 1e-15);
    }

    /**
     * z = W x on the product kernel (Products.productSequential) has the bits of the plain loop it replaced: 200 steps
     * replayed with the old loops, compared at tolerance 0 (N = 37, not a multiple of a block). Control, run once:
     * z in the four-way order instead of the sequential one fails it.
     */
    @Test
    void stepsHaveTheBitsOfThePlainLoop() throws InterruptedException {
        twolayer.linalg.Kernels.awaitWarm();   // the SIMD kernels, not the scalar twin that answers while they warm up
        int n = 37, d = DATA.d();
        double eps = 1e-3;
        long seed = 44L;
        IsotropicSgd sgd = new IsotropicSgd(new IsotropicSgd.Config(DATA, RAMP, n, eps, 2.0, seed));
        double[] w = sgd.weights();
        SplittableRandom replay = new SplittableRandom(seed);
        for (int q = 0; q < n * d; q++) {
            replay.nextGaussian();
        }
        double[] x = new double[d], z = new double[n];
        for (int step = 0; step < 200; step++) {
            sgd.step();
            double y = DATA.draw(replay, x);
            double yHat = 0.0;
            for (int i = 0; i < n; i++) {
                double zi = 0.0;
                for (int k = 0; k < d; k++) {
                    zi += w[i * d + k] * x[k];
                }
                z[i] = zi;
                yHat += RAMP.value(zi);
            }
            yHat /= n;
            double g = 2 * eps * (y - yHat);
            for (int i = 0; i < n; i++) {
                double gi = g * RAMP.derivative(z[i]);
                if (gi != 0.0) {
                    for (int k = 0; k < d; k++) {
                        w[i * d + k] += gi * x[k];
                    }
                }
            }
            assertArrayEquals(w, sgd.weights(), 0.0, "step " + step);
        }
    }

    @Test
    void sameSeedSameBitsAndTimeIsStepsTimesEps() {
        IsotropicSgd a = new IsotropicSgd(config(20, 1e-3, 7L));
        IsotropicSgd b = new IsotropicSgd(config(20, 1e-3, 7L));
        IsotropicSgd c = new IsotropicSgd(config(20, 1e-3, 8L));
        a.advanceTo(0.5);
        b.advanceTo(0.5);
        c.advanceTo(0.5);
        assertEquals(500, a.steps());
        assertArrayEquals(a.weights(), b.weights());
        assertFalse(Arrays.equals(a.weights(), c.weights()));
        double[] r = a.radii();
        double[] w = a.weights();
        assertEquals(Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2] + w[3] * w[3] + w[4] * w[4]), r[0], 1e-15);
    }

    @Test
    void rejectsBadConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config(0, 1e-3, 1L));
        assertTrue(e.getMessage().contains("width"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config(5, -1.0, 1L));
        assertTrue(e.getMessage().contains("eps"), e.getMessage());
        IsotropicSgd sgd = new IsotropicSgd(config(5, 0.3, 1L));
        e = assertThrows(IllegalArgumentException.class, () -> sgd.advanceTo(0.5));
        assertTrue(e.getMessage().contains("whole number"), e.getMessage());
    }
}
