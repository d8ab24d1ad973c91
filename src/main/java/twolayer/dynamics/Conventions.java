package twolayer.dynamics;

/**
 * The conventions every output of twolayer states, written once: {@code train --help}, each run's
 * {@code run.json}, the conformance files and the baseline chapter all take their text from here (notation
 * chapter, sections "The network", "Loss" and "Time"). The texts are compile-time constants so that the command
 * line's help annotations can use them.
 */
public final class Conventions {

    private Conventions() {}

    // tag::dynamics-conventions[]
    /** The network, in the raw coordinates a, w, b, c of the notation chapter. */
    public static final String MODEL = "f(x) = alpha * (kA sum_j a_j sigma(kW <w_j, x> + kB b_j) + kC c),"
            + " alpha = the lazy scale (1 unless set)";

    /** The loss of a training set (x_i, y_i), i = 1..n. */
    public static final String LOSS = "L = (1/n) sum_i l(f(x_i), y_i); squared: l = (f - y)^2 / 2, so"
            + " L = 1/(2n) sum_i (f(x_i) - y_i)^2; logistic: l = log(1 + exp(-y f)), y in {-1, +1}";

    /** Gradient-flow time, shared by every dynamics. */
    public static final String TIME = "t is gradient-flow time: d theta_g/dt = -(rho_g / alpha^2) grad_g L for each"
            + " group g in {a, w, b, c}; gradient descent is its Euler scheme, and after k steps of size eta it is"
            + " at t = eta * k";

    /** The relative weight change of the history. */
    public static final String RD = "RD_g(t) = ||theta_g(t) - theta_g(0)||_2 / ||theta_g(0)||_2 for each parameter"
            + " group g in {a, w, b, c}; NaN when theta_g(0) = 0";

    /** When a fixed-step run is observed ({@link ObservationTimes}). */
    public static final String STEP_OBSERVATIONS = "after step floor(j k / N), j = 0..N, N = observe, k = steps;"
            + " a step reached twice is observed once";

    /** When gradient flow is observed. */
    public static final String FLOW_OBSERVATIONS = "at t = j T / N, j = 0..N, N = observe, T = time";
    // end::dynamics-conventions[]

    // tag::dynamics-conventions-mean-field[]
    /** One step of mean-field Langevin dynamics. */
    public static final String MFLD = "theta_j <- theta_j - eta (m grad_theta_j L + lambda_g theta_j)"
            + " + sqrt(2 eta lambda) xi_j, xi_j ~ N(0, I), lambda_g = lambda_a on a, lambda_w on w (and b);"
            + " t = eta k";

    /** The free energy MFLD minimises. */
    public static final String FREE_ENERGY = "F(mu) = L(mu) + (lambda_a/2) E_mu a^2 + (lambda_w/2) E_mu ||w||^2"
            + " + lambda Ent(mu), mu = (1/m) sum_j delta_(a_j, w_j); F of the particles' empirical measure is"
            + " infinite (Ent of a sum of Diracs), so histories record energy = F0 = F - lambda Ent";

    /** One step of two-timescale training. */
    public static final String TWO_TIMESCALE = "w_j <- w_j - eta (m grad_w_j L + lambda_w w_j) + sqrt(2 eta lambda)"
            + " xi_j (and b_j), xi_j ~ N(0, I), then a_j <- alpha^T h(w_j), alpha = (K + n lambda_a I)^-1 y"
            + " (ratio inf) or ceil(eta r (max_i K_ii + lambda_a)) gradient steps on a at r times the rate"
            + " (finite ratio r); t = eta k";

    /** The objective two-timescale training minimises. */
    public static final String OBJECTIVE = "G(mu) = (lambda_a/2) y^T (K_mu + n lambda_a I)^-1 y"
            + " + (lambda_w/2) E_mu ||w||^2 + lambda Ent(mu), K_mu = E_mu[h h^T], h = (sigma(<w, x_i> + b))_i;"
            + " histories record energy = G - lambda Ent";
            // end::dynamics-conventions-mean-field[]
}
