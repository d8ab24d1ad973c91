package twolayer.data;

import java.util.Objects;
import java.util.SplittableRandom;
import twolayer.model.Activation;

/**
 * A two-layer teacher network with k hidden units and no biases,
 * <pre>
 *   f*(x) = (1/k) sum_{r=1..k} a_r sigma(&lt;w_r, x&gt;),
 * </pre>
 * the teacher of the teacher-student setting (the soft committee machine of Saad and Solla 1995, "On-line
 * learning in soft committee machines", Phys. Rev. E 52:4225, has all a_r = 1). {@link #random} draws
 * a_r ~ N(0, 1) and w_r uniform on the unit sphere S^{d-1}, so for x ~ N(0, I_d) every &lt;w_r, x&gt; ~ N(0, 1).
 * Labels with noise come from {@link Teacher#dataset}.
 */
public final class TeacherNetwork implements Teacher {

    private final double[] a; // (k)
    private final double[] w; // (k, d) row-major
    private final int k;
    private final int d;
    private final Activation sigma;

    private TeacherNetwork(double[] a, double[] w, int d, Activation sigma) {
        this.a = a;
        this.w = w;
        this.k = a.length;
        this.d = d;
        this.sigma = sigma;
    }

    /**
     * The teacher with the given weights.
     *
     * @param a output weights, (k), k >= 1, finite
     * @param w input weights, (k, d) row-major, finite
     * @param d input dimension (>= 1)
     */
    public static TeacherNetwork of(double[] a, double[] w, int d, Activation sigma) {
        double[] aCopy = Args.finite(a, "a");
        if (aCopy.length < 1) {
            throw new IllegalArgumentException("a: number of teacher units k must be >= 1, got 0");
        }
        int size = Args.size(aCopy.length, d);
        double[] wCopy = Args.finite(w, "w");
        if (wCopy.length != size) {
            throw new IllegalArgumentException("w: expected k*d = " + aCopy.length + "*" + d + " values, got " + wCopy.length);
        }
        return new TeacherNetwork(aCopy, wCopy, d, Objects.requireNonNull(sigma, "sigma"));
    }

    /**
     * A teacher with k units drawn from {@code new SplittableRandom(seed)}: first a_1..a_k ~ N(0, 1), then
     * w_1..w_k uniform on S^{d-1}.
     */
    public static TeacherNetwork random(int k, int d, Activation sigma, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("k: number of teacher units must be >= 1, got " + k);
        }
        Args.size(k, d);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] a = new double[k];
        for (int r = 0; r < k; r++) {
            a[r] = rng.nextGaussian();
        }
        double[] w = Sphere.sample(k, d, 1.0, rng);
        return new TeacherNetwork(a, w, d, Objects.requireNonNull(sigma, "sigma"));
    }

    /**
     * The teacher of the NTK-and-MF study's mean-field notebook (hendrydong/NTK-and-MF-examples, MF/MF.ipynb;
     * companion paper Fang, Dong, Zhang 2021, "Mathematical models of overparameterized neural networks",
     * Proc. IEEE 109(5), arXiv:2012.13982):
     * <pre>
     *   f*(x) = (1/4) sum_{r=1..4} sigmoid(&lt;theta*_r, x&gt;),  theta* = (2,0), (1,2), (2,1), (0,2),  d = 2.
     * </pre>
     * The notebook samples x ~ N(0, 100^2 I_2) ({@code GaussianInputs.sample(n, 2, 100, seed)}) and adds label
     * noise 0.1 N(0, 1) ({@code dataset(x, 0.1, seed)}).
     */
    public static TeacherNetwork meanFieldStudyTeacher() {
        double[] a = {1, 1, 1, 1};
        double[] thetaStar = {2, 0, 1, 2, 2, 1, 0, 2}; // (4, 2)
        return of(a, thetaStar, 2, Activation.SIGMOID);
    }

    /** Number of teacher units k. */
    public int k() {
        return k;
    }

    /** A copy of the output weights a, (k). */
    public double[] a() {
        return a.clone();
    }

    /** A copy of the input weights w, (k, d) row-major. */
    public double[] w() {
        return w.clone();
    }

    /** The activation sigma. */
    public Activation sigma() {
        return sigma;
    }

    @Override
    public int d() {
        return d;
    }

    @Override
    public double value(double[] x, int from) {
        // Sum the k units' outputs a_r sigma(<w_r, x>), then average
        double sum = 0.0;
        for (int r = 0; r < k; r++) {
            double z = 0.0;
            for (int j = 0; j < d; j++) {
                z += w[r * d + j] * x[from + j];
            }
            sum += a[r] * sigma.value(z);
        }
        return sum / k;
    }

    @Override
    public String toString() {
        return "TeacherNetwork[k=" + k + ", d=" + d + ", sigma=" + sigma + "]";
    }
}
