package twolayer.measure;

import java.util.Objects;

/**
 * The distance in function space between a trained net and its trained linearisation, on a probe set:
 * <pre>
 *   gap(t)    = max_i |f(x_i; theta(t)) - f_lin(x_i; theta_lin(t))|
 *   gapRms(t) = sqrt( (1/k) sum_i (f(x_i; theta(t)) - f_lin(x_i; theta_lin(t)))^2 )
 * </pre>
 * where theta(t) is the net trained from theta0 and theta_lin(t) is its first-order Taylor model at theta0 trained
 * by the same dynamics on the same data, both at the same time t. This is the quantity that lazy-training theorems
 * bound: O(1/alpha) for Chizat, Oyallon and Bach's scaled model (2019, Thm 2.2), O(m^(-1/2)) for the ntk
 * parameterisation (Lee et al. 2019, Thm 2.1). The lazy-training chapter shows when the bound is attained.
 */
public final class LinearizationGap {

    /**
     * The gap at every observation.
     *
     * @param times the observed times
     * @param max   the largest absolute difference over the probes at each time
     * @param rms   the root-mean-square difference over the probes at each time
     */
    public record Series(double[] times, double[] max, double[] rms) {
        public Series {
            times = times.clone();
            max = max.clone();
            rms = rms.clone();
        }

        @Override public double[] times() { return times.clone(); }

        @Override public double[] max() { return max.clone(); }

        @Override public double[] rms() { return rms.clone(); }

        /** The largest-difference gap at the last observation. */
        public double finalMax() {
            return max[max.length - 1];
        }
    }

    private LinearizationGap() {
    }

    /**
     * The gap between the outputs recorded for the net and those recorded for its linearisation; both must have
     * observed the same probes at the same times.
     */
    public static Series between(ProbeOutputs net, ProbeOutputs linear) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(linear, "linear");
        int count = net.count();
        if (linear.count() != count) {
            throw new IllegalArgumentException("linear: " + linear.count() + " observations, but the net has " + count);
        }
        double[] times = new double[count], max = new double[count], rms = new double[count];
        for (int k = 0; k < count; k++) {
            double t = net.times().get(k);
            if (Double.compare(t, linear.times().get(k)) != 0) {
                throw new IllegalArgumentException("linear: observation " + k + " is at t = " + linear.times().get(k)
                        + ", the net's at t = " + t + "; compare at equal times");
            }
            double[] f = net.outputsAt(k), fLin = linear.outputsAt(k);
            times[k] = t;
            max[k] = maxAbsDifference(f, fLin);
            rms[k] = rmsDifference(f, fLin);
        }
        return new Series(times, max, rms);
    }

    /** max_i |f_i - g_i|; NaN if any difference is NaN (a diverged run must not look like a small gap). */
    public static double maxAbsDifference(double[] f, double[] g) {
        checkShapes(f, g);
        double worst = 0.0;
        for (int i = 0; i < f.length; i++) {
            double diff = Math.abs(f[i] - g[i]);
            if (Double.isNaN(diff)) {
                return Double.NaN;
            }
            worst = Math.max(worst, diff);
        }
        return worst;
    }

    /** sqrt((1/k) sum_i (f_i - g_i)^2). */
    public static double rmsDifference(double[] f, double[] g) {
        checkShapes(f, g);
        double ss = 0.0;
        for (int i = 0; i < f.length; i++) {
            ss += (f[i] - g[i]) * (f[i] - g[i]);
        }
        return Math.sqrt(ss / f.length);
    }

    private static void checkShapes(double[] f, double[] g) {
        if (f.length == 0 || f.length != g.length) {
            throw new IllegalArgumentException("outputs: expected two non-empty arrays of equal length, got "
                    + f.length + " and " + g.length);
        }
    }
}
