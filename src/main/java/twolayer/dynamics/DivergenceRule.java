package twolayer.dynamics;

/**
 * When a training run counts as diverged: the loss or the parameters are not finite, or either has grown past a
 * fixed factor of its scale at the start,
 * <pre>
 *   L(theta_k) &gt; GROWTH * max(L(theta_0), L_null),      ||theta_k|| &gt; GROWTH * max(||theta_0||, 1),
 * </pre>
 * with GROWTH = 1e8 and L_null the loss of the predictor f = 0 (so a start that already fits the data does not
 * make every later loss look like growth). A convergent run never comes near either bound: gradient descent below
 * its stability limit does not raise the loss at all, and the noisy dynamics keep the parameters within a few
 * prior widths. A run past them has left every regime the chapters describe and is on its way to overflow,
 * where it would otherwise still hand back plausible-looking numbers (a moderate loss next to weights of 1e95);
 * the gradient-flow chapter, section "Divergence", derives the bounds.
 */
final class DivergenceRule {
    /** The growth factor of both bounds. */
    static final double GROWTH = 1e8;

    private final double lossBound;
    private final double normBound;

    private DivergenceRule(double lossBound, double normBound) {
        this.lossBound = lossBound;
        this.normBound = normBound;
    }

    /** The rule of a run that starts at theta0 with loss L(theta0); nullLoss is L of the predictor f = 0. */
    static DivergenceRule at(double initialLoss, double[] theta0, double nullLoss) {
        double scale = Math.max(Double.isFinite(initialLoss) ? initialLoss : 0.0, nullLoss);
        return new DivergenceRule(GROWTH * scale, GROWTH * Math.max(norm(theta0), 1.0));
    }

    /** Why the state (loss, theta) has diverged, or null if it has not. */
    String violation(double loss, double[] theta) {
        if (!Double.isFinite(loss)) {
            return "the loss became " + loss;
        }
        double norm = norm(theta);
        if (!Double.isFinite(norm)) {
            return "the parameters became non-finite";
        }
        if (loss > lossBound) {
            return "the loss grew to " + loss + ", past " + GROWTH + " times its starting scale (bound "
                    + lossBound + ")";
        }
        if (norm > normBound) {
            return "the parameters' norm grew to " + norm + ", past " + GROWTH + " times its start (bound "
                    + normBound + ")";
        }
        return null;
    }

    /**
     * The Euclidean norm; one pass, and a second, scaled one only when the plain sum of squares overflows, so
     * that finite parameters of size up to the largest double still have a finite norm.
     */
    static double norm(double[] theta) {
        double s = 0.0;
        for (double v : theta) {
            s += v * v;
        }
        if (Double.isFinite(s)) {
            return Math.sqrt(s);
        }
        double max = 0.0;
        for (double v : theta) {
            double a = Math.abs(v);
            if (!(a <= max)) {
                max = a; // also picks up NaN, which then propagates
            }
        }
        if (!Double.isFinite(max)) {
            return max;
        }
        double scaled = 0.0;
        for (double v : theta) {
            double r = v / max;
            scaled += r * r;
        }
        return max * Math.sqrt(scaled);
    }
}
