package twolayer.measure;

/**
 * How condensed a population of ReLU neurons is: do a few orientations carry the output?
 *
 * <p>A ReLU neuron is positively homogeneous, a relu(&lt;w, x~&gt;) = a ||w|| relu(&lt;u, x~&gt;) with
 * u = w / ||w||, so it is a direction u (its orientation; with the bias folded into w, x~ = (x, 1), the
 * orientation includes the bias) carrying the amplitude A = |a| ||w|| ({@link Particles#amplitude}).
 * Luo, Xu, Ma and Zhang (JMLR 2021) call the regime in which the amplitude gathers at a few
 * isolated orientations condensed; Xu's group draws it as a scatter of amplitude against the angle
 * atan2(b, w) of each neuron. Two numbers summarise such a scatter:
 * <ul>
 *   <li>the top-K cluster share: repeat K times "take the neuron of largest amplitude not yet absorbed and
 *       absorb every remaining neuron within the angle delta of it"; the share is the absorbed amplitude over
 *       the total. It is near 1 when K orientations carry everything, and about K delta m / (pi m) (the
 *       absorbed fraction of the circle) for orientations spread uniformly;</li>
 *   <li>the effective number of orientations exp(H), H the entropy of the amplitude-weighted histogram of
 *       the angle atan2(w_2, w_1) (inputs in the plane, d = 2): the number of equally loaded bins that would
 *       give the same entropy.</li>
 * </ul>
 * Both depend only on the amplitudes' ratios and on orientations, so they are invariant under a common
 * rescaling of a or of w (the gauge of the phase diagram). The greedy clustering is the index proposed in
 * the project's regimes note, not a definition from the paper.
 */
public final class Condensation {
    private Condensation() {
    }

    /** The orientation of neuron j in the plane: atan2(w_j2, w_j1) in (-pi, pi]; needs d = 2. */
    public static double orientation(Particles p, int j) {
        requirePlane(p);
        return Math.atan2(p.w(j, 1), p.w(j, 0));
    }

    /**
     * The share of the total amplitude sum_j |a_j| ||w_j|| held by the top k orientation clusters
     * of angular radius delta (greedy, largest amplitude first; ties broken by the lower index).
     * NaN if every amplitude is 0.
     */
    public static double topClusterShare(Particles p, int k, double delta) {
        if (k < 1) {
            throw new IllegalArgumentException("k: number of clusters must be >= 1, got " + k);
        }
        if (!(delta >= 0 && delta <= Math.PI)) {
            throw new IllegalArgumentException(
                    "delta: cluster radius must be in [0, pi], got " + delta);
        }
        int m = p.width();
        double[] amplitude = new double[m];
        double total = 0;
        for (int j = 0; j < m; j++) {
            amplitude[j] = p.amplitude(j);
            total += amplitude[j];
        }
        if (total == 0) {
            return Double.NaN;
        }
        // tag::measure-condensation[]
        boolean[] absorbed = new boolean[m];
        double held = 0;
        for (int c = 0; c < k; c++) {
            int centre = -1;
            for (int j = 0; j < m; j++) {
                boolean larger = centre < 0 || amplitude[j] > amplitude[centre];
                if (!absorbed[j] && amplitude[j] > 0 && larger) {
                    centre = j;
                }
            }
            if (centre < 0) {
                break;   // fewer than k non-zero neurons: everything is already held
            }
            double[] u = p.w(centre);
            for (int j = 0; j < m; j++) {
                boolean near = j == centre || p.angleTo(j, u) <= delta;
                if (!absorbed[j] && amplitude[j] > 0 && near) {
                    absorbed[j] = true;
                    held += amplitude[j];
                }
            }
        }
        return Math.min(1.0, held / total);
        // end::measure-condensation[]
    }

    /**
     * exp(H) with H = -sum_b q_b log q_b and q_b the share of the amplitude whose orientation
     * falls into bin b of {@code bins} equal bins on (-pi, pi]. Between 1 (one bin holds all) and
     * {@code bins}; d = 2.
     * NaN if every amplitude is 0.
     */
    public static double effectiveOrientations(Particles p, int bins) {
        requirePlane(p);
        if (bins < 1) {
            throw new IllegalArgumentException("bins: must be >= 1, got " + bins);
        }
        double[] mass = new double[bins];
        double total = 0;
        for (int j = 0; j < p.width(); j++) {
            double amp = p.amplitude(j);
            if (amp == 0) {
                continue;
            }
            int bin = (int) Math.floor((orientation(p, j) + Math.PI) / (2 * Math.PI) * bins);
            mass[Math.max(0, Math.min(bins - 1, bin))] += amp;
            total += amp;
        }
        if (total == 0) {
            return Double.NaN;
        }
        // tag::measure-condensation[]
        double entropy = 0;
        for (double v : mass) {
            if (v > 0) {
                double q = v / total;
                entropy -= q * Math.log(q);
            }
        }
        return Math.exp(entropy);
        // end::measure-condensation[]
    }

    private static void requirePlane(Particles p) {
        if (p.dimension() != 2) {
            throw new IllegalArgumentException("particles: orientations in the plane need d = 2 (x~ = (x, 1)), got d = "
                    + p.dimension());
        }
    }
}
