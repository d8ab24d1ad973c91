package twolayer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.ledger.Seeds;
import twolayer.model.Activation;

/** f*(x) = (1/k) sum_r a_r sigma(&lt;w_r, x&gt;): the formula, the mean-field study's teacher, seeding. */
class TeacherNetworkTest {

    static Stream<Long> seeds() {
        return Seeds.of(5);
    }

    /**
     * Reference values of the study's teacher (1/4) sum sigmoid(theta*_r . x), theta* = (2,0), (1,2), (2,1), (0,2),
     * from sigmoid(z) + sigmoid(-z) = 1 and sigmoid(0) = 1/2.
     */
    @Test
    void meanFieldStudyTeacherHasTheStudysValues() {
        TeacherNetwork t = TeacherNetwork.meanFieldStudyTeacher();
        assertEquals(4, t.k());
        assertEquals(2, t.d());
        assertEquals(Activation.SIGMOID, t.sigma());
        assertArrayEquals(new double[] {1, 1, 1, 1}, t.a(), 0.0);
        assertArrayEquals(new double[] {2, 0, 1, 2, 2, 1, 0, 2}, t.w(), 0.0);
        assertEquals(0.5, t.value(new double[] {0, 0}), 0.0);
        // theta* . (1, -1) = 2, -1, 1, -2: the terms cancel in pairs to 1 + 1
        assertEquals(0.5, t.value(new double[] {1, -1}), 1e-16);
        // theta* . (100, 0) = 200, 100, 200, 0: sigmoid is 1 to double precision for the first three
        assertEquals(0.875, t.value(new double[] {100, 0}), 0.0);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void labelsEqualTheFormula(long seed) {
        int k = 5;
        int d = 4;
        int n = 40;
        TeacherNetwork t = TeacherNetwork.random(k, d, Activation.TANH, seed);
        double[] a = t.a();
        double[] w = t.w();
        double[] x = GaussianInputs.sample(n, d, 1.0, seed + 1000);
        double[] y = t.labels(x);
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int r = 0; r < k; r++) {
                double z = 0;
                for (int j = 0; j < d; j++) {
                    z += w[r * d + j] * x[i * d + j];
                }
                f += a[r] * Math.tanh(z) / k;
            }
            // Averaging before vs after the sum differs by a few ulps of sum |a_r|
            assertEquals(f, y[i], 1e-14, "point " + i);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomTeacherIsSeededWithUnitInputWeights(long seed) {
        TeacherNetwork t = TeacherNetwork.random(6, 3, Activation.RELU, seed);
        double[] w = t.w();
        for (int r = 0; r < 6; r++) {
            double ss = w[3 * r] * w[3 * r] + w[3 * r + 1] * w[3 * r + 1] + w[3 * r + 2] * w[3 * r + 2];
            assertEquals(1.0, Math.sqrt(ss), 1e-12, "|w_" + r + "|");
        }
        TeacherNetwork same = TeacherNetwork.random(6, 3, Activation.RELU, seed);
        assertArrayEquals(t.a(), same.a(), 0.0);
        assertArrayEquals(w, same.w(), 0.0);
        assertFalse(Arrays.equals(t.a(), TeacherNetwork.random(6, 3, Activation.RELU, seed + 1).a()));
    }

    @Test
    void noisyDatasetKeepsInputsAndIsSeeded() {
        TeacherNetwork t = TeacherNetwork.meanFieldStudyTeacher();
        double[] x = GaussianInputs.sample(100, 2, 100.0, 9L);
        Dataset data = t.dataset(x, 0.1, 10L);
        assertArrayEquals(x, data.x(), 0.0);
        assertArrayEquals(data.y(), t.dataset(x, 0.1, 10L).y(), 0.0);
        assertFalse(Arrays.equals(data.y(), t.dataset(x, 0.1, 11L).y()));
    }

    @Test
    void invalidArgumentsNameTheField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TeacherNetwork.random(0, 2, Activation.RELU, 1L))
                .getMessage().startsWith("k:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TeacherNetwork.random(2, 0, Activation.RELU, 1L))
                .getMessage().startsWith("d:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TeacherNetwork.of(new double[] {1, 1}, new double[3], 2, Activation.RELU)).getMessage().startsWith("w:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TeacherNetwork.of(new double[] {1, Double.NaN}, new double[4], 2, Activation.RELU)).getMessage().startsWith("a:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TeacherNetwork.of(new double[0], new double[0], 2, Activation.RELU)).getMessage().startsWith("a:"));
    }
}
