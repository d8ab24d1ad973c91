package twolayer.data;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Points on the sphere of radius r in R^d, S^{d-1}(r) = { x : |x| = r }.
 * <ul>
 *   <li>{@link #sample}: n points drawn independently and uniformly (with respect to surface measure). A standard
 *       Gaussian vector g ~ N(0, I_d) is rotation invariant, so g / |g| is uniform on S^{d-1}
 *       (Muller 1959, "A note on a method for generating points uniformly on n-dimensional spheres",
 *       Comm. ACM 2(4):19-20). For d = 1 the "sphere" is {-r, +r}, each with probability 1/2.</li>
 *   <li>{@link #circleGrid}: the n evenly spaced points r (cos(2 pi i / n), sin(2 pi i / n)), i = 0..n-1, on the
 *       circle S^1; no randomness.</li>
 * </ul>
 * Arrays are (n, d) row-major. The same seed gives the same bits.
 */
public final class Sphere {

    private Sphere() {
    }

    /** n points uniform on the unit sphere S^{d-1}, from {@code new SplittableRandom(seed)}. */
    public static double[] sample(int n, int d, long seed) {
        return sample(n, d, 1.0, new SplittableRandom(seed));
    }

    /**
     * n points uniform on the sphere of the given radius in R^d.
     *
     * @param radius r (finite, > 0)
     * @param rng    source of the Gaussian draws (consumed in row order, d draws per point and more only in
     *               the probability-zero event of an all-zero draw)
     * @return (n, d) row-major
     */
    public static double[] sample(int n, int d, double radius, RandomGenerator rng) {
        int size = Args.size(n, d);
        Args.positive(radius, "radius");
        Objects.requireNonNull(rng, "rng");
        double[] x = new double[size]; // (n, d)
        for (int i = 0; i < n; i++) {
            int from = i * d;
            // Draw g ~ N(0, I_d) and project it onto the sphere: x = r g / |g|
            double norm;
            do {
                for (int k = 0; k < d; k++) {
                    x[from + k] = rng.nextGaussian();
                }
                norm = Args.scaleToNorm(x, from, d, radius);
            } while (norm == 0.0);
        }
        return x;
    }

    /** The n evenly spaced points (cos(2 pi i / n), sin(2 pi i / n)) on the unit circle, (n, 2). */
    public static double[] circleGrid(int n) {
        return circleGrid(n, 1.0);
    }

    /** The n evenly spaced points r (cos(2 pi i / n), sin(2 pi i / n)) on the circle of radius r, (n, 2). */
    public static double[] circleGrid(int n, double radius) {
        Args.size(n, 2);
        Args.positive(radius, "radius");
        double[] x = new double[2 * n]; // (n, 2)
        for (int i = 0; i < n; i++) {
            double angle = 2.0 * Math.PI * i / n;
            x[2 * i] = radius * Math.cos(angle);
            x[2 * i + 1] = radius * Math.sin(angle);
        }
        return x;
    }
}
