package twolayer.model;

/**
 * Luo, Xu, Ma and Zhang's (2021, "Phase diagram for two-layer ReLU neural networks at infinite-width limit",
 * JMLR 22(71)) coordinates of a width scaling:
 * <pre>
 *   gamma  = lim_{m -&gt; inf} -log(beta1 beta2 / alpha) / log m = -d log kappa  / d log m,
 *   gamma' = lim_{m -&gt; inf} -log(beta1 / beta2)       / log m = -d log kappa' / d log m,
 * </pre>
 * for f = (1/alpha) sum_k a_k sigma(w_k . x), a ~ N(0, beta1^2), w ~ N(0, beta2^2 I), both layers trained at one
 * rate. Any {@link Parameterization} maps to such a net ({@link LuoScales#of}); in the width exponents e(.) of its
 * scales (value ~ m^(-e)),
 * <pre>
 *   gamma  = e(kA) + e(sA) + e(kW) + e(sW),
 *   gamma' = e(kA) + e(sA) - e(kW) - e(sW) + (e(eta_W) - e(eta_A)) / 2,   eta_A = kA^2 rhoA, eta_W = kW^2 rhoW
 * </pre>
 * (the scalings chapter derives both; eta_W = kW^2 rhoW / L^2 with the lazy scale L, a constant that has no width
 * exponent and so drops out here). Only the groups a and w enter: biases, if any, are taken as folded into w.
 *
 * @param gamma      the exponent of the output scale kappa ~ m^(-gamma)
 * @param gammaPrime the exponent of the layer ratio kappa' ~ m^(-gamma')
 */
public record LuoCoordinates(double gamma, double gammaPrime) {

    public LuoCoordinates {
        if (!Double.isFinite(gamma) || !Double.isFinite(gammaPrime)) {
            throw new IllegalArgumentException("gamma, gammaPrime: must be finite, got " + gamma + ", " + gammaPrime);
        }
    }

    /** The coordinates of a parameterisation, read exactly from the exponents of its scales. */
    public static LuoCoordinates of(Parameterization p) {
        return AbcExponents.of(p).toLuo();
    }

    // tag::model-luo-regime[]
    /**
     * The regime of the point by Luo et al.'s (2021) Theorems 1 and 2: linear if gamma &lt; 1 or
     * gamma' &gt; gamma - 1, condensed if gamma &gt; 1 and gamma' &lt; gamma - 1, critical on the
     * boundary {gamma = 1, gamma' &lt;= 0} U {gamma &gt;= 1, gamma' = gamma - 1}. A point within
     * {@code tolerance} of the boundary (in either coordinate) counts as on it, so that exponents
     * computed in floating point (1/2 + 1/2) and points meant to be critical classify as critical.
     *
     * @param tolerance the half-width of the boundary band (&gt;= 0; 1e-9 for exact arithmetic)
     */
    public Regime regime(double tolerance) {
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException(
                    "tolerance: must be finite and >= 0, got " + tolerance);
        }
        if (gamma < 1 - tolerance || gammaPrime > gamma - 1 + tolerance) {
            return Regime.LINEAR;
        }
        if (gamma > 1 + tolerance && gammaPrime < gamma - 1 - tolerance) {
            return Regime.CONDENSED;
        }
        return Regime.CRITICAL;
    }
    // end::model-luo-regime[]

    /** {@link #regime(double)} with tolerance 1e-9 (round-off of exponents that are sums of halves). */
    public Regime regime() {
        return regime(1e-9);
    }

    /**
     * Golikov's exponents of the same scaling. Luo's coordinates fix q_sigma = -gamma and q~_a - q~_w = 2 gamma'
     * (time held fixed drops out of Luo's gradient-flow-to-convergence view); the remaining exponent, the speed of
     * the input layer q~_w, is a free choice.
     */
    public GolikovExponents toGolikov(double qTildeW) {
        return new GolikovExponents(-gamma, qTildeW + 2 * gammaPrime, qTildeW);
    }

    /** The abc exponents of Luo's gauge alpha = 1, beta1 = m^(-(gamma+gamma')/2), beta2 = m^(-(gamma-gamma')/2), rates 1. */
    public AbcExponents toAbc() {
        return new AbcExponents(0, (gamma - gammaPrime) / 2, 0, (gamma + gammaPrime) / 2, 0, 0);
    }

    /** The preset {@link Parameterization#luo(double, double)} at this point. */
    public Parameterization parameterization() {
        return Parameterization.luo(gamma, gammaPrime);
    }
}
