package twolayer.model;

import java.util.Objects;

/**
 * How a two-layer net's multipliers, initialisation and learning rates scale with the width m.
 *
 * <p>Every parameterisation is a point of one form (design.md section 3; the model chapter derives it):
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
    // end::model-presets[]

    private static final Scale ONE = Scale.constant(1.0);

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

    /** Parses a preset name of the CLI: ntk, standard, standard-ntk-rates, mean-field. */
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
            default -> throw new IllegalArgumentException("parameterization: unknown '" + name
                    + "'; allowed: ntk, standard, standard-ntk-rates, mean-field");
        };
    }
}
