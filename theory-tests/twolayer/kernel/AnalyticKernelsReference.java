package twolayer.kernel;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import twolayer.model.Activation;

/**
 * An independent route to the analytic kernels, for the reference tests and claim NTK-1: the defining expectations
 * E g(u, v) integrated numerically over the plane, sharing no formula with {@link AnalyticKernels}.
 *
 * <ol>
 *   <li>Factor. With the augmented inputs xt = (kW x, sigmaB), (u, v) = (&lt;g, xt&gt;, &lt;g, xt'&gt;) for
 *       g ~ N(0, I). A Householder QR of the (dim x 2) matrix [xt xt'] (commons-math3) gives
 *       [xt xt'] = Q R, so (u, v) = (R11 z1, R12 z1 + R22 z2) with z ~ N(0, I_2) and q = R^T R. Householder QR is
 *       backward stable, so R22 = |xt'| sin(theta) keeps its relative accuracy for nearly (anti)parallel inputs.</li>
 *   <li>Integrate in polar coordinates z = r (cos phi, sin phi):
 *       E g(u, v) = (1/2pi) int_0^{2pi} dphi int_0^inf dr r e^{-r^2/2} g(r alpha(phi), r beta(phi)),
 *       alpha = R11 cos phi, beta = R12 cos phi + R22 sin phi. Both integrals use commons-math3's
 *       IterativeLegendreGaussIntegrator (16-point Gauss-Legendre panels, refined until two stages agree to
 *       1e-14 relative or 1e-17 times the scale q11 + q22 absolute). The radial integral stops at r = 10: the tail is at most (R^2 + 2) e^{-R^2/2} ~ 2e-20
 *       for integrands growing like r^2.</li>
 *   <li>Kinks. relu and its derivative are not smooth where u = 0 or v = 0, the rays phi where alpha or beta
 *       vanishes; these angles are panel boundaries, so on every panel the integrand is analytic in phi and r and
 *       Gauss-Legendre converges geometrically.</li>
 * </ol>
 */
final class AnalyticKernelsReference {

    /** The covariance and the two expectations. */
    record Expectations(double q11, double q12, double q22, double sigma, double sigmaDot) {}

    static final double R_MAX = 10.0;
    static final int POINTS = 16;
    static final double RELATIVE_ACCURACY = 1e-14;
    /** Panels narrower than this (radians) are integrated by the midpoint rule. */
    static final double TINY_PANEL = 1e-8;

    private AnalyticKernelsReference() {
    }

    /** The reference NNGP or NTK of the options at (x, x'). */
    static double kernel(AnalyticKernels.Options o, double[] x, double[] xPrime) {
        Expectations e = expectations(o, x, xPrime);
        double sV2 = o.sigmaV() * o.sigmaV();
        double b2 = o.sigmaB() == null ? 0.0 : o.sigmaB() * o.sigmaB();
        double nngp = sV2 * e.sigma() + b2;
        return o.kind() == AnalyticKernels.Kind.NNGP ? nngp : nngp + sV2 * e.sigmaDot() * e.q12();
    }

    /** Sigma and SigmaDot of the options' activation at (x, x'), with the covariance from the QR factor. */
    static Expectations expectations(AnalyticKernels.Options o, double[] x, double[] xPrime) {
        double[] r = factor(o, x, xPrime);
        double r11 = r[0], r12 = r[1], r22 = r[2];
        Activation s = o.activation();
        double sigma = expectation(r11, r12, r22, (u, v) -> s.value(u) * s.value(v));
        double sigmaDot = expectation(r11, r12, r22, (u, v) -> s.derivative(u) * s.derivative(v));
        return new Expectations(r11 * r11, r11 * r12, r12 * r12 + r22 * r22, sigma, sigmaDot);
    }

    /** {R11, R12, R22}: (u, v) = (R11 z1, R12 z1 + R22 z2), from a Householder QR of [xt xt']. */
    static double[] factor(AnalyticKernels.Options o, double[] x, double[] xPrime) {
        int d = x.length;
        double kW = o.fanInScaling() ? o.sigmaW() / Math.sqrt(d) : o.sigmaW();
        // [xt xt'] with one extra zero row, so that the factor has two rows even for d = 1 without biases
        RealMatrix a = new Array2DRowRealMatrix(d + 2, 2);
        for (int q = 0; q < d; q++) {
            a.setEntry(q, 0, kW * x[q]);
            a.setEntry(q, 1, kW * xPrime[q]);
        }
        if (o.sigmaB() != null) {
            a.setEntry(d, 0, o.sigmaB());
            a.setEntry(d, 1, o.sigmaB());
        }
        RealMatrix r = new QRDecomposition(a, 0.0).getR();
        return new double[] {r.getEntry(0, 0), r.getEntry(0, 1), r.getEntry(1, 1)};
    }

    /** E g(R11 z1, R12 z1 + R22 z2) for z ~ N(0, I_2), in polar coordinates with the kink rays as panel ends. */
    static double expectation(double r11, double r12, double r22, DoubleBinaryOperator g) {
        double twoPi = 2 * Math.PI;
        // absolute accuracy for panels whose integral cancels to ~0: 1e-17 of the size of g (relu grows like q)
        double absolute = 1e-17 * Math.max(1.0, r11 * r11 + r12 * r12 + r22 * r22);
        double[] cuts = new double[6];
        int count = 0;
        cuts[count++] = 0.0;
        cuts[count++] = twoPi;
        if (r11 != 0.0) {
            cuts[count++] = Math.PI / 2;                   // alpha = R11 cos phi = 0
            cuts[count++] = 3 * Math.PI / 2;
        }
        if (r12 != 0.0 || r22 != 0.0) {
            double perpendicular = Math.atan2(r22, r12) + Math.PI / 2;   // beta = <(R12, R22), (cos, sin)> = 0
            cuts[count++] = mod(perpendicular, twoPi);
            cuts[count++] = mod(perpendicular + Math.PI, twoPi);
        }
        double[] sorted = Arrays.copyOf(cuts, count);
        Arrays.sort(sorted);
        double total = 0.0;
        for (int k = 0; k + 1 < sorted.length; k++) {
            double lo = sorted[k], hi = sorted[k + 1];
            UnivariateFunction radial = phi -> {
                double alpha = r11 * Math.cos(phi), beta = r12 * Math.cos(phi) + r22 * Math.sin(phi);
                return integrator(absolute).integrate(Integer.MAX_VALUE,
                        rad -> rad * Math.exp(-0.5 * rad * rad) * g.applyAsDouble(rad * alpha, rad * beta), 0.0, R_MAX);
            };
            if (hi - lo < TINY_PANEL) {
                // A sliver between two nearly coincident kink rays (nearly (anti)parallel inputs): the midpoint rule,
                // whose error (hi - lo)^3 |F''| / 24 is below 1e-24 here
                total += (hi - lo) * radial.value(0.5 * (lo + hi));
                continue;
            }
            total += integrator(absolute).integrate(Integer.MAX_VALUE, radial, lo, hi);
        }
        return total / twoPi;
    }

    private static double mod(double angle, double period) {
        double m = angle % period;
        return m < 0 ? m + period : m;
    }

    private static IterativeLegendreGaussIntegrator integrator(double absolute) {
        return new IterativeLegendreGaussIntegrator(POINTS, RELATIVE_ACCURACY, absolute, 2, 200);
    }
}
