package twolayer.kernel;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Kernel ridge regression with its ridge tuned on a hold-out split, the fixed-kernel baseline of the
 * two-timescale experiments. For a kernel k with training Gram K (n, n) and a ridge lambda,
 * <pre>
 *   f(x) = k(x, X) (K + n lambda I)^-1 y
 * </pre>
 * (the 1/(2n) squared-loss convention of the project, so that lambda is on the scale of the two-timescale
 * objective's lambdaA). Tuning, the same for every kernel so the comparison is fair: the last
 * {@code round(n * holdOut)} training points are held out; for each lambda = g * tr(K) / n on a fixed
 * logarithmic grid of g (the factor tr(K)/n makes the grid independent of the kernel's scale), the ridge is fitted
 * on the other points and scored on the held-out ones; the best g is then refitted on all n points and the test
 * error is reported. The test set plays no part in the choice.
 */
public final class KernelRidgeBaseline {

    /** The relative ridges g: 10^-7 .. 10^1 in half decades (17 values), wide enough that no kernel picks an end. */
    public static final double[] RELATIVE_RIDGES = grid(-7, 1, 2);

    /** The fraction of the training set held out for the choice of the ridge. */
    public static final double HOLD_OUT = 0.2;

    /**
     * What the tuning chose and the test error it reached.
     *
     * @param relativeRidge  the chosen g (lambda = g tr(K) / n)
     * @param validationMse  the held-out mean squared error at the chosen g
     * @param testMse        the test mean squared error of the refit on all n points
     * @param atGridEnd      whether the chosen g is the first or last of the grid (then the grid was too narrow)
     */
    public record Result(double relativeRidge, double validationMse, double testMse, boolean atGridEnd) {}

    private KernelRidgeBaseline() {
    }

    /**
     * Tunes the ridge on a hold-out split and returns the test error.
     *
     * @param kTrainTrain (n, n) Gram of the training inputs
     * @param kTestTrain  (nTest, n) kernel between test and training inputs
     * @param yTrain      (n) training labels (noisy)
     * @param yTest       (nTest) test targets (clean, so the error is the excess risk)
     */
    public static Result tuned(double[] kTrainTrain, double[] kTestTrain, double[] yTrain, double[] yTest) {
        int n = yTrain.length;
        int nTest = yTest.length;
        if (kTrainTrain.length != (long) n * n || kTestTrain.length != (long) nTest * n) {
            throw new IllegalArgumentException("kTrainTrain, kTestTrain: expected (" + n + ", " + n + ") and ("
                    + nTest + ", " + n + "), got " + kTrainTrain.length + " and " + kTestTrain.length + " entries");
        }
        int nVal = (int) Math.round(n * HOLD_OUT);
        int nFit = n - nVal;
        if (nVal < 1 || nFit < 1) {
            throw new IllegalArgumentException("yTrain: need n >= 3 points to hold out " + HOLD_OUT + ", got " + n);
        }
        // tag::experiment-krr-tuning[]
        double scale = trace(kTrainTrain, n) / n;
        // Fit on the first nFit points, score on the last nVal
        double[] kFit = new double[nFit * nFit];
        double[] kValFit = new double[nVal * nFit];
        for (int i = 0; i < nFit; i++) {
            System.arraycopy(kTrainTrain, i * n, kFit, i * nFit, nFit);
        }
        for (int i = 0; i < nVal; i++) {
            System.arraycopy(kTrainTrain, (nFit + i) * n, kValFit, i * nFit, nFit);
        }
        double[] yFit = java.util.Arrays.copyOf(yTrain, nFit);
        double[] yVal = java.util.Arrays.copyOfRange(yTrain, nFit, n);
        int best = -1;
        double bestMse = Double.POSITIVE_INFINITY;
        for (int g = 0; g < RELATIVE_RIDGES.length; g++) {
            double lambda = RELATIVE_RIDGES[g] * scale;
            double mse = mse(predict(kFit, kValFit, yFit, lambda), yVal);
            if (mse < bestMse) {
                bestMse = mse;
                best = g;
            }
        }
        if (best < 0) {
            throw new IllegalStateException(
                    "kernel ridge: every ridge on the grid failed (kernel not PSD?)");
        }
        double lambda = RELATIVE_RIDGES[best] * scale;
        double testMse = mse(predict(kTrainTrain, kTestTrain, yTrain, lambda), yTest);
        boolean atEnd = best == 0 || best == RELATIVE_RIDGES.length - 1;
        return new Result(RELATIVE_RIDGES[best], bestMse, testMse, atEnd);
        // end::experiment-krr-tuning[]
    }

    /**
     * The ridge predictions k(X_test, X) (K + n lambda I)^-1 y, by a Cholesky solve; NaNs if the shifted Gram is
     * not positive definite (so the caller's comparison of errors skips that ridge).
     */
    public static double[] predict(double[] kTrainTrain, double[] kTestTrain, double[] y, double lambda) {
        int n = y.length;
        int nTest = kTestTrain.length / n;
        DMatrixRMaj a = new DMatrixRMaj(n, n, true, kTrainTrain.clone());
        for (int i = 0; i < n; i++) {
            a.add(i, i, n * lambda);
        }
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(n);
        double[] f = new double[nTest];
        if (!chol.setA(a)) {
            java.util.Arrays.fill(f, Double.NaN);
            return f;
        }
        DMatrixRMaj alpha = new DMatrixRMaj(n, 1);
        chol.solve(new DMatrixRMaj(n, 1, true, y.clone()), alpha);
        for (int i = 0; i < nTest; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += kTestTrain[i * n + j] * alpha.data[j];
            }
            f[i] = s;
        }
        return f;
    }

    /** Mean squared error; NaN predictions give NaN, which never wins a comparison. */
    static double mse(double[] f, double[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            double e = f[i] - y[i];
            s += e * e;
        }
        return s / y.length;
    }

    private static double trace(double[] k, int n) {
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += k[i * n + i];
        }
        return t;
    }

    private static double[] grid(int fromExponent, int toExponent, int perDecade) {
        int count = (toExponent - fromExponent) * perDecade + 1;
        double[] g = new double[count];
        for (int i = 0; i < count; i++) {
            g[i] = Math.pow(10, fromExponent + (double) i / perDecade);
        }
        return g;
    }
}
