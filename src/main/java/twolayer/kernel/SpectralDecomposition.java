package twolayer.kernel;

/**
 * The eigendecomposition K = V diag(lambda) V^T of a real symmetric matrix by the cyclic Jacobi method
 * (Jacobi 1846; Rutishauser 1966, "The Jacobi method for real symmetric matrices", Numer. Math. 9:1-10;
 * Golub and Van Loan, "Matrix Computations", 4th ed., section 8.5).
 *
 * <p>Each rotation J(p, q, c, s) with c = 1/sqrt(1 + t^2), s = t c, where t is the smaller root of
 * t^2 + 2 theta t - 1 = 0 and theta = (K_qq - K_pp) / (2 K_pq), sets the entry (p, q) of J^T K J to zero:
 * <pre>
 *   K_pp &lt;- K_pp - t K_pq,   K_qq &lt;- K_qq + t K_pq,   K_pq &lt;- 0
 *   K_kp &lt;- c K_kp - s K_kq,  K_kq &lt;- s K_kp + c K_kq          (k != p, q)
 *   V    &lt;- V J
 * </pre>
 * Sweeps visit every pair (p &lt; q) row by row until a sweep finds nothing left to rotate; the off-diagonal mass
 * then falls quadratically, so a handful of sweeps suffice (Henrici 1958; Schonhage 1961).
 *
 * <p>Why Jacobi and not commons-math3's {@code EigenDecomposition} (Householder tridiagonalisation and the
 * implicit QL method of JAMA): the kernels here are often singular, with clusters of eigenvalues at zero, and the
 * caller needs the eigenvectors of those clusters to be orthonormal and the whole decomposition never to fail.
 * Jacobi has no iteration cap to hit (commons-math3's QL gives up after 30 iterations per eigenvalue with a
 * {@code MaxCountExceededException}, and its symmetry test sends a matrix that is symmetric only to rounding
 * down the non-symmetric Schur path), each rotation is exactly orthogonal, and it computes small eigenvalues of
 * well-scaled positive semi-definite matrices to high relative accuracy (Demmel and Veselic 1992, "Jacobi's method
 * is more accurate than QR", SIAM J. Matrix Anal. Appl. 13(4)), down to the noise floor below. On a rank-deficient
 * Gram (K = B B^T, B Gaussian of size n x n/2) commons-math3 3.6.1 throws "convergence failed" already at n = 100,
 * while Jacobi converges in 9 to 15 sweeps for n = 100 to 1000, rank-deficient or not.
 *
 * <p>The price is speed: about 6 n^3 flops per sweep, against about 9 n^3 in total for tridiagonalisation and QL.
 * Measured on the 2-core reference machine: about 0.1 s at n = 100, 1 s at n = 300, 40 s at n = 1000. So above
 * {@link #JACOBI_MAX_N} the decomposition is EJML's symmetric QR algorithm (Householder tridiagonalisation and
 * implicit QR with Wilkinson shifts; Golub and Van Loan, section 8.3), about a second at n = 1000, accepted only
 * if it converged and passes a backward-error check: ||K V - V Lambda||_max and ||V^T V - I||_max at most
 * 10 n eps max|K| and 10 n eps, a few times the backward error that a stable method guarantees. Otherwise Jacobi
 * runs after all. The QR path is accurate to ~n eps lambda_max in absolute terms, enough for the 1e-12 lambda_max
 * rank threshold of {@link KernelRegression} at the sizes where it is used.
 */
public final class SpectralDecomposition {

    /** The unit roundoff of double precision, 2^-53. */
    private static final double EPS = 0x1.0p-53;
    /** Far more sweeps than quadratic convergence ever needs (it takes under 15 for n in the thousands). */
    private static final int MAX_SWEEPS = 100;
    /** The largest order decomposed by Jacobi first; above it the (checked) symmetric QR algorithm is tried. */
    public static final int JACOBI_MAX_N = 200;

    private final int n;
    private final double[] lambda;   // (n), non-increasing
    private final double[] vt;       // (n, n) row-major: row q is the unit eigenvector of lambda[q]
    private final int sweeps;

    private SpectralDecomposition(int n, double[] lambda, double[] vt, int sweeps) {
        this.n = n;
        this.lambda = lambda;
        this.vt = vt;
        this.sweeps = sweeps;
    }

    /**
     * Decomposes the symmetric matrix k, (n, n) row-major (not modified). Only exact symmetry is assumed: the
     * caller symmetrises and validates.
     */
    public static SpectralDecomposition of(double[] k, int n) {
        if (n < 1 || k.length != (long) n * n) {
            throw new IllegalArgumentException("k: expected an (n, n) matrix with n >= 1, got " + k.length
                    + " values for n = " + n);
        }
        if (n > JACOBI_MAX_N) {
            SpectralDecomposition qr = symmetricQr(k, n);
            if (qr != null) {
                return qr;
            }
        }
        return jacobi(k, n);
    }

    /** EJML's symmetric QR algorithm, or null if it fails or its backward error is too large. */
    static SpectralDecomposition symmetricQr(double[] k, int n) {
        org.ejml.data.DMatrixRMaj m = new org.ejml.data.DMatrixRMaj(n, n, true, k.clone());
        org.ejml.interfaces.decomposition.EigenDecomposition_F64<org.ejml.data.DMatrixRMaj> eig =
                org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(m)) {
            return null;
        }
        double[] a = new double[n * n];   // diagonal of eigenvalues, in the layout sorted() expects
        double[] vt = new double[n * n];
        for (int q = 0; q < n; q++) {
            a[q * n + q] = eig.getEigenvalue(q).getReal();
            org.ejml.data.DMatrixRMaj v = eig.getEigenVector(q);
            if (v == null || !Double.isFinite(a[q * n + q])) {
                return null;
            }
            System.arraycopy(v.data, 0, vt, q * n, n);
        }
        double norm = 0.0;
        for (double x : k) {
            norm = Math.max(norm, Math.abs(x));
        }
        // Backward-error check: K v_q = lambda_q v_q and V^T V = I, to a few times what a stable method guarantees
        double residualBound = 10.0 * n * 2 * EPS * Math.max(norm, Double.MIN_NORMAL);
        double orthogonalityBound = 10.0 * n * 2 * EPS;
        for (int q = 0; q < n; q++) {
            double lambda = a[q * n + q];
            for (int i = 0; i < n; i++) {
                double kv = 0.0;
                for (int j = 0; j < n; j++) {
                    kv += k[i * n + j] * vt[q * n + j];
                }
                if (!(Math.abs(kv - lambda * vt[q * n + i]) <= residualBound)) {
                    return null;
                }
            }
            for (int r = q; r < n; r++) {
                double dot = 0.0;
                for (int j = 0; j < n; j++) {
                    dot += vt[q * n + j] * vt[r * n + j];
                }
                if (!(Math.abs(dot - (q == r ? 1.0 : 0.0)) <= orthogonalityBound)) {
                    return null;
                }
            }
        }
        return sorted(n, a, vt, 0);
    }

    /** The cyclic Jacobi method. */
    static SpectralDecomposition jacobi(double[] k, int n) {
        double[] a = k.clone();                        // (n, n), rotated towards diagonal form
        double[] vt = new double[n * n];               // (n, n), V^T: rotations act on its rows
        for (int i = 0; i < n; i++) {
            vt[i * n + i] = 1.0;
        }
        double norm = 0.0;
        for (double v : a) {
            norm = Math.max(norm, Math.abs(v));
        }
        // Entries of a Gram matrix carry rounding errors of a few ulps of max|K|. Below 8 eps max|K| an entry is
        // that noise: rotating it only reshuffles the eigenvectors of the cluster at zero (and costs sweeps).
        // Leaving such entries moves an eigenvalue by at most 8 n eps max|K| (Gershgorin): the backward error of
        // forming K itself, and below the 1e-12 lambda_max at which KernelRegression calls an eigenvalue zero.
        double floor = 8 * EPS * norm;
        int sweep = 0;
        boolean rotated = true;
        while (rotated) {
            if (sweep == MAX_SWEEPS) {
                throw new IllegalStateException("Jacobi eigendecomposition: no convergence after " + MAX_SWEEPS
                        + " sweeps (n = " + n + "); the matrix has non-finite entries or is not symmetric");
            }
            rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (rotate(a, vt, n, p, q, floor)) {
                        rotated = true;
                    }
                }
            }
            sweep++;
        }
        return sorted(n, a, vt, sweep);
    }

    /**
     * Annihilates K_pq by one rotation, unless it is already negligible: at most
     * eps sqrt(|K_pp K_qq|) in size (Demmel and Veselic's criterion, which keeps small
     * eigenvalues accurate), or below the absolute floor.
     */
    // tag::kernel-jacobi-rotation[]
    private static boolean rotate(double[] a, double[] vt, int n, int p, int q, double floor) {
        double apq = a[p * n + q];
        double app = a[p * n + p], aqq = a[q * n + q];
        if (Math.abs(apq) <= floor || Math.abs(apq) <= EPS * Math.sqrt(Math.abs(app) * Math.abs(aqq))) {
            return false;
        }
        // Choose the rotation: t = tan(angle), the smaller root of t^2 + 2 theta t - 1 = 0
        double theta = (aqq - app) / (2.0 * apq);
        double t = Math.abs(theta) > 1e150
                ? 0.5 / theta                                   // 1 + theta^2 would overflow
                : Math.copySign(1.0, theta) / (Math.abs(theta) + Math.sqrt(1.0 + theta * theta));
        double c = 1.0 / Math.sqrt(1.0 + t * t), s = t * c;
        // Rotate rows p and q (K is symmetric, so these are also its columns p and q)
        int rp = p * n, rq = q * n;
        for (int k = 0; k < n; k++) {
            double akp = a[rp + k], akq = a[rq + k];
            a[rp + k] = c * akp - s * akq;
            a[rq + k] = s * akp + c * akq;
        }
        a[rp + p] = app - t * apq;
        a[rq + q] = aqq + t * apq;
        a[rp + q] = 0.0;
        a[rq + p] = 0.0;
        // end::kernel-jacobi-rotation[]
        for (int k = 0; k < n; k++) {
            if (k != p && k != q) {
                a[k * n + p] = a[rp + k];
                a[k * n + q] = a[rq + k];
            }
        }
        // Accumulate V <- V J, i.e. rotate rows p and q of V^T
        for (int k = 0; k < n; k++) {
            double vp = vt[rp + k], vq = vt[rq + k];
            vt[rp + k] = c * vp - s * vq;
            vt[rq + k] = s * vp + c * vq;
        }
        return true;
    }

    private static SpectralDecomposition sorted(int n, double[] a, double[] vt, int sweeps) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // non-increasing eigenvalues; ties keep their index order, so the result is deterministic
        java.util.Arrays.sort(order, (i, j) -> Double.compare(a[j * n + j], a[i * n + i]));
        double[] lambda = new double[n];
        double[] v = new double[n * n];
        for (int q = 0; q < n; q++) {
            int from = order[q];
            lambda[q] = a[from * n + from];
            System.arraycopy(vt, from * n, v, q * n, n);
        }
        return new SpectralDecomposition(n, lambda, v, sweeps);
    }

    /** The order n. */
    public int n() {
        return n;
    }

    /** The eigenvalues in non-increasing order (a copy). */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    /** Eigenvalue q (0 is the largest). */
    public double eigenvalue(int q) {
        return lambda[q];
    }

    /** Coordinate i of the unit eigenvector of eigenvalue q. */
    public double eigenvector(int q, int i) {
        return vt[q * n + i];
    }

    /** The eigenvectors as the rows of an (n, n) row-major matrix V^T (a copy). */
    public double[] eigenvectorRows() {
        return vt.clone();
    }

    /** The number of Jacobi sweeps taken (the last one found nothing to rotate); 0 when the symmetric QR path was taken. */
    public int sweeps() {
        return sweeps;
    }
}
