package twolayer.data;

import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import twolayer.model.Activation;

/**
 * The named synthetic data sets of the CLI and the experiments, each drawn from one seed.
 * <ul>
 *   <li>{@code sphere}: x_i uniform on the unit sphere S^(d-1), y_i ~ N(0, 1) independent of x (random labels:
 *       the memorisation setting of the NTK convergence theorems, which assume |x| = 1; Du, Zhai, Poczos, Singh
 *       2019, "Gradient descent provably optimizes over-parameterized neural networks", arXiv:1810.02054).</li>
 *   <li>{@code gaussian}: x_i ~ N(0, I_d), y_i ~ N(0, 1) independent of x (random labels).</li>
 *   <li>{@code single-index}: x_i ~ N(0, I_d), y_i = g(&lt;u, x_i&gt;) + noise xi_i with u uniform on S^(d-1)
 *       ({@link SingleIndexTeacher}).</li>
 *   <li>{@code teacher}: x_i ~ N(0, I_d), y_i = (1/k) sum_r a_r sigma(&lt;w_r, x_i&gt;) + noise xi_i
 *       ({@link TeacherNetwork#random}).</li>
 *   <li>{@code mixture}: y_i = +-1 with probability 1/2, x_i | y_i ~ N(y_i mu, I_d), |mu| = {@code mixtureMean}
 *       with a uniform direction ({@link GaussianMixture#random}).</li>
 * </ul>
 * Seeds: one {@code SplittableRandom(seed)} is consumed in a fixed order: for the teachers and the mixture,
 * first one {@code nextLong()} seeds the teacher (or the mixture's mean); then the inputs; then the labels
 * (random labels or label noise). The same spec gives the same bits.
 */
public final class SyntheticData {

    /** The kinds of synthetic data set; {@link #cliName()} is the CLI's spelling. */
    public enum Kind {
        SPHERE, GAUSSIAN, SINGLE_INDEX, TEACHER, MIXTURE;

        /** The lower-case, hyphenated name, e.g. {@code single-index}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether labels get additive Gaussian noise (only the teachers have clean labels to perturb). */
        public boolean hasLabelNoise() {
            return this == SINGLE_INDEX || this == TEACHER;
        }

        /** Parses a CLI name such as {@code single-index}. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.cliName().equalsIgnoreCase(name.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("data: unknown '" + name
                    + "'; allowed: sphere, gaussian, single-index, teacher, mixture");
        }
    }

    /**
     * @param kind              which data set
     * @param n                 number of points (>= 1)
     * @param d                 input dimension (>= 1)
     * @param seed              the one seed of every draw
     * @param noise             label-noise standard deviation (>= 0; only single-index and teacher use it)
     * @param link              the single-index link g
     * @param teacherWidth      the teacher network's number of units k (>= 1)
     * @param teacherActivation the teacher network's activation
     * @param mixtureMean       |mu| of the mixture (> 0)
     */
    public record Spec(Kind kind, int n, int d, long seed, double noise, Link link, int teacherWidth,
                       Activation teacherActivation, double mixtureMean) {
        public Spec {
            Objects.requireNonNull(kind, "kind");
            if (n < 1) {
                throw new IllegalArgumentException("n: number of points must be >= 1, got " + n);
            }
            if (d < 1) {
                throw new IllegalArgumentException("d: input dimension must be >= 1, got " + d);
            }
            if (!(noise >= 0) || !Double.isFinite(noise)) {
                throw new IllegalArgumentException("noise: must be finite and >= 0, got " + noise);
            }
            if (teacherWidth < 1) {
                throw new IllegalArgumentException("teacherWidth: must be >= 1, got " + teacherWidth);
            }
            if (!(mixtureMean > 0) || !Double.isFinite(mixtureMean)) {
                throw new IllegalArgumentException("mixtureMean: must be finite and > 0, got " + mixtureMean);
            }
            Objects.requireNonNull(link, "link");
            Objects.requireNonNull(teacherActivation, "teacherActivation");
        }
    }

    private SyntheticData() {
    }

    /** Draws the data set of the spec. */
    public static Dataset generate(Spec s) {
        SplittableRandom rng = new SplittableRandom(s.seed());
        int n = s.n(), d = s.d();
        return switch (s.kind()) {
            case SPHERE -> randomLabels(Sphere.sample(n, d, 1.0, rng), n, d, rng);
            case GAUSSIAN -> randomLabels(GaussianInputs.sample(n, d, 1.0, rng), n, d, rng);
            case SINGLE_INDEX -> labelled(SingleIndexTeacher.random(d, s.link(), rng.nextLong()), s, rng);
            case TEACHER -> labelled(TeacherNetwork.random(s.teacherWidth(), d, s.teacherActivation(), rng.nextLong()),
                    s, rng);
            case MIXTURE -> GaussianMixture.random(d, s.mixtureMean(), rng.nextLong()).sample(n, rng);
        };
    }

    /** Random labels y_i ~ N(0, 1), drawn after the inputs. */
    private static Dataset randomLabels(double[] x, int n, int d, SplittableRandom rng) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextGaussian();
        }
        return new Dataset(x, y, n, d);
    }

    /** Inputs x ~ N(0, I_d), then the teacher's labels with additive noise. */
    private static Dataset labelled(Teacher teacher, Spec s, SplittableRandom rng) {
        double[] x = GaussianInputs.sample(s.n(), s.d(), 1.0, rng); // (n, d)
        return teacher.dataset(x, s.noise(), rng);
    }
}
