package twolayer.chapter.twotimescale;

import java.util.Arrays;
import twolayer.data.Staircase;

/**
 * Marion and Berthier's one-dimensional network (NeurIPS 2023, arXiv:2304.09576, section 3):
 * <pre>
 *   f(x) = sum_j a_j sigma_r(x - u_j),   sigma_r(z) = clip((z + r/2) / r, 0, 1)
 * </pre>
 * a ramp of width r around each neuron's position u_j, with output weights a_j. Neurons are steps that the
 * network places; a staircase target is fitted exactly only if a neuron sits on every jump. The parameters are
 * held in two flat arrays that the trainer updates in place.
 */
public final class RampNetwork {

    final double[] a; // (m) output weights
    final double[] u; // (m) positions
    final double r;   // ramp width

    /** A network with the given weights and positions (copied) and ramp width r (&gt; 0). */
    public RampNetwork(double[] a, double[] u, double r) {
        if (a.length != u.length || a.length == 0) {
            throw new IllegalArgumentException("a, u: need m >= 1 weights and as many positions, got " + a.length
                    + " and " + u.length);
        }
        if (!(r > 0) || !Double.isFinite(r)) {
            throw new IllegalArgumentException("r: ramp width must be finite and > 0, got " + r);
        }
        this.a = a.clone();
        this.u = u.clone();
        this.r = r;
    }

    /** The width m. */
    public int m() {
        return a.length;
    }

    /** A copy of the output weights a. */
    public double[] weights() {
        return a.clone();
    }

    /** A copy of the positions u. */
    public double[] positions() {
        return u.clone();
    }

    /** sigma_r(z) = clip((z + r/2) / r, 0, 1). */
    double ramp(double z) {
        return Math.min(Math.max((z + r / 2) / r, 0.0), 1.0);
    }

    /** f(x). */
    public double value(double x) {
        double f = 0;
        for (int j = 0; j < a.length; j++) {
            f += a[j] * ramp(x - u[j]);
        }
        return f;
    }

    /**
     * The exact squared L^2([0, 1]) distance int_0^1 (f - f*)^2 dx, Marion and Berthier's test loss. Between
     * consecutive breakpoints (the ramps' ends u_j +- r/2 and the jumps t_k) f is affine and f* constant, so
     * Simpson's rule on each piece is exact.
     */
    public double squaredError(Staircase target) {
        double[] t = target.positions();
        double[] cuts = new double[2 + 2 * u.length + t.length];
        int c = 0;
        cuts[c++] = 0;
        cuts[c++] = 1;
        for (double uj : u) {
            cuts[c++] = uj - r / 2;
            cuts[c++] = uj + r / 2;
        }
        for (double tk : t) {
            cuts[c++] = tk;
        }
        Arrays.sort(cuts);
        double sum = 0;
        for (int k = 0; k + 1 < cuts.length; k++) {
            double lo = Math.max(cuts[k], 0), hi = Math.min(cuts[k + 1], 1);
            if (!(hi > lo)) {
                continue;
            }
            double mid = (lo + hi) / 2;
            double target0 = target.value(mid);
            double eLo = value(lo) - target0, eMid = value(mid) - target0, eHi = value(hi) - target0;
            sum += (hi - lo) / 6 * (eLo * eLo + 4 * eMid * eMid + eHi * eHi);
        }
        return sum;
    }

    /** For each jump t_k of the target, the distance min_j |u_j - t_k| to the nearest neuron. */
    public double[] jumpDistances(Staircase target) {
        double[] t = target.positions();
        double[] dist = new double[t.length];
        for (int k = 0; k < t.length; k++) {
            double best = Double.POSITIVE_INFINITY;
            for (double uj : u) {
                best = Math.min(best, Math.abs(uj - t[k]));
            }
            dist[k] = best;
        }
        return dist;
    }
}
