package twolayer.kernel;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A Gauss-Hermite rule in probabilists' form: nodes z_i and weights p_i with
 * <pre>
 *   E g(Z) = sum_i p_i g(z_i) + error,   Z ~ N(0, 1),   exact for polynomials g of degree &lt;= 2n - 1,
 * </pre>
 * obtained from the physicists' rule for the weight e^{-t^2} (nodes t_i, weights w_i) by z = sqrt(2) t and
 * p = w / sqrt(pi).
 *
 * <p>Construction (Golub and Welsch 1969, "Calculation of Gauss quadrature rules"): the t_i are the eigenvalues
 * of the symmetric tridiagonal Jacobi matrix of the orthonormal Hermite polynomials, zero diagonal and
 * off-diagonal entries beta_k = sqrt(k / 2), k = 1..n-1. Each eigenvalue is isolated by bisection on a Sturm
 * sequence count and polished by Newton steps on the three-term recurrence
 * <pre>
 *   p_0 = pi^{-1/4},  p_1 = sqrt(2) t p_0,  p_{k+1} = t sqrt(2/(k+1)) p_k - sqrt(k/(k+1)) p_{k-1},  p_n' = sqrt(2n) p_{n-1},
 * </pre>
 * and the weight is the Christoffel number w_i = 1 / (n p_{n-1}(t_i)^2). This costs O(n^2) per rule, where
 * commons-math3's {@code GaussIntegratorFactory.hermite(n)} takes seconds beyond n = 256 (a reference test
 * checks that both agree).
 *
 * <p>Nodes with |t| &gt; {@value #T_MAX} are not kept: their weights are below e^{-49} ~ 5e-22 of the total, less
 * than the round-off of the sum for any integrand of polynomial growth, and for a rule of degree 1024 they
 * are four nodes out of five. Rules are computed once per degree and shared (they are immutable).
 */
public final class GaussHermite {

    /** Physicists' nodes beyond this |t| carry weight below e^{-T_MAX^2} ~ 5e-22 and are skipped. */
    public static final double T_MAX = 7.0;

    private static final ConcurrentHashMap<Integer, GaussHermite> RULES = new ConcurrentHashMap<>();

    private final int degree;
    private final double[] z;   // probabilists' nodes sqrt(2) t_i, ascending, only |t_i| <= T_MAX
    private final double[] p;   // probabilists' weights w_i / sqrt(pi)

    private GaussHermite(int degree, double[] z, double[] p) {
        this.degree = degree;
        this.z = z;
        this.p = p;
    }

    /** The rule of degree n (n &gt;= 1 nodes before skipping the negligible ones); cached. */
    public static GaussHermite of(int n) {
        if (n < 1 || n > 4096) {
            throw new IllegalArgumentException("degree: must be in [1, 4096], got " + n);
        }
        return RULES.computeIfAbsent(n, GaussHermite::compute);
    }

    /** The degree n (the number of nodes of the full rule). */
    public int degree() {
        return degree;
    }

    /** The number of nodes kept (those with |t| &lt;= T_MAX). */
    public int size() {
        return z.length;
    }

    /** Node i in probabilists' form, z_i = sqrt(2) t_i. */
    public double node(int i) {
        return z[i];
    }

    /** Weight i in probabilists' form, p_i = w_i / sqrt(pi). */
    public double weight(int i) {
        return p[i];
    }

    /** The nodes z_i without copying, for inner loops of this package. */
    double[] nodes() {
        return z;
    }

    /** The weights p_i without copying, for inner loops of this package. */
    double[] weights() {
        return p;
    }

    private static GaussHermite compute(int n) {
        // Count the eigenvalues of the Jacobi matrix in (0, T_MAX]. The spectrum is simple
        // and symmetric about 0, with t = 0 an eigenvalue exactly when n is odd, so the
        // first positive one has index floor(n/2) + (n mod 2)
        boolean odd = n % 2 == 1;
        int firstPositive = n / 2 + (odd ? 1 : 0);
        int positives = sturmCount(n, T_MAX) - firstPositive;
        double[] t = new double[positives];
        for (int k = 0; k < positives; k++) {
            // Isolate eigenvalue number firstPositive + k by bisection on the Sturm count
            double lo = 0.0, hi = T_MAX;
            int index = firstPositive + k;
            for (int it = 0; it < 200 && hi - lo > 2 * Math.ulp(hi); it++) {
                double mid = 0.5 * (lo + hi);
                if (sturmCount(n, mid) <= index) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            // tag::kernel-gauss-hermite-rule[]
            // Polish by Newton on p_n, whose derivative is sqrt(2n) p_{n-1}
            double root = 0.5 * (lo + hi);
            for (int it = 0; it < 2; it++) {
                double[] pp = orthonormalHermite(n, root);
                root -= pp[1] / (Math.sqrt(2.0 * n) * pp[0]);
            }
            t[k] = root;
        }
        // Mirror the positive nodes: z ascending, the centre node (odd n) at index positives
        int size = 2 * positives + (odd ? 1 : 0), centre = positives;
        double[] z = new double[size], p = new double[size];
        double sqrt2 = Math.sqrt(2.0), sqrtPi = Math.sqrt(Math.PI);
        for (int k = 0; k < positives; k++) {
            // Christoffel number w = 1 / (n p_{n-1}(t)^2); z = sqrt(2) t and p = w / sqrt(pi)
            double pn1 = orthonormalHermite(n, t[k])[0];
            double weight = 1.0 / (n * pn1 * pn1) / sqrtPi;
            z[size - positives + k] = sqrt2 * t[k];
            p[size - positives + k] = weight;
            z[centre - 1 - k] = -sqrt2 * t[k];
            p[centre - 1 - k] = weight;
        }
        // end::kernel-gauss-hermite-rule[]
        if (odd) {
            double pn1 = orthonormalHermite(n, 0.0)[0];
            z[centre] = 0.0;
            p[centre] = 1.0 / (n * pn1 * pn1) / sqrtPi;
        }
        return new GaussHermite(n, z, p);
    }

    // The number of eigenvalues below x of the n x n Jacobi matrix (zero diagonal,
    // off-diagonal sqrt(k/2)): the number of negative pivots of J - x I = L D L^T
    // (Sylvester's law of inertia).
    private static int sturmCount(int n, double x) {
        int count = 0;
        double pivot = -x;
        for (int k = 1; ; k++) {
            if (pivot == 0.0) {
                pivot = -1e-300;               // a zero pivot: perturb to the negative side
            }
            if (pivot < 0) {
                count++;
            }
            if (k == n) {
                return count;
            }
            pivot = -x - (0.5 * k) / pivot;        // beta_k^2 = k / 2
        }
    }

    /** {p_{n-1}(t), p_n(t)} of the orthonormal Hermite polynomials for the weight e^{-t^2}. */
    private static double[] orthonormalHermite(int n, double t) {
        double prev = 0.0, cur = Math.pow(Math.PI, -0.25);    // p_{-1} = 0, p_0
        for (int k = 0; k < n; k++) {
            double next = t * Math.sqrt(2.0 / (k + 1)) * cur - Math.sqrt((double) k / (k + 1)) * prev;
            prev = cur;
            cur = next;
        }
        return new double[] {prev, cur};
    }
}
