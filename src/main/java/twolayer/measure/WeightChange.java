package twolayer.measure;

import twolayer.model.Group;
import twolayer.model.TwoLayerNet;

/**
 * Relative weight change of one parameter group:
 * <pre>  RD_g(t) = ||theta_g(t) - theta_g(0)||_2 / ||theta_g(0)||_2 </pre>
 * the order parameter of lazy training (Chizat, Oyallon, Bach 2019) and of Luo, Xu, Ma, Zhang 2021's phase
 * diagram (their RD(theta_w)). In the NTK scaling it falls like m^(-1/2); in the mean-field scaling it stays O(1).
 * Both norms are computed with scaled sums of squares so they neither overflow nor underflow.
 */
public final class WeightChange {
    private WeightChange() {
    }

    /** RD_g between theta0 and theta; NaN when group g is absent or theta0_g = 0. */
    public static double relative(TwoLayerNet net, double[] theta0, double[] theta, Group g) {
        int from = net.offset(g), count = net.count(g);
        if (count == 0) {
            return Double.NaN;
        }
        double base = norm(theta0, null, from, count);
        if (base == 0.0) {
            return Double.NaN;
        }
        return norm(theta, theta0, from, count) / base;
    }

    /** ||u[from..from+count) - v[...]||_2 (v may be null for zero), as a scaled sum of squares (LAPACK dnrm2 style). */
    static double norm(double[] u, double[] v, int from, int count) {
        double scale = 0.0, ssq = 1.0;
        for (int k = from; k < from + count; k++) {
            double x = v == null ? u[k] : u[k] - v[k];
            if (x != 0.0) {
                double ax = Math.abs(x);
                if (scale < ax) {
                    ssq = 1.0 + ssq * (scale / ax) * (scale / ax);
                    scale = ax;
                } else {
                    ssq += (ax / scale) * (ax / scale);
                }
            }
        }
        return scale * Math.sqrt(ssq);
    }
}
