package twolayer.chapter.meanfield;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import twolayer.data.GaussianInputs;
import twolayer.data.Teacher;
import twolayer.data.TeacherNetwork;
import twolayer.measure.ParticleDiagnostics;
import twolayer.measure.Particles;
import twolayer.model.Activation;

/**
 * Small networks built from a trained wide one (Fang, Dong, Zhang 2021; hendrydong/NTK-and-MF-examples,
 * Repopulation/): k hidden units are chosen, frozen, and only the output layer is refit by least squares.
 * The hidden units come from one of four sources:
 * <ul>
 *   <li>{@link Source#INITIAL}: fresh draws from the initial law N(0, I_d) (random features);</li>
 *   <li>{@link Source#UNIFORM}: neurons of the trained net picked uniformly, with replacement;</li>
 *   <li>{@link Source#IMPORTANCE}: neurons picked with probability P_j proportional to
 *       |a_j| std_x sigma(&lt;w_j, x&gt;), the study's importance (its main_mnist_10000_is.py);</li>
 *   <li>{@link Source#REPOPULATED}: fresh draws from the learned measure smoothed by a Gaussian kernel,
 *       w = w_J + h xi with J ~ P and xi ~ N(0, I_d) ("feature repopulation").</li>
 * </ul>
 * The refit: c = argmin (1/n) sum_i (sum_r c_r sigma(&lt;w_r, x_i&gt;) - y_i)^2 + ridge ||c||^2, solved by Cholesky
 * (the ridge, 1e-10 times the mean diagonal of the Gram matrix, only guards against repeated units).
 */
public final class Repopulation {

    /** Where the k hidden units come from. */
    public enum Source { INITIAL, UNIFORM, IMPORTANCE, REPOPULATED }

    private Repopulation() {
    }

    /**
     * The whole experiment of claim MF-4 (mean-field chapter, section "Small networks from the learned measure").
     *
     * @param student     the trained student's run (its seed also seeds the samples and draws below)
     * @param units       hidden units k of each small network
     * @param draws       small networks per source (the medians are over them)
     * @param bandwidth   kernel bandwidth h of {@link Source#REPOPULATED}
     * @param idle        idle units (a = 0, w from the initial law) added per trained unit for the
     *                    importance-against-uniform contrast
     * @param nImportance inputs over which the importance P_j is estimated
     * @param nTrain      training points of the refit
     * @param nTest       test points
     * @param labelNoise  standard deviation of the refit's label noise
     */
    public record Config(TeacherStudent.Config student, int units, int draws, double bandwidth, int idle,
                         int nImportance, int nTrain, int nTest, double labelNoise) {
        public Config {
            java.util.Objects.requireNonNull(student, "student");
            if (units < 1 || draws < 1 || idle < 0 || nImportance < 2 || nTrain < 1 || nTest < 1) {
                throw new IllegalArgumentException("units, draws, nTrain, nTest >= 1, idle >= 0, nImportance >= 2"
                        + " required, got " + units + ", " + draws + ", " + nTrain + ", " + nTest + ", " + idle + ", "
                        + nImportance);
            }
            if (!(bandwidth >= 0) || !Double.isFinite(bandwidth) || !(labelNoise >= 0) || !Double.isFinite(labelNoise)) {
                throw new IllegalArgumentException("bandwidth, labelNoise: must be finite and >= 0, got " + bandwidth
                        + ", " + labelNoise);
            }
        }

        /**
         * The claim's setting: the m = 400 schedule of MF-3 (2000 steps, batches of 500, ridge 0.01) at m = 200,
         * k = 16 units, 20 draws, h = 0.02, 19 idle units per trained one, 1000 importance inputs, 2000 training and
         * 2000 test points at the study's input scale 100, label noise 0.1.
         */
        public static Config claim(long seed) {
            return new Config(TeacherStudent.Config.study(400, seed).scaled(2000, 0, 500).withWidth(200), 16, 20,
                    0.02, 19, 1000, 2000, 2000, 0.1);
        }
    }

    /**
     * What {@link #run} measured.
     *
     * @param errors        per source (in {@link Source} order), the test error of each draw
     * @param idleErrors    with the idle units added: the errors of uniform (row 0) and importance (row 1) draws
     * @param participation the participation number of P on the trained student
     * @param studentError  the student's own final test error
     */
    public record Result(double[][] errors, double[][] idleErrors, double participation, double studentError) {
        /** The median of each row. */
        public static double[] medians(double[][] rows) {
            double[] m = new double[rows.length];
            for (int s = 0; s < rows.length; s++) {
                double[] sorted = rows[s].clone();
                Arrays.sort(sorted);
                int n = sorted.length;
                m[s] = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
            }
            return m;
        }
    }

    /**
     * Trains the student, then draws small networks from each source and refits them; then the same with
     * {@code idle} idle units per trained unit, where uniform picks waste most units and importance picks none.
     * Every draw comes from one stream seeded by the student's seed, in the order of claim MF-4.
     */
    public static Result run(Config c) {
        TeacherStudent.Run run = TeacherStudent.run(c.student());
        Particles p = Particles.of(run.net(), run.finalTheta());
        Teacher teacher = TeacherNetwork.meanFieldStudyTeacher();
        SplittableRandom rng = new SplittableRandom(c.student().seed());
        double[] xImportance = GaussianInputs.sample(c.nImportance(), 2, 100.0, rng.nextLong());
        double[] importance = importance(p, xImportance, Activation.SIGMOID);
        double[] xTrain = GaussianInputs.sample(c.nTrain(), 2, 100.0, rng.nextLong());
        double[] yTrain = teacher.dataset(xTrain, c.labelNoise(), rng.nextLong()).y();
        double[] xTest = GaussianInputs.sample(c.nTest(), 2, 100.0, rng.nextLong());
        Source[] sources = Source.values();
        double[][] errors = new double[sources.length][c.draws()];
        for (int s = 0; s < sources.length; s++) {
            for (int q = 0; q < c.draws(); q++) {
                double[] w = units(sources[s], p, importance, c.units(), c.bandwidth(), rng);
                errors[s][q] = refitTestError(w, 2, Activation.SIGMOID, xTrain, yTrain, xTest, teacher);
            }
        }
        int m = p.width();
        double[] aPadded = new double[(c.idle() + 1) * m], wPadded = new double[(c.idle() + 1) * m * 2];
        SplittableRandom padRng = new SplittableRandom(rng.nextLong());
        for (int j = 0; j < aPadded.length; j++) {
            aPadded[j] = j < m ? p.a(j) : 0;
            for (int q = 0; q < 2; q++) {
                wPadded[j * 2 + q] = j < m ? p.w(j, q) : padRng.nextGaussian();
            }
        }
        Particles padded = Particles.of(aPadded, wPadded, 2);
        double[] paddedImportance = importance(padded, xImportance, Activation.SIGMOID);
        Source[] paddedSources = {Source.UNIFORM, Source.IMPORTANCE};
        double[][] idleErrors = new double[2][c.draws()];
        for (int s = 0; s < 2; s++) {
            for (int q = 0; q < c.draws(); q++) {
                double[] w = units(paddedSources[s], padded, paddedImportance, c.units(), c.bandwidth(), rng);
                idleErrors[s][q] = refitTestError(w, 2, Activation.SIGMOID, xTrain, yTrain, xTest, teacher);
            }
        }
        return new Result(errors, idleErrors, ParticleDiagnostics.participationNumber(importance),
                run.finalTestError());
    }

    // tag::experiment-importance[]
    /**
     * P_j proportional to |a_j| times the standard deviation of sigma(&lt;w_j, x&gt;) over the
     * sample x ((n, d)).
     */
    public static double[] importance(Particles p, double[] x, Activation sigma) {
        int d = p.dimension(), n = x.length / d, m = p.width();
        double[] weight = new double[m];
        double total = 0.0;
        for (int j = 0; j < m; j++) {
            double mean = 0.0, sq = 0.0;
            for (int i = 0; i < n; i++) {
                double z = 0.0;
                for (int k = 0; k < d; k++) {
                    z += p.w(j, k) * x[i * d + k];
                }
                double s = sigma.value(z);
                mean += s;
                sq += s * s;
            }
            mean /= n;
            double std = Math.sqrt(Math.max(0.0, sq / n - mean * mean));
            weight[j] = Math.abs(p.a(j)) * std;
            total += weight[j];
        }
        for (int j = 0; j < m; j++) {
            weight[j] /= total;
        }
        return weight;
    }
    // end::experiment-importance[]

    /** k hidden units ((k, d) row-major) from the source; h is the kernel bandwidth of REPOPULATED. */
    public static double[] units(Source source, Particles p, double[] importance, int k, double h,
                                 SplittableRandom rng) {
        int d = p.dimension(), m = p.width();
        double[] w = new double[k * d];
        for (int r = 0; r < k; r++) {
            int j = switch (source) {
                case INITIAL -> -1;
                case UNIFORM -> rng.nextInt(m);
                case IMPORTANCE, REPOPULATED -> draw(importance, rng);
            };
            for (int q = 0; q < d; q++) {
                w[r * d + q] = switch (source) {
                    case INITIAL -> rng.nextGaussian();
                    case UNIFORM, IMPORTANCE -> p.w(j, q);
                    case REPOPULATED -> p.w(j, q) + h * rng.nextGaussian();
                };
            }
        }
        return w;
    }

    private static int draw(double[] probabilities, SplittableRandom rng) {
        double u = rng.nextDouble(), cumulative = 0.0;
        for (int j = 0; j < probabilities.length; j++) {
            cumulative += probabilities[j];
            if (u < cumulative) {
                return j;
            }
        }
        return probabilities.length - 1;
    }

    /**
     * Refits the output layer of the units w ((k, d)) by ridge-guarded least squares on (xTrain,
     * yTrain) and returns the test error mean (f - f*)^2 on xTest against the teacher.
     */
    // tag::experiment-refit[]
    public static double refitTestError(double[] w, int d, Activation sigma, double[] xTrain,
                                        double[] yTrain, double[] xTest, Teacher teacher) {
        int k = w.length / d, n = yTrain.length;
        double[][] phi = features(w, d, sigma, xTrain);      // (n, k)
        double[][] gram = new double[k][k];
        double[] rhs = new double[k];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < k; r++) {
                rhs[r] += phi[i][r] * yTrain[i] / n;
                for (int s = 0; s < k; s++) {
                    gram[r][s] += phi[i][r] * phi[i][s] / n;
                }
            }
        }
        double trace = 0.0;
        for (int r = 0; r < k; r++) {
            trace += gram[r][r];
        }
        for (int r = 0; r < k; r++) {
            gram[r][r] += 1e-10 * trace / k + Double.MIN_NORMAL;
        }
        RealMatrix g = new Array2DRowRealMatrix(gram, false);
        double[] c = new CholeskyDecomposition(g, 1e-14, 0.0).getSolver()
                .solve(new ArrayRealVector(rhs)).toArray();
                // end::experiment-refit[]
        double[][] test = features(w, d, sigma, xTest);
        double sum = 0.0;
        int nt = test.length;
        for (int i = 0; i < nt; i++) {
            double f = 0.0;
            for (int r = 0; r < k; r++) {
                f += c[r] * test[i][r];
            }
            double e = f - teacher.value(xTest, i * d);
            sum += e * e;
        }
        return sum / nt;
    }

    private static double[][] features(double[] w, int d, Activation sigma, double[] x) {
        int k = w.length / d, n = x.length / d;
        double[][] phi = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < k; r++) {
                double z = 0.0;
                for (int q = 0; q < d; q++) {
                    z += w[r * d + q] * x[i * d + q];
                }
                phi[i][r] = sigma.value(z);
            }
        }
        return phi;
    }
}
