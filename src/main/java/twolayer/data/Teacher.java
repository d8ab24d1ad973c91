package twolayer.data;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A target function f*: R^d -> R that labels inputs, y_i = f*(x_i) + noise * xi_i with xi_i ~ N(0, 1) independent
 * (additive Gaussian label noise of standard deviation {@code noise}; noise = 0 gives the clean labels and draws
 * nothing).
 */
public interface Teacher {

    /** Input dimension d. */
    int d();

    /** f*(x) at the point stored in x[from .. from + d). */
    double value(double[] x, int from);

    /** f*(point), for a point of length d. */
    default double value(double[] point) {
        if (point == null || point.length != d()) {
            throw new IllegalArgumentException("point: expected d = " + d() + " coordinates, got "
                    + (point == null ? "none" : point.length));
        }
        return value(point, 0);
    }

    /** The clean labels f*(x_i) of the inputs x, (n, d) row-major; returns (n). */
    default double[] labels(double[] x) {
        int d = d();
        int n = Args.rows(x, d, "x");
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = value(x, i * d);
        }
        return y;
    }

    /** The data set (x, f*(x) + noise * xi) with the noise drawn from {@code new SplittableRandom(seed)}. */
    default Dataset dataset(double[] x, double noise, long seed) {
        return dataset(x, noise, new SplittableRandom(seed));
    }

    /**
     * The data set (x, f*(x) + noise * xi), xi ~ N(0, I_n).
     *
     * @param x     inputs, (n, d) row-major
     * @param noise label-noise standard deviation (finite, >= 0)
     * @param rng   source of the noise, one draw per point in row order (none when noise = 0)
     */
    default Dataset dataset(double[] x, double noise, RandomGenerator rng) {
        Args.nonNegative(noise, "noise");
        Objects.requireNonNull(rng, "rng");
        double[] y = labels(x);
        if (noise > 0) {
            for (int i = 0; i < y.length; i++) {
                y[i] += noise * rng.nextGaussian();
            }
        }
        return new Dataset(x, y, y.length, d());
    }
}
