package twolayer.model;

/**
 * Per-sample losses l(f, y). The empirical risk is L = (1/n) sum_i l(f(x_i), y_i), so with the squared
 * loss l = (f - y)^2 / 2 it is L = 1/(2n) sum_i (f(x_i) - y_i)^2 (notation chapter) and the linearised
 * gradient flow on the training set is df/dt = -(1/n) Theta (f - y).
 */
public enum Loss {
    // tag::model-losses[]
    /** l = (f - y)^2 / 2, l' = f - y, l'' = 1. */
    SQUARED {
        @Override public double value(double f, double y) { double e = f - y; return 0.5 * e * e; }
        @Override public double derivative(double f, double y) { return f - y; }
        @Override public double secondDerivative(double f, double y) { return 1.0; }
    },
    /** Labels y in {-1, +1}: l = log(1 + e^{-y f}), l' = -y s(-y f), l'' = s(y f) s(-y f) with s the logistic function. */
    LOGISTIC {
        @Override public double value(double f, double y) { return Activation.SOFTPLUS.value(-y * f); }
        @Override public double derivative(double f, double y) { return -y * Activation.logistic(-y * f); }
        @Override public double secondDerivative(double f, double y) {
            double s = Activation.logistic(y * f);
            return s * (1.0 - s);
        }
    };
    // end::model-losses[]

    /** l(f, y). */
    public abstract double value(double f, double y);

    /** dl/df. */
    public abstract double derivative(double f, double y);

    /** d^2 l / df^2, bounded by 1 (squared) and 1/4 (logistic); used for step-size advice. */
    public abstract double secondDerivative(double f, double y);

    /** The largest value of l'' over f: the curvature bound behind the step-size advice. */
    public double curvatureBound() {
        return this == SQUARED ? 1.0 : 0.25;
    }

    /** Parses {@code squared} or {@code logistic}. */
    public static Loss parse(String name) {
        for (Loss l : values()) {
            if (l.name().equalsIgnoreCase(name.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("loss: unknown '" + name + "'; allowed: squared, logistic");
    }
}
