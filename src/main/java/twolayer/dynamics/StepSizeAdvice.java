package twolayer.dynamics;

import java.util.SplittableRandom;
import twolayer.model.Batch;
import twolayer.model.Group;
import twolayer.model.TwoLayerNet;

/**
 * The largest stable step size of gradient descent near initialisation.
 *
 * <p>Linearising the net at theta0, one step of gradient descent on the training outputs is
 * f &lt;- f - (eta/n) Theta l'(f), with Theta = J R J^T the rate-weighted empirical NTK (R = diag(rho_g)).
 * For a loss with curvature l'' &lt;= c the iteration is stable iff eta &lt; 2n / (c lambda_max(Theta))
 * (the gradient-flow chapter derives it). lambda_max is found by power iteration with the net's
 * Jacobian-vector and vector-Jacobian products, so J is never formed.
 */
public final class StepSizeAdvice {
    private static final int ITERATIONS = 60;
    private static final long SEED = 0x5EEDL; // the start vector only affects convergence, not the limit

    private StepSizeAdvice() {
    }

    /** lambda_max of the rate-weighted empirical NTK Theta = J R J^T on the batch's inputs. */
    public static double largestKernelEigenvalue(TwoLayerNet net, double[] theta, Batch batch) {
        int n = batch.size();
        double[] v = new double[n];
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        double[] u = new double[net.parameterCount()];
        double[] kv = new double[n];
        double lambda = 0.0;
        for (int it = 0; it < ITERATIONS; it++) {
            double norm = Math.sqrt(dot(v, v));
            if (norm == 0.0 || !Double.isFinite(norm)) {
                return lambda;
            }
            for (int i = 0; i < n; i++) {
                v[i] /= norm;
            }
            net.vjp(theta, batch, v, u);
            for (Group g : Group.values()) {
                double rho = net.rate(g);
                int from = net.offset(g), to = from + net.count(g);
                for (int k = from; k < to; k++) {
                    u[k] *= rho;
                }
            }
            net.jvp(theta, batch, u, kv);
            lambda = dot(v, kv);
            System.arraycopy(kv, 0, v, 0, n);
        }
        return lambda;
    }

    /** The stability limit 2n / (c lambda_max) of gradient descent on the problem at theta. */
    public static double stabilityLimit(TrainingProblem problem, double[] theta) {
        double lambda = largestKernelEigenvalue(problem.net(), theta, problem.batch());
        return 2.0 * problem.batch().size() / (problem.lossFunction().curvatureBound() * lambda);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0.0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
