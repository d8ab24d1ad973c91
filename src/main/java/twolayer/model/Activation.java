package twolayer.model;

import org.apache.commons.math3.special.Erf;

/**
 * The hidden-unit nonlinearity sigma, with its first and second derivatives next to it.
 *
 * <p>Conventions (see the notation chapter):
 * <ul>
 *   <li>relu(z) = max(z, 0); its derivative at 0 is taken as 0 (the subgradient used by every
 *       autodiff library), its second derivative is 0 everywhere (the Dirac mass at 0 is ignored).</li>
 *   <li>erf(z) is the plain error function (neural-tangents' {@code Erf(a=1, b=1, c=0)}):
 *       erf'(z) = (2/sqrt(pi)) exp(-z^2), erf''(z) = -2 z erf'(z).</li>
 *   <li>tanh'(z) = 1 - tanh^2 z, tanh''(z) = -2 tanh z (1 - tanh^2 z).</li>
 *   <li>sigmoid s(z) = 1/(1+e^-z): s' = s(1-s), s'' = s'(1-2s).</li>
 *   <li>softplus(z) = log(1+e^z): derivative sigmoid(z), second derivative sigmoid'(z).</li>
 * </ul>
 * All forms are written so that they neither overflow nor lose precision for large |z|.
 *
 * <p>tanh is {@link StrictMath#tanh} (fdlibm), here and wherever the project evaluates tanh: {@link Math#tanh} may
 * differ from it by an ulp, and does on JDK 24 and later (an x86 intrinsic), while JDK 17 gives fdlibm's bits; so
 * StrictMath keeps the results the same on every JDK. The hidden layer applies it to whole rows with
 * {@link twolayer.linalg.Tanh}, a SIMD kernel with the same bits.
 *
 * @see <a href="../../../model.html#activations">the model chapter</a>
 */
public enum Activation {
    // tag::model-activations[]
    RELU(true) {
        @Override public double value(double z) { return z > 0 ? z : 0.0; }
        @Override public double derivative(double z) { return z > 0 ? 1.0 : 0.0; }
        @Override public double derivative(double z, double v) { return v > 0 ? 1.0 : 0.0; }   // v > 0 iff z > 0
        @Override public double secondDerivative(double z) { return 0.0; }
    },
    ERF(false) {
        @Override public double value(double z) { return Erf.erf(z); }
        @Override public double derivative(double z) { return TWO_OVER_SQRT_PI * Math.exp(-z * z); }
        @Override public double secondDerivative(double z) { return -2.0 * z * derivative(z); }
    },
    TANH(true) {
        @Override public double value(double z) { return StrictMath.tanh(z); }
        @Override public double derivative(double z) { double t = StrictMath.tanh(z); return 1.0 - t * t; }
        @Override public double derivative(double z, double v) { return 1.0 - v * v; }
        @Override public double secondDerivative(double z) { double t = StrictMath.tanh(z); return -2.0 * t * (1.0 - t * t); }
    },
    SIGMOID(true) {
        @Override public double value(double z) { return logistic(z); }
        @Override public double derivative(double z) { double s = logistic(z); return s * (1.0 - s); }
        @Override public double derivative(double z, double v) { return v * (1.0 - v); }
        @Override public double secondDerivative(double z) { double s = logistic(z); return s * (1.0 - s) * (1.0 - 2.0 * s); }
    },
    SOFTPLUS(false) {
        // log(1 + e^z) = max(z, 0) + log1p(e^{-|z|}): no overflow for large z, no cancellation for small.
        @Override public double value(double z) { return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z))); }
        @Override public double derivative(double z) { return logistic(z); }
        @Override public double secondDerivative(double z) { double s = logistic(z); return s * (1.0 - s); }
    };
    // end::model-activations[]

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private final boolean derivativeFromValue;

    Activation(boolean derivativeFromValue) {
        this.derivativeFromValue = derivativeFromValue;
    }

    /**
     * Whether {@link #derivative(double, double)} needs only v = sigma(z), not z: then the forward pass need not
     * keep the pre-activations for the backward pass (relu: v &gt; 0 exactly when z &gt; 0; tanh, sigmoid).
     */
    public boolean derivativeFromValue() {
        return derivativeFromValue;
    }

    /** sigma(z). */
    public abstract double value(double z);

    /** sigma'(z). */
    public abstract double derivative(double z);

    /**
     * sigma'(z) given also v = sigma(z) as {@link #value} computed it: the bits of {@link #derivative(double)}, with
     * tanh' = 1 - v^2 and sigmoid' = v (1 - v) taken from v instead of evaluating sigma a second time (the
     * backward pass has v from the forward pass).
     */
    public double derivative(double z, double v) {
        return derivative(z);
    }

    /** sigma''(z). */
    public abstract double secondDerivative(double z);

    /**
     * The logistic function 1/(1+e^{-z}), evaluated on the side where the exponential cannot overflow.
     */
    public static double logistic(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** Parses a lower-case name such as {@code relu} (the CLI's spelling). */
    public static Activation parse(String name) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(name.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation: unknown '" + name
                + "'; allowed: relu, erf, tanh, sigmoid, softplus");
    }
}
