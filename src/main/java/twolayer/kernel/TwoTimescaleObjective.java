package twolayer.kernel;

/**
 * The two-timescale objective: the regularised risk of a mean-field net with its second layer at the ridge
 * optimum (Takakura and Suzuki 2024, ICML, the limiting functional G of section 3; conventions of the
 * two-timescale chapter: squared loss (1/2n) sum_i (f_i - y_i)^2, a in L^2(mu)):
 * <pre>
 *   F(a, mu)  = (1/2n) sum_i (E_mu[a(w) h(x_i; w)] - y_i)^2 + (lambdaA/2) E_mu a^2 + (lambdaW/2) E_mu ||w||^2
 *               + lambda Ent(mu)
 *   G(mu)     = min_a F(a, mu) = G0(mu) + (lambdaW/2) E_mu ||w||^2 + lambda Ent(mu)
 *   G0(mu)    = (lambdaA/2) y^T (K_mu + n lambdaA I)^-1 y = (lambdaA/2) y^T alpha_mu
 *   a_mu(w)   = alpha_mu^T h(w),   h(w) = (h(x_1; w), ..., h(x_n; w)),   f_mu = K_mu alpha_mu = y - n lambdaA alpha_mu
 *   dG/dmu(w) = -(lambdaA/2) a_mu(w)^2 + (lambdaW/2) ||w||^2 + lambda log mu(w)
 * </pre>
 * The minimiser over a follows from the representer argument, the first variation from the envelope theorem,
 * and G0 is convex in mu because K -&gt; y^T (K + c I)^-1 y is matrix convex and K_mu is linear in mu (the chapter
 * derives all three). {@link #potential} is the part of the first variation without the entropy, whose gradient in
 * w is the particle drift of the two-timescale dynamics and whose Gibbs measure exp(-potential/lambda) is the
 * proximal Gibbs measure of the certificate.
 *
 * @param lambda  entropy temperature (>= 0)
 * @param lambdaA L2 strength of the second layer, the ridge of the inner problem (> 0)
 * @param lambdaW L2 strength of the first-layer weights and biases (>= 0)
 * @see IntrinsicKernel
 */
public record TwoTimescaleObjective(double lambda, double lambdaA, double lambdaW) {

    public TwoTimescaleObjective {
        requireValid(lambda, lambdaA, lambdaW);
    }

    /**
     * Checks the three strengths as G needs them (lambda, lambdaW finite and >= 0; lambdaA finite and > 0, or the
     * inner ridge problem is singular); also the check of the dynamics that minimise G.
     *
     * @throws IllegalArgumentException naming the first strength out of range
     */
    public static void requireValid(double lambda, double lambdaA, double lambdaW) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("lambda: must be finite and >= 0, got " + lambda);
        }
        if (!(lambdaA > 0) || !Double.isFinite(lambdaA)) {
            throw new IllegalArgumentException("lambdaA: the inner ridge needs a finite lambdaA > 0, got " + lambdaA);
        }
        if (!(lambdaW >= 0) || !Double.isFinite(lambdaW)) {
            throw new IllegalArgumentException("lambdaW: must be finite and >= 0, got " + lambdaW);
        }
    }

    /**
     * The solved inner problem at a measure.
     *
     * @param alpha            dual coefficients (K_mu + n lambdaA I)^-1 y, (n)
     * @param innerValue       G0(mu) = (lambdaA/2) y^T alpha
     * @param readouts         the optimal readout a_mu(w_j) at every atom of the kernel's measure, (m)
     */
    public record Inner(double[] alpha, double innerValue, double[] readouts) {}

    // tag::kernel-tt-inner[]
    /** Solves the inner ridge problem of the measure of {@code k} with targets y. */
    public Inner inner(IntrinsicKernel k, double[] y) {
        double[] alpha = k.solve(y, lambdaA);
        return new Inner(alpha, innerValue(y, alpha), k.readouts(alpha));
    }

    /** G0 = (lambdaA/2) y^T alpha at the ridge solution alpha of targets y. */
    public double innerValue(double[] y, double[] alpha) {
        double yAlpha = 0.0;
        for (int i = 0; i < alpha.length; i++) {
            yAlpha += y[i] * alpha[i];
        }
        return lambdaA / 2 * yAlpha;
    }

    /** The first variation of G - lambda Ent at a neuron with readout a_mu(w) = a and ||w||^2 = squaredNorm. */
    public double potential(double a, double squaredNorm) {
        return -lambdaA / 2 * a * a + lambdaW / 2 * squaredNorm;
    }
    // end::kernel-tt-inner[]

    /** G(mu) - lambda Ent(mu) = G0(mu) + (lambdaW/2) E_mu ||w||^2, finite for particle measures. */
    public double energy(Inner inner, double meanSquaredNorm) {
        return inner.innerValue() + lambdaW / 2 * meanSquaredNorm;
    }

    /**
     * The finite-width objective of a net whose second layer is not (yet) optimal,
     * J(a, mu) = (1/2n) |f - y|^2 + (lambdaA/2) (1/m) |a|^2 + (lambdaW/2) E_mu ||w||^2 &gt;= G(mu) - lambda Ent(mu),
     * with equality exactly at a_j = a_mu(w_j).
     */
    public double jointEnergy(double[] f, double[] y, double[] a, double meanSquaredNorm) {
        double risk = 0.0;
        for (int i = 0; i < f.length; i++) {
            risk += (f[i] - y[i]) * (f[i] - y[i]);
        }
        double a2 = 0.0;
        for (double v : a) {
            a2 += v * v;
        }
        return risk / (2 * f.length) + lambdaA / 2 * a2 / a.length + lambdaW / 2 * meanSquaredNorm;
    }
}
