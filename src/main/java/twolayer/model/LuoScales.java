package twolayer.model;

/**
 * A parameterisation at one width written as Luo et al.'s (2021, JMLR 22(71), eq. (1)) net
 * f = (1/alpha) sum_k a_k sigma(w_k . x), a ~ N(0, beta1^2), w ~ N(0, beta2^2 I), both layers at one rate.
 *
 * <p>With L the lazy scale (output times L, every rate over L^2), the substitution A = L kA a, W = kW w turns any
 * parameterisation into f = sum A sigma(W . x) with dA/dt = -eta_A grad_A, dW/dt = -eta_W grad_W, where
 * sigma_A = L kA sA, sigma_W = kW sW, eta_A = kA^2 rhoA and eta_W = kW^2 rhoW / L^2 (L cancels from eta_A only,
 * because A carries the factor L and W does not); writing a = alpha A with alpha = sqrt(eta_W / eta_A) gives both
 * layers the common rate eta_W, so
 * <pre>
 *   alpha = sqrt(eta_W / eta_A),   beta1 = alpha sigma_A,   beta2 = sigma_W,   Luo time = eta_W t.
 * </pre>
 * For a positively 1-homogeneous sigma (ReLU) the normalised weights a/beta1, w/beta2 then follow dynamics that depend
 * only on kappa = beta1 beta2 / alpha and kappa' = beta1 / beta2 (time rescaled by alpha; the scalings chapter
 * derives it). Biases are taken as folded into w.
 *
 * @param luoAlpha Luo's alpha, the divisor of the output
 * @param beta1    the initial std of the output weights
 * @param beta2    the initial std of the input weights
 */
public record LuoScales(double luoAlpha, double beta1, double beta2) {

    public LuoScales {
        for (double v : new double[] {luoAlpha, beta1, beta2}) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("luoAlpha, beta1, beta2: must be finite and > 0, got "
                        + luoAlpha + ", " + beta1 + ", " + beta2);
            }
        }
    }

    /** The Luo triple of parameterisation p at width m and input dimension d. */
    public static LuoScales of(Parameterization p, int m, int d) {
        double kA = p.kA().at(m, p.mRef(), d), kW = p.kW().at(m, p.mRef(), d);
        double sigmaA = p.lazyScale() * kA * p.sA().at(m, p.mRef(), d);
        double sigmaW = kW * p.sW().at(m, p.mRef(), d);
        double etaA = kA * kA * p.rhoA().at(m, p.mRef(), d);
        // W = kW w does not absorb the lazy scale, so its rate keeps the model's 1 / L^2
        double etaW = kW * kW * p.rhoW().at(m, p.mRef(), d) / (p.lazyScale() * p.lazyScale());
        if (!(etaA > 0) || !(etaW > 0)) {
            throw new IllegalArgumentException("parameterization: both layers must train (eta_A = " + etaA
                    + ", eta_W = " + etaW + ") to have Luo coordinates");
        }
        double alpha = Math.sqrt(etaW / etaA);
        return new LuoScales(alpha, alpha * sigmaA, sigmaW);
    }

    /** kappa = beta1 beta2 / alpha, the scale of the normalised output (~ m^(-gamma)). */
    public double kappa() {
        return beta1 * beta2 / luoAlpha;
    }

    /** kappa' = beta1 / beta2, the ratio of the layers (~ m^(-gamma')). */
    public double kappaPrime() {
        return beta1 / beta2;
    }

    /** The preset {@link Parameterization#luoRaw} with these three numbers. */
    public Parameterization parameterization() {
        return Parameterization.luoRaw(luoAlpha, beta1, beta2);
    }
}
