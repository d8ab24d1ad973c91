package twolayer.chapter.meanfield;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import twolayer.data.Teacher;
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
