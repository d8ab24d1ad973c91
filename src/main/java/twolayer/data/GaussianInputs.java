package twolayer.data;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * n independent inputs x_i ~ N(0, s^2 I_d): every coordinate is an independent centred Gaussian with standard
 * deviation s. (The mean-field study's online batches are x ~ N(0, 100^2 I_2); see
 * {@link TeacherNetwork#meanFieldStudyTeacher()}.) Arrays are (n, d) row-major; the same seed gives the same bits.
 */
public final class GaussianInputs {

    private GaussianInputs() {
    }

    /** n points from N(0, s^2 I_d), drawn from {@code new SplittableRandom(seed)}. */
    public static double[] sample(int n, int d, double s, long seed) {
        return sample(n, d, s, new SplittableRandom(seed));
    }

    /**
     * n points from N(0, s^2 I_d).
     *
     * @param s   standard deviation of each coordinate (finite, > 0)
     * @param rng source of the draws, consumed in row-major order, one draw per coordinate
     * @return (n, d) row-major
     */
    public static double[] sample(int n, int d, double s, RandomGenerator rng) {
        int size = Args.size(n, d);
        Args.positive(s, "s");
        Objects.requireNonNull(rng, "rng");
        double[] x = new double[size]; // (n, d)
        for (int i = 0; i < size; i++) {
            x[i] = s * rng.nextGaussian();
        }
        return x;
    }
}
