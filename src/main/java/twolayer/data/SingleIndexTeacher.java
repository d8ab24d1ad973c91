package twolayer.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The single-index teacher f*(x) = g(&lt;u, x&gt;) with a unit direction u in R^d and a link g: the target
 * depends on x only through its projection on one hidden direction (e.g. Ben Arous, Gheissari, Jagannath 2021,
 * arXiv:2003.10409; Bietti, Bruna, Sanford, Song 2022, "Learning single-index models with shallow neural
 * networks", arXiv:2210.15651). Labels with noise come from {@link Teacher#dataset}.
 */
public final class SingleIndexTeacher implements Teacher {

    private final double[] u; // (d), |u| = 1
    private final Link g;

    private SingleIndexTeacher(double[] u, Link g) {
        this.u = u;
        this.g = g;
    }

    /**
     * The teacher with direction u / |u| (u is normalised, so any non-zero finite vector gives its direction).
     */
    public static SingleIndexTeacher of(double[] u, Link g) {
        double[] direction = Args.finite(u, "u");
        if (direction.length == 0 || Args.scaleToNorm(direction, 0, direction.length, 1.0) == 0.0) {
            throw new IllegalArgumentException("u: direction must be a non-zero vector of dimension d >= 1");
        }
        return new SingleIndexTeacher(direction, Objects.requireNonNull(g, "g"));
    }

    /** The teacher with a direction u drawn uniformly on S^{d-1} from {@code new SplittableRandom(seed)}. */
    public static SingleIndexTeacher random(int d, Link g, long seed) {
        return new SingleIndexTeacher(Sphere.sample(1, d, 1.0, new SplittableRandom(seed)), Objects.requireNonNull(g, "g"));
    }

    /** A copy of the unit direction u. */
    public double[] direction() {
        return u.clone();
    }

    /** The link g. */
    public Link link() {
        return g;
    }

    @Override
    public int d() {
        return u.length;
    }

    @Override
    public double value(double[] x, int from) {
        double z = 0.0;
        for (int k = 0; k < u.length; k++) {
            z += u[k] * x[from + k];
        }
        return g.value(z);
    }

    @Override
    public String toString() {
        return "SingleIndexTeacher[d=" + u.length + ", g=" + g + "]";
    }
}
