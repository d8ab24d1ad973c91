package twolayer.kernel;

import twolayer.model.Activation;

/**
 * How far the empirical NTK of a width-m net of the ntk preset is from its limit at initialisation.
 *
 * <p>With a_j, w_j, b_j independent N(0, 1), the empirical NTK ({@link EmpiricalNtk}) is an average of m independent,
 * identically distributed per-neuron summands plus the constant sigmaB^2:
 * <pre>
 *   Theta_m(x, x') = (1/m) sum_j xi_j + sigmaB^2,   xi_j = sigmaV^2 ( sigma(u_j) sigma(v_j) + a_j^2 q12 sigma'(u_j) sigma'(v_j) )
 * </pre>
 * where (u_j, v_j) = (z_j(x), z_j(x')) ~ N(0, [[q11, q12], [q12, q22]]) is independent of a_j. So E Theta_m is the
 * analytic NTK at every m, and Var Theta_m = Var(xi) / m exactly, with (E a^2 = 1, E a^4 = 3)
 * <pre>
 *   Var xi = sigmaV^4 ( M + 2 q12 E[sigma sigma' (u) sigma sigma' (v)] + 3 q12^2 E[sigma'(u)^2 sigma'(v)^2] ) - (E xi)^2,
 *   M = E sigma(u)^2 sigma(v)^2 .
 * </pre>
 * For relu, sigma sigma' = relu and sigma'^2 = sigma', so the middle moments are Sigma and SigmaDot, and M is the
 * arc-cosine kernel of degree 2 (Cho and Saul 2009), halved:
 * M = q11 q22 (3 sin t cos t + (pi - t)(1 + 2 cos^2 t)) / (2 pi). Other activations use the Gauss-Hermite rule of
 * {@link AnalyticKernels} for all three moments.
 */
public final class AnalyticNtkFluctuations {

    private AnalyticNtkFluctuations() {
    }

    /**
     * Var(xi), the variance of one neuron's summand of the NTK at (x, x'), so that the standard deviation of the
     * width-m empirical NTK is sqrt(Var(xi) / m). The kind of the options is ignored.
     */
    public static double summandVariance(AnalyticKernels.Options o, double[] x, double[] xPrime) {
        if (o == null) {
            throw new IllegalArgumentException("options: must be given");
        }
        if (x == null || xPrime == null || x.length != xPrime.length || x.length == 0) {
            throw new IllegalArgumentException("xPrime: must have the dimension of x, got "
                    + (x == null ? "null" : x.length) + " and " + (xPrime == null ? "null" : xPrime.length));
        }
        // Covariance and the stable sqrt(q11 q22 - q12^2), as the kernel matrices compute them
        double[] qs = AnalyticKernels.geometry(o, x, xPrime);
        double q11 = qs[0], q12 = qs[1], q22 = qs[2], sq = qs[3];
        double[] d = new double[2];
        AnalyticKernels.dual(o.activation(), q11, q12, q22, sq, d);
        double m22, mixed, dot22;
        if (o.activation() == Activation.RELU) {
            if (q11 == 0.0 || q22 == 0.0) {
                return 0.0;
            }
            double theta = Math.atan2(sq, q12);
            // q11 q22 sin t cos t = sq q12 and q11 q22 cos^2 t = q12^2
            m22 = (3 * sq * q12 + (Math.PI - theta) * (q11 * q22 + 2 * q12 * q12)) / (2 * Math.PI);
            mixed = d[0];
            dot22 = d[1];
        } else {
            double[] moments = fourthMoments(o.activation(), q11, q12, q22, sq);
            m22 = moments[0];
            mixed = moments[1];
            dot22 = moments[2];
        }
        double s4 = Math.pow(o.sigmaV(), 4);
        double mean = o.sigmaV() * o.sigmaV() * (d[0] + q12 * d[1]);
        return Math.max(0.0, s4 * (m22 + 2 * q12 * mixed + 3 * q12 * q12 * dot22) - mean * mean);
    }

    /** {E sigma(u)^2 sigma(v)^2, E sigma sigma'(u) sigma sigma'(v), E sigma'(u)^2 sigma'(v)^2} by Gauss-Hermite. */
    private static double[] fourthMoments(Activation sigma, double q11, double q12, double q22, double sq) {
        if (q22 > q11) {
            double t = q11;
            q11 = q22;
            q22 = t;
        }
        double[] out = new double[3];
        if (q11 == 0.0) {
            double s = sigma.value(0), g = sigma.derivative(0);
            out[0] = s * s * s * s;
            out[1] = s * g * s * g;
            out[2] = g * g * g * g;
            return out;
        }
        double l11 = Math.sqrt(q11), l21 = q12 / l11, l22 = sq / l11;
        GaussHermite rule = GaussHermite.of(AnalyticKernels.quadratureDegree(q11));
        for (int i = 0; i < rule.size(); i++) {
            double zi = rule.node(i), u = l11 * zi;
            double su = sigma.value(u), gu = sigma.derivative(u);
            for (int j = 0; j < rule.size(); j++) {
                double v = l21 * zi + l22 * rule.node(j), w = rule.weight(i) * rule.weight(j);
                double sv = sigma.value(v), gv = sigma.derivative(v);
                out[0] += w * su * su * sv * sv;
                out[1] += w * su * gu * sv * gv;
                out[2] += w * gu * gu * gv * gv;
            }
        }
        return out;
    }
}
