package twolayer.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The two eigendecomposition paths agree on what kernel regression uses: the spectrum and the range projector. */
class SpectralDecompositionTest {

    /**
     * A rank-deficient Gram K = B B^T (B Gaussian, n x n/2) above the Jacobi size: the checked symmetric QR path
     * is taken, and its eigenvalues and its projector onto the range agree with Jacobi's to a few n eps max|K|
     * (both methods are backward stable; the range is separated from the null space by a gap of order
     * lambda_min(B^T B), far larger than the perturbation).
     */
    @Test
    void symmetricQrAgreesWithJacobiOnARankDeficientGram() {
        int n = 240, r = n / 2;
        SplittableRandom rng = new SplittableRandom(8);
        double[] b = new double[n * r];
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextGaussian();
        }
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0.0;
                for (int q = 0; q < r; q++) {
                    s += b[i * r + q] * b[j * r + q];
                }
                k[i * n + j] = s;
                k[j * n + i] = s;
            }
        }
        SpectralDecomposition qr = SpectralDecomposition.symmetricQr(k, n);
        assertNotNull(qr, "the symmetric QR path converges and passes its backward-error check");
        SpectralDecomposition jacobi = SpectralDecomposition.jacobi(k, n);
        double lambdaMax = jacobi.eigenvalue(0);
        double tol = 100 * n * 0x1.0p-53 * lambdaMax;
        for (int q = 0; q < n; q++) {
            assertEquals(jacobi.eigenvalue(q), qr.eigenvalue(q), tol, "eigenvalue " + q);
        }
        double threshold = 1e-12 * lambdaMax;
        double worst = 0.0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                worst = Math.max(worst, Math.abs(projector(jacobi, threshold, i, j) - projector(qr, threshold, i, j)));
            }
        }
        assertEquals(0.0, worst, 1e-9, "range projectors");
        assertEquals(0, qr.sweeps());
        assertEquals(r, rank(qr, threshold));
        // the public entry point takes the QR path at this size
        assertEquals(0, SpectralDecomposition.of(k, n).sweeps());
    }

    private static double projector(SpectralDecomposition e, double threshold, int i, int j) {
        double p = 0.0;
        for (int q = 0; q < e.n(); q++) {
            if (e.eigenvalue(q) > threshold) {
                p += e.eigenvector(q, i) * e.eigenvector(q, j);
            }
        }
        return p;
    }

    private static int rank(SpectralDecomposition e, double threshold) {
        int r = 0;
        for (int q = 0; q < e.n(); q++) {
            if (e.eigenvalue(q) > threshold) {
                r++;
            }
        }
        return r;
    }
}
