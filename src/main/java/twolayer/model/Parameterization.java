package twolayer.model;

import java.util.Objects;

/**
 * How a two-layer net's multipliers, initialisation and learning rates scale with the width m.
 *
 * <p>Every parameterisation is a point of one form (model chapter, section "Parameterisations"):
 * <pre>
 *   f(x) = lazyScale * ( kA * sum_j a_j * sigma(kW * &lt;w_j, x&gt; + kB * b_j) + kC * c ) + g(x)
 *   a_j ~ N(0, sA^2),  w_j ~ N(0, sW^2 I_d),  b_j ~ N(0, sB^2),  c ~ N(0, sC^2)
 *   d theta_g / dt = - (rho_g / lazyScale^2) * grad_g L          for g in {a, w, b, c}
 * </pre>
 * where each k, s and rho is a {@link Scale} c * (m / mRef)^(-e) * d^(-f), and g(x) is the frozen
 * {@link Offset}. The biases b and c exist only if {@code hiddenBias} / {@code outputBias}.
 * {@code lazyScale} is Chizat-Oyallon-Bach's alpha: the output is multiplied by alpha and the loss divided
 * by alpha^2, which is the same as dividing every rate by alpha^2 (Chizat, Oyallon, Bach 2019, eq. (1)).
 * It is not Luo et al.'s alpha, which divides the output and is expressed through kA.
 *
 * @param name              a short label for reports
 * @param kA                output multiplier
 * @param kW                input-weight multiplier
 * @param kB                hidden-bias multiplier
 * @param kC                output-bias multiplier
 * @param sA                initial std of a
 * @param sW                initial std of each coordinate of w
 * @param sB                initial std of b
 * @param sC                initial std of c
 * @param rhoA              relative rate of a
 * @param rhoW              relative rate of w
 * @param rhoB              relative rate of b
 * @param rhoC              relative rate of c
 * @param mRef              reference width (1 for pure power laws; Golikov's d* for his scalings)
 * @param hiddenBias        whether the hidden biases b exist
 * @param outputBias        whether the output bias c exists
 * @param antisymmetricInit neurons in pairs (a, w, b), (-a, w, b) and c = 0, so that f(x; theta0) = 0
 * @param offset            the frozen output offset
 * @param reference         the reference parameterisation of {@link Offset#INIT_CORRECTED}, else null
 * @param lazyScale         Chizat's alpha (> 0)
 */
public record Parameterization(
        String name,
        Scale kA, Scale kW, Scale kB, Scale kC,
        Scale sA, Scale sW, Scale sB, Scale sC,
        Scale rhoA, Scale rhoW, Scale rhoB, Scale rhoC,
        int mRef,
        boolean hiddenBias, boolean outputBias,
        boolean antisymmetricInit,
        Offset offset,
        Parameterization reference,
        double lazyScale) {

    public Parameterization {
        Objects.requireNonNull(name, "name");
        for (Scale s : new Scale[] {kA, kW, kB, kC, sA, sW, sB, sC, rhoA, rhoW, rhoB, rhoC}) {
            Objects.requireNonNull(s, "every scale of a parameterisation must be given");
        }
        requireNonNegative("sA", sA);
        requireNonNegative("sW", sW);
        requireNonNegative("sB", sB);
        requireNonNegative("sC", sC);
        requireNonNegative("rhoA", rhoA);
        requireNonNegative("rhoW", rhoW);
        requireNonNegative("rhoB", rhoB);
        requireNonNegative("rhoC", rhoC);
        if (mRef < 1) {
            throw new IllegalArgumentException("mRef: must be >= 1, got " + mRef);
        }
        Objects.requireNonNull(offset, "offset");
        if (offset == Offset.INIT_CORRECTED && reference == null) {
            throw new IllegalArgumentException("reference: INIT_CORRECTED needs a reference parameterisation");
        }
        if (reference != null && reference.offset() != Offset.NONE) {
            throw new IllegalArgumentException("reference: must itself have offset NONE");
        }
        if (!(lazyScale > 0) || !Double.isFinite(lazyScale)) {
            throw new IllegalArgumentException("lazyScale: must be finite and > 0, got " + lazyScale);
        }
    }

    private static void requireNonNegative(String field, Scale s) {
        if (s.coeff() < 0) {
            throw new IllegalArgumentException(field + ": coefficient must be >= 0, got " + s.coeff());
        }
    }

    // tag::model-presets[]
    /**
     * neural-tangents' 'ntk' parameterisation of {@code Dense(m, sigmaW, sigmaB) -> sigma -> Dense(1, sigmaV, sigmaB)}
     * (Jacot, Gabriel, Hongler 2018; Novak et al. 2020, stax.Dense): kA = sigmaV/sqrt(m), kW = sigmaW/sqrt(d),
     * kB = kC = sigmaB, every parameter N(0, 1), every rate 1. With biases.
     */
    public static Parameterization ntk(double sigmaW, double sigmaV, double sigmaB) {
        return new Parameterization("ntk", new Scale(sigmaV, 0.5, 0), new Scale(sigmaW, 0, 0.5),
                Scale.constant(sigmaB), Scale.constant(sigmaB),
                ONE, ONE, ONE, ONE, ONE, ONE, ONE, ONE, 1, true, true, false, Offset.NONE, null, 1.0);
    }
    // end::model-presets[]

    /** The 'ntk' parameterisation without biases (neural-tangents' {@code b_std=None}). */
    public static Parameterization ntk(double sigmaW, double sigmaV) {
        return ntk(sigmaW, sigmaV, 0.0).withBiases(false, false);
    }

    /**
     * The standard parameterisation (neural-tangents 'standard' with s = 1; PyTorch-like): multipliers 1,
     * a ~ N(0, sigmaV^2/m), w ~ N(0, sigmaW^2/d I), b, c ~ N(0, sigmaB^2), every rate 1.
     * With rates (sigmaV^2/m, sigmaW^2/d, sigmaB^2, sigmaB^2) it is the ntk preset in other coordinates
     * ({@link #standardWithNtkRates}).
     */
    public static Parameterization standard(double sigmaW, double sigmaV, double sigmaB) {
        return new Parameterization("standard", ONE, ONE, ONE, ONE,
                new Scale(sigmaV, 0.5, 0), new Scale(sigmaW, 0, 0.5), Scale.constant(sigmaB), Scale.constant(sigmaB),
                ONE, ONE, ONE, ONE, 1, true, true, false, Offset.NONE, null, 1.0);
    }

    // tag::model-presets[]
    /**
     * The standard parameterisation with per-group rates rho = (sigmaV^2/m, sigmaW^2/d, sigmaB^2, sigmaB^2):
     * writing a' = (sigmaV/sqrt m) a turns d a/dt = -grad_a L into d a'/dt = -(sigmaV^2/m) grad_a' L, so this
     * is exactly the ntk preset's gradient flow (the model chapter derives it; claim FOUND-4 checks it).
     */
    public static Parameterization standardWithNtkRates(double sigmaW, double sigmaV, double sigmaB) {
        Parameterization s = standard(sigmaW, sigmaV, sigmaB);
        return s.withRates(new Scale(sigmaV * sigmaV, 1.0, 0), new Scale(sigmaW * sigmaW, 0, 1.0),
                Scale.constant(sigmaB * sigmaB), Scale.constant(sigmaB * sigmaB)).withName("standard+ntk-rates");
    }

    // tag::model-preset-mean-field[]
    /**
     * The mean-field parameterisation (Mei, Montanari, Nguyen 2018; Chizat and Bach 2018):
     * f = (1/m) sum_j a_j sigma(&lt;w_j, x&gt;), a, w ~ N(0, 1), rates rhoA = rhoW = m, so each neuron moves
     * by O(1) in O(1) time. No biases (add them with {@link #withBiases}).
     */
    public static Parameterization meanField() {
        Scale m = new Scale(1.0, -1.0, 0);
        return new Parameterization("meanField", new Scale(1.0, 1.0, 0), ONE, ONE, ONE,
                ONE, ONE, ONE, ONE, m, m, m, m, 1, false, false, false, Offset.NONE, null, 1.0);
    }
    // end::model-preset-mean-field[]
    // end::model-presets[]

    /**
     * Luo, Xu, Ma and Zhang's (2021, JMLR 22(71), eq. (1)) two-layer net at one width, with its
     * three numbers given directly: f(x) = (1/luoAlpha) sum_k a_k sigma(&lt;w_k, x&gt;), a_k ~
     * N(0, beta1^2), w_k ~ N(0, beta2^2 I), both layers trained at rate 1 (rho = 1). No biases:
     * Luo et al. fold the bias into w by appending a constant input 1 to x
     * ({@code twolayer.data.Dataset.withConstantInput()}), so that w includes it with the same std
     * beta2 and the same rate. The activation (ReLU in the paper) is chosen when the net is built.
     * Its normalised dynamics depend only on kappa = beta1 beta2 / luoAlpha and kappa' = beta1 /
     * beta2 ({@link LuoScales}; the scalings chapter derives it), so two triples with the same
     * (kappa, kappa') give the same trajectory of the normalised weights up to a rescaling of
     * time.
     *
     * @param luoAlpha the divisor of the output (> 0); not Chizat's {@code lazyScale}, which
     *            multiplies it
     * @param beta1    the initial std of the output weights a (> 0)
     * @param beta2    the initial std of the input weights w (> 0)
     */
    public static Parameterization luoRaw(double luoAlpha, double beta1, double beta2) {
        requirePositive("luoAlpha", luoAlpha);
        requirePositive("beta1", beta1);
        requirePositive("beta2", beta2);
        String name = "luo(alpha=" + luoAlpha + ", beta1=" + beta1 + ", beta2=" + beta2 + ")";
        return new Parameterization(name, Scale.constant(1.0 / luoAlpha), ONE, ONE, ONE,
                Scale.constant(beta1), Scale.constant(beta2), ONE, ONE,
                ONE, ONE, ONE, ONE, 1, false, false, false, Offset.NONE, null, 1.0);
    }

    // tag::model-scalings-luo[]
    /**
     * Luo et al.'s (2021) net at the point (gamma, gamma') of their phase diagram, in the gauge
     * luoAlpha = 1, beta1 = m^(-(gamma + gamma')/2), beta2 = m^(-(gamma - gamma')/2), so that
     * kappa = beta1 beta2 / luoAlpha = m^(-gamma) and kappa' = beta1 / beta2 = m^(-gamma') exactly
     * at every width (gamma = -log kappa / log m, gamma' = -log kappa' / log m, their definition).
     * Rates 1, no biases (append the constant input, {@link #luoRaw}); add
     * {@link #withAntisymmetricInit} to cancel the initial output, of size kappa sqrt(m) = m^(1/2
     * - gamma), which diverges for gamma &lt; 1/2. {@link LuoCoordinates#regime(double)}
     * classifies the point.
     */
    public static Parameterization luo(double gamma, double gammaPrime) {
        requireFinite("gamma", gamma);
        requireFinite("gammaPrime", gammaPrime);
        String name = "luo(gamma=" + gamma + ", gamma'=" + gammaPrime + ")";
        return new Parameterization(name, ONE, ONE, ONE, ONE,
                Scale.power(1.0, (gamma + gammaPrime) / 2),
                Scale.power(1.0, (gamma - gammaPrime) / 2), ONE, ONE,
                ONE, ONE, ONE, ONE, 1, false, false, false, Offset.NONE, null, 1.0);
    }
    // end::model-scalings-luo[]

    /** Golikov's reference width d* = 128 (Golikov 2020, code deeppavlov/infinite-width_nets). */
    public static final int GOLIKOV_REFERENCE_WIDTH = 128;

    // tag::model-scalings-presets[]
    /**
     * Golikov's (2020, "Dynamically stable infinite-width limits of neural classifiers", arXiv
     * 2006.06574) scaling (q_sigma, q~_a, q~_w) relative to a reference width mRef: at m = mRef it
     * is the reference net, the standard parameterisation (a ~ N(0, 1/mRef), w ~ N(0, I/d),
     * multipliers 1, rates 1); at width m, with r = m / mRef,
     * <pre>
     *   sA = r^(q_sigma) / sqrt(mRef),   sW = 1 / sqrt(d),
     *   rhoA = r^(q~_a + 2 q_sigma),    rhoW = r^(q~_w),
     * </pre>
     * so that sigma = sA sW ~ m^(q_sigma) and the normalised weights a/sA, w/sW move at rates
     * r^(q~_a), r^(q~_w). No biases. Presets: ntk (-1/2, 0, 0), mean field (-1, 1, 1), sym-default
     * (-1/2, 1/2, 1/2), default (-1/2, 1, 0). {@link GolikovExponents} gives the exponents A, B, C
     * and the region of the map of limits.
     */
    public static Parameterization golikov(double qSigma, double qTildeA, double qTildeW,
                                           int mRef) {
                                           // end::model-scalings-presets[]
        requireFinite("qSigma", qSigma);
        requireFinite("qTildeA", qTildeA);
        requireFinite("qTildeW", qTildeW);
        if (mRef < 1) {
            throw new IllegalArgumentException("mRef: must be >= 1, got " + mRef);
        }
        // tag::model-scalings-presets[]
        String name = "golikov(" + qSigma + ", " + qTildeA + ", " + qTildeW + ")";
        return new Parameterization(name, ONE, ONE, ONE, ONE,
                new Scale(1.0 / Math.sqrt(mRef), -qSigma, 0), new Scale(1.0, 0, 0.5), ONE, ONE,
                Scale.power(1.0, -(qTildeA + 2 * qSigma)), Scale.power(1.0, -qTildeW), ONE, ONE,
                mRef, false, false, false, Offset.NONE, null, 1.0);
    }
    // end::model-scalings-presets[]

    /** {@link #golikov(double, double, double, int)} at Golikov's reference width 128. */
    public static Parameterization golikov(double qSigma, double qTildeA, double qTildeW) {
        return golikov(qSigma, qTildeA, qTildeW, GOLIKOV_REFERENCE_WIDTH);
    }

    /**
     * Golikov's (2020) initialisation-corrected mean field (IC-MF): the mean-field scaling
     * golikov(-1, 1, 1, mRef) with the frozen offset g = f_ref(theta0) - f_MF(theta0), f_ref the
     * reference net (golikov(-1/2, 0, 0, mRef), the standard parameterisation at width m) on the
     * same normal draw: f_IC(theta) = f_MF(theta) - f_MF(theta0) + f_ref(theta0) = f_MF(theta) +
     * (sqrt(m/mRef) - 1) f_MF(theta0). Its gradient is the mean-field gradient; its output at init
     * has the reference net's O(1) variance.
     */
    public static Parameterization initCorrectedMeanField(int mRef) {
        return golikov(-1, 1, 1, mRef).withOffset(Offset.INIT_CORRECTED, golikov(-0.5, 0, 0, mRef))
                .withName("ic-mf");
    }

    /** {@link #initCorrectedMeanField(int)} at Golikov's reference width 128. */
    public static Parameterization initCorrectedMeanField() {
        return initCorrectedMeanField(GOLIKOV_REFERENCE_WIDTH);
    }

    // tag::model-scalings-presets[]
    /**
     * The maximal-update parameterisation muP of Yang and Hu (2021, "Feature learning in
     * infinite-width neural networks", arXiv 2011.14522, Table 3) for a two-layer net trained by
     * SGD, in abc coordinates (a1, b1) = (-1/2, 1/2), (a2, b2) = (1/2, 1/2), c = 0: kW = sqrt(m),
     * w ~ N(0, I/m), kA = 1/sqrt(m), a ~ N(0, 1/m), rates 1. It is {@link #meanField()} shifted by
     * the abc symmetry with theta = -1/2, so the two are the same dynamics (claim SC-1).
     */
    public static Parameterization muP() {
        return new Parameterization("muP", Scale.power(1.0, 0.5), Scale.power(1.0, -0.5), ONE, ONE,
                Scale.power(1.0, 0.5), Scale.power(1.0, 0.5), ONE, ONE,
                ONE, ONE, ONE, ONE, 1, false, false, false, Offset.NONE, null, 1.0);
    }
    // end::model-scalings-presets[]

    private static void requirePositive(String field, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + ": must be finite and > 0, got " + v);
        }
    }

    private static void requireFinite(String field, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(field + ": must be finite, got " + v);
        }
    }

    /** The width exponents (gamma, gamma') of Luo et al. (2021) of this parameterisation ({@link LuoCoordinates#of}). */
    public LuoCoordinates luoCoordinates() {
        return LuoCoordinates.of(this);
    }

    /** Golikov's (2020) exponents (q_sigma, q~_a, q~_w) of this parameterisation ({@link GolikovExponents#of}). */
    public GolikovExponents golikovExponents() {
        return GolikovExponents.of(this);
    }

    /** Yang and Hu's (2021) abc exponents of this parameterisation ({@link AbcExponents#of}). */
    public AbcExponents abcExponents() {
        return AbcExponents.of(this);
    }

    private static final Scale ONE = Scale.constant(1.0);

    /**
     * Whether this is the mean-field net, whatever its name: f = (1/m) sum_j a_j sigma(&lt;w_j, x&gt; + b_j) with
     * multipliers kA = 1/m, kW = kB = 1, every particle coordinate (a, w and b if present) at the rate rho = m,
     * no output bias, no offset and lazy scale 1 (model chapter, section "Parameterisations"). The
     * initial scales do not matter: they set where the particles start, not the dynamics. Checked on the scales
     * themselves at several widths, so a renamed or rebuilt preset keeps the MFLD certificate it is entitled to.
     */
    public boolean isMeanField() {
        if (outputBias || offset != Offset.NONE || lazyScale != 1.0) {
            return false;
        }
        for (int m : new int[] {1, 3, 64, 1000}) {
            for (int d : new int[] {1, 5}) {
                boolean mf = close(kA.at(m, mRef, d), 1.0 / m) && close(kW.at(m, mRef, d), 1.0)
                        && close(rhoA.at(m, mRef, d), m) && close(rhoW.at(m, mRef, d), m)
                        && (!hiddenBias || (close(kB.at(m, mRef, d), 1.0) && close(rhoB.at(m, mRef, d), m)));
                if (!mf) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Equal to 1e-12 relative: the scales are powers, evaluated with Math.pow. */
    private static boolean close(double x, double y) {
        return Math.abs(x - y) <= 1e-12 * Math.abs(y);
    }

    /**
     * Chizat-Oyallon-Bach lazy scaling: the output times alpha and the loss over alpha^2 (all rates over
     * alpha^2). Composes multiplicatively with an existing lazy scale.
     */
    public Parameterization withLazyScale(double alpha) {
        return new Parameterization(name + "+lazy(" + alpha + ")", kA, kW, kB, kC, sA, sW, sB, sC,
                rhoA, rhoW, rhoB, rhoC, mRef, hiddenBias, outputBias, antisymmetricInit, offset, reference,
                lazyScale * alpha);
    }

    /** The same parameterisation with other relative rates. */
    public Parameterization withRates(Scale rhoA, Scale rhoW, Scale rhoB, Scale rhoC) {
        return new Parameterization(name, kA, kW, kB, kC, sA, sW, sB, sC, rhoA, rhoW, rhoB, rhoC,
                mRef, hiddenBias, outputBias, antisymmetricInit, offset, reference, lazyScale);
    }

    /** The same parameterisation with or without the hidden biases b and the output bias c. */
    public Parameterization withBiases(boolean hidden, boolean output) {
        return new Parameterization(name, kA, kW, kB, kC, sA, sW, sB, sC, rhoA, rhoW, rhoB, rhoC,
                mRef, hidden, output, antisymmetricInit, offset, reference, lazyScale);
    }

    /** The same parameterisation with the antisymmetric ("doubling") initialisation switched on or off. */
    public Parameterization withAntisymmetricInit(boolean on) {
        return new Parameterization(on ? name + "+antisymmetric" : name, kA, kW, kB, kC, sA, sW, sB, sC,
                rhoA, rhoW, rhoB, rhoC, mRef, hiddenBias, outputBias, on, offset, reference, lazyScale);
    }

    /** The same parameterisation with a frozen output offset ({@link Offset#INIT_CORRECTED} needs a reference). */
    public Parameterization withOffset(Offset newOffset, Parameterization newReference) {
        String label = newOffset == Offset.NONE ? name : name + "+" + newOffset.name().toLowerCase(java.util.Locale.ROOT);
        return new Parameterization(label, kA, kW, kB, kC, sA, sW, sB, sC, rhoA, rhoW, rhoB, rhoC,
                mRef, hiddenBias, outputBias, antisymmetricInit, newOffset, newReference, lazyScale);
    }

    /** The same parameterisation under another name. */
    public Parameterization withName(String newName) {
        return new Parameterization(newName, kA, kW, kB, kC, sA, sW, sB, sC, rhoA, rhoW, rhoB, rhoC,
                mRef, hiddenBias, outputBias, antisymmetricInit, offset, reference, lazyScale);
    }

    /** The multiplier k_g. */
    public Scale multiplier(Group g) {
        return switch (g) { case A -> kA; case W -> kW; case B -> kB; case C -> kC; };
    }

    /** The initial standard deviation s_g. */
    public Scale initStd(Group g) {
        return switch (g) { case A -> sA; case W -> sW; case B -> sB; case C -> sC; };
    }

    /** The relative rate rho_g (before the 1/lazyScale^2 factor). */
    public Scale rate(Group g) {
        return switch (g) { case A -> rhoA; case W -> rhoW; case B -> rhoB; case C -> rhoC; };
    }

    /** Whether group g has parameters. */
    public boolean has(Group g) {
        return switch (g) { case A, W -> true; case B -> hiddenBias; case C -> outputBias; };
    }

    /** Parses a preset name of the CLI: ntk, standard, standard-ntk-rates, mean-field, mu-p, ic-mf. */
    public static Parameterization preset(String name, double sigmaW, double sigmaV, Double sigmaB) {
        String key = name.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (key) {
            case "ntk" -> sigmaB == null ? ntk(sigmaW, sigmaV) : ntk(sigmaW, sigmaV, sigmaB);
            case "standard" -> sigmaB == null ? standard(sigmaW, sigmaV, 0).withBiases(false, false)
                    : standard(sigmaW, sigmaV, sigmaB);
            case "standard-ntk-rates" -> sigmaB == null
                    ? standardWithNtkRates(sigmaW, sigmaV, 0).withBiases(false, false)
                    : standardWithNtkRates(sigmaW, sigmaV, sigmaB);
            case "mean-field", "meanfield" -> meanField();
            case "mu-p" -> muP();
            case "ic-mf", "init-corrected-mean-field" -> initCorrectedMeanField();
            default -> throw new IllegalArgumentException("parameterization: unknown '" + name
                    + "'; allowed: ntk, standard, standard-ntk-rates, mean-field, mu-p, ic-mf");
        };
    }
}
