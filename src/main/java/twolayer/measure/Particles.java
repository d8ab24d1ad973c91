package twolayer.measure;

import java.util.Objects;
import twolayer.model.Group;
import twolayer.model.TwoLayerNet;

/**
 * The particle view of a two-layer net: the network is the empirical measure
 * <pre>
 *   mu_m = (1/m) sum_j delta_(a_j, w_j),      f(x) = kA m * integral a sigma(kW &lt;w, x&gt;) d mu_m(a, w)
 * </pre>
 * so that under the mean-field scaling (kA = 1/m) the output is the integral of one neuron against mu_m, and
 * training moves the measure (the mean-field chapter's continuity equation). This class holds the particles
 * (a_j, w_j) of one parameter vector (copied, so a snapshot stays fixed) and their geometry: norms, the angle
 * of w_j to given directions, the nearest direction, and the amplitude |a_j| ||w_j||.
 * Hidden biases, when present, are not part of the particle (the chapter's nets have none).
 *
 * @see ParticleDiagnostics for statistics of the whole population
 */
public final class Particles {
    private final int m;
    private final int d;
    private final double[] a;   // (m)
    private final double[] w;   // (m, d) row-major

    private Particles(double[] a, double[] w, int m, int d) {
        this.m = m;
        this.d = d;
        this.a = a;
        this.w = w;
    }

    /** The particles of the net at parameters theta. */
    public static Particles of(TwoLayerNet net, double[] theta) {
        Objects.requireNonNull(net, "net");
        if (theta.length != net.parameterCount()) {
            throw new IllegalArgumentException("theta: expected " + net.parameterCount() + " parameters, got "
                    + theta.length);
        }
        int m = net.width(), d = net.inputDimension();
        double[] a = new double[m];
        double[] w = new double[m * d];
        System.arraycopy(theta, net.offset(Group.A), a, 0, m);
        System.arraycopy(theta, net.offset(Group.W), w, 0, m * d);
        return new Particles(a, w, m, d);
    }

    /** Particles given directly: output weights a (m) and input weights w ((m, d) row-major). */
    public static Particles of(double[] a, double[] w, int d) {
        if (d < 1) {
            throw new IllegalArgumentException("d: must be >= 1, got " + d);
        }
        if (a.length < 1 || w.length != a.length * d) {
            throw new IllegalArgumentException("w: expected m*d = " + a.length + "*" + d + " values, got " + w.length);
        }
        return new Particles(a.clone(), w.clone(), a.length, d);
    }

    /** The number of particles m. */
    public int width() { return m; }

    /** The input dimension d. */
    public int dimension() { return d; }

    /** Output weight a_j. */
    public double a(int j) { return a[j]; }

    /** A copy of all output weights, (m). */
    public double[] a() { return a.clone(); }

    /** Coordinate k of the input weight w_j. */
    public double w(int j, int k) { return w[j * d + k]; }

    /** A copy of the input weight w_j, (d). */
    public double[] w(int j) {
        double[] out = new double[d];
        System.arraycopy(w, j * d, out, 0, d);
        return out;
    }

    /** ||w_j||_2. */
    public double norm(int j) {
        double s = 0.0;
        for (int k = 0; k < d; k++) {
            s += w[j * d + k] * w[j * d + k];
        }
        return Math.sqrt(s);
    }

    // tag::measure-particle-geometry[]
    /** The amplitude |a_j| ||w_j||: the weight of particle j in a positively homogeneous net. */
    public double amplitude(int j) {
        return Math.abs(a[j]) * norm(j);
    }

    /**
     * The angle in radians, in [0, pi], between w_j and a direction u (length d, non-zero).
     * Computed with Kahan's formula 2 atan2(||w/||w|| - u/||u|| ||, ||w/||w|| + u/||u|| ||), which
     * keeps full precision for angles near 0 and near pi (acos of the normalised dot product loses
     * half the digits there). NaN when w_j = 0.
     */
    public double angleTo(int j, double[] u) {
    // end::measure-particle-geometry[]
        if (u.length != d) {
            throw new IllegalArgumentException(
                    "direction: expected " + d + " coordinates, got " + u.length);
        }
        double uNorm = 0.0;
        for (double v : u) {
            uNorm += v * v;
        }
        uNorm = Math.sqrt(uNorm);
        if (uNorm == 0.0) {
            throw new IllegalArgumentException("direction: must be non-zero");
        }
        // tag::measure-particle-geometry[]
        double wNorm = norm(j);
        if (wNorm == 0.0) {
            return Double.NaN;
        }
        double diff = 0.0, sum = 0.0;
        for (int k = 0; k < d; k++) {
            double wk = w[j * d + k] / wNorm, uk = u[k] / uNorm;
            diff += (wk - uk) * (wk - uk);
            sum += (wk + uk) * (wk + uk);
        }
        return 2.0 * Math.atan2(Math.sqrt(diff), Math.sqrt(sum));
    }
    // end::measure-particle-geometry[]

    /** The index r of the row of {@code directions} ((k, d)) nearest in angle to w_j. */
    public int nearestDirection(int j, double[] directions) {
        int k = checkDirections(directions);
        int best = 0;
        double bestAngle = Double.POSITIVE_INFINITY;
        double[] u = new double[d];
        for (int r = 0; r < k; r++) {
            System.arraycopy(directions, r * d, u, 0, d);
            double angle = angleTo(j, u);
            if (angle < bestAngle) {
                bestAngle = angle;
                best = r;
            }
        }
        return best;
    }

    /** The angle in radians between w_j and the nearest of the directions ((k, d) row-major). */
    public double angleToNearest(int j, double[] directions) {
        int r = nearestDirection(j, directions);
        double[] u = new double[d];
        System.arraycopy(directions, r * d, u, 0, d);
        return angleTo(j, u);
    }

    private int checkDirections(double[] directions) {
        if (directions.length == 0 || directions.length % d != 0) {
            throw new IllegalArgumentException("directions: expected k*d values with k >= 1 and d = " + d + ", got "
                    + directions.length);
        }
        return directions.length / d;
    }

    @Override
    public String toString() {
        return "Particles[m=" + m + ", d=" + d + "]";
    }
}
