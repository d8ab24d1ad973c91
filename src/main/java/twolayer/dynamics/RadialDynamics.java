package twolayer.dynamics;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.FirstOrderIntegrator;
import org.apache.commons.math3.ode.nonstiff.DormandPrince853Integrator;
import twolayer.data.IsotropicGaussians;
import twolayer.model.Ramp;

/**
 * The distributional dynamics of Mei, Montanari and Nguyen (PNAS 2018; their DD with xi = 1) for the isotropic Gaussians
 * ({@link IsotropicGaussians}) and the ramp neuron sigma(&lt;w, x&gt;) ({@link Ramp}), reduced to one dimension.
 *
 * <p><b>The reduction.</b> The DD is d rho/dt = 2 div(rho grad Psi(w; rho)) with Psi(w; rho) = V(w) + int U(w, w')
 * rho(dw'), V(w) = -E[y sigma(&lt;w, x&gt;)], U(w, w') = E[sigma(&lt;w, x&gt;) sigma(&lt;w', x&gt;)]. The data law is invariant
 * under rotations, so V and U are, a rotation-invariant rho_0 stays rotation-invariant, and Psi(w; rho) depends on w
 * only through r = ||w||: its gradient is radial and every particle moves along its own ray with
 * <pre>
 *   dr/dt = -2 d/dr Psi(r; rho_t),
 * </pre>
 * a deterministic ODE for the radii whose law rho_t-bar determines rho_t. Given y, &lt;w, x&gt; and &lt;w', x&gt; are
 * centred Gaussians with standard deviations tau_y r, tau_y r' and correlation c = cos(w, w'); for a rotation-invariant
 * rho the direction of w' is uniform, so c has the law of one coordinate of a uniform unit vector in R^d, with
 * E c^(2j) = mu_2j = (2j-1)!! / (d (d+2) ... (d+2j-2)) and vanishing odd moments. Mehler's formula then makes the
 * averaged interaction separable:
 * <pre>
 *   V(r)        = -(1/2) (q(tau_+ r) - q(tau_- r)),           q(s) = E sigma(s G)
 *   U-bar(r,r') = (1/2) sum_(+-) sum_j mu_2j beta_2j(tau_+- r) beta_2j(tau_+- r')
 *   Psi(r)      = V(r) + (1/2) sum_(+-) sum_j mu_2j beta_2j(tau_+- r) M_2j^+-,   M_k^+- = int beta_k(tau_+- r') rho-bar(dr')
 *   R(rho-bar)  = 1 - (M_0^+ - M_0^-) + (1/2) sum_(+-) sum_j mu_2j (M_2j^+-)^2
 * </pre>
 * with beta_k the normalised Hermite coefficients of {@link Ramp#hermite}. The j = 0 term alone (mu_0 = 1) is MMN's
 * d -&gt; infinity reduction (neurons' directions orthogonal); the terms j &gt;= 1 are the exact finite-d correction, of
 * relative size 1/d. The sum is truncated at 2j &lt;= {@code hermiteOrder}; mu_2j decays like (2j-1)!!/d^j.
 *
 * <p><b>Discretisation.</b> rho-bar_0 is the law of ||w|| for w ~ N(0, kappa^2/d I_d), that is (kappa/sqrt(d)) chi_d,
 * represented by M equally weighted radii at its quantiles (i + 1/2)/M; the M coupled ODEs are integrated by
 * commons-math3's Dormand-Prince 8(5,3) integrator with error control. Nothing is random.
 *
 * @see <a href="../../mfld.html#mmn">the mfld chapter, section on Mei-Montanari-Nguyen</a>
 */
public final class RadialDynamics {

    /**
     * @param data         the isotropic Gaussians (d, Delta)
     * @param sigma        the ramp
     * @param initScale    kappa: w ~ N(0, kappa^2/d I_d) at t = 0 (> 0)
     * @param radii        M, the number of radius particles (>= 1)
     * @param hermiteOrder K: the even Hermite terms 0, 2, ..., K of the interaction (>= 0); 0 is the d = infinity
     *                     reduction
     * @param tolerance    absolute and relative error tolerance of the ODE integrator (> 0)
     */
    public record Config(IsotropicGaussians data, Ramp sigma, double initScale, int radii, int hermiteOrder,
                         double tolerance) {
        public Config {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(sigma, "sigma");
            if (!(initScale > 0) || !Double.isFinite(initScale)) {
                throw new IllegalArgumentException("initScale: must be finite and > 0, got " + initScale);
            }
            if (radii < 1) {
                throw new IllegalArgumentException("radii: must be >= 1, got " + radii);
            }
            if (hermiteOrder < 0 || hermiteOrder > 40) {
                throw new IllegalArgumentException("hermiteOrder: must be in [0, 40], got " + hermiteOrder);
            }
            if (!(tolerance > 0)) {
                throw new IllegalArgumentException("tolerance: must be > 0, got " + tolerance);
            }
        }

        /** The finite-d reduction with M radii, Hermite terms up to 16 and tolerance 1e-8. */
        public static Config exact(IsotropicGaussians data, Ramp sigma, double initScale, int radii) {
            return new Config(data, sigma, initScale, radii, 16, 1e-8);
        }

        /** MMN's d = infinity reduction (only the j = 0 term), otherwise as {@link #exact}. */
        public static Config infiniteDimension(IsotropicGaussians data, Ramp sigma, double initScale, int radii) {
            return new Config(data, sigma, initScale, radii, 0, 1e-8);
        }
    }

    private final Config config;
    private final Ramp sigma;
    private final double[] tau;        // (tau_+, tau_-)
    private final double[] mu;         // mu_0, mu_2, ..., mu_K: E c^(2j)
    private final double[] r;          // (M) the radii
    private final double[] beta, dBeta;      // (K + 1) scratch
    private final double[][] moments;  // [class][j] M_2j
    private final double[] slopes;     // (2, M, J) d beta_2j / ds at tau_c r_i
    private final FirstOrderIntegrator integrator;
    private double t;
    private long evaluations;

    /** Starts from the quantiles of rho-bar_0 = the law of ||w||, w ~ N(0, kappa^2/d I_d). */
    public RadialDynamics(Config config) {
        this(config, initialRadii(config.data().d(), config.initScale(), config.radii()));
    }

    /** Starts from the given radii (each finite and >= 0; their number replaces config.radii()). */
    public RadialDynamics(Config config, double[] radii) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(radii, "radii");
        for (int i = 0; i < radii.length; i++) {
            if (!(radii[i] >= 0) || !Double.isFinite(radii[i])) {
                throw new IllegalArgumentException("radii: entry " + i + " must be finite and >= 0, got " + radii[i]);
            }
        }
        if (radii.length < 1) {
            throw new IllegalArgumentException("radii: need at least one radius");
        }
        this.sigma = config.sigma();
        int d = config.data().d();
        this.tau = new double[] {config.data().scale(1), config.data().scale(-1)};
        int terms = config.hermiteOrder() / 2 + 1;
        this.mu = new double[terms];
        mu[0] = 1.0;
        for (int j = 1; j < terms; j++) {
            mu[j] = mu[j - 1] * (2 * j - 1) / (d + 2 * j - 2.0);
        }
        this.r = radii.clone();
        this.beta = new double[2 * (terms - 1) + 1];
        this.dBeta = new double[beta.length];
        this.moments = new double[2][terms];
        this.slopes = new double[2 * radii.length * terms];
        double tol = config.tolerance();
        this.integrator = new DormandPrince853Integrator(1e-12, 1.0, tol, tol);
    }

    /** The quantiles (i + 1/2)/M of (kappa/sqrt(d)) chi_d, the norm of w ~ N(0, kappa^2/d I_d). */
    static double[] initialRadii(int d, double kappa, int m) {
        ChiSquaredDistribution chi2 = new ChiSquaredDistribution(d);
        double[] radii = new double[m];
        for (int i = 0; i < m; i++) {
            radii[i] = kappa / Math.sqrt(d) * Math.sqrt(chi2.inverseCumulativeProbability((i + 0.5) / m));
        }
        return radii;
    }

    /** The current time t. */
    public double time() {
        return t;
    }

    /** A copy of the radii. */
    public double[] radii() {
        return r.clone();
    }

    /**
     * M_2j^+- = (1/M) sum_i beta_2j(tau_+- r_i) for the given radii; with {@code slopes} not null it
     * also keeps d beta_2j / ds at s = tau_+- r_i in slopes[(c M + i) J + j] (one Hermite pass serves
     * both).
     */
    private void moments(double[] radii, double[] slopes) {
        int m = radii.length, terms = mu.length;
        for (int c = 0; c < 2; c++) {
            Arrays.fill(moments[c], 0.0);
            for (int i = 0; i < m; i++) {
                sigma.hermite(tau[c] * radii[i], beta, slopes == null ? null : dBeta);
                for (int j = 0; j < terms; j++) {
                    moments[c][j] += beta[2 * j];
                    if (slopes != null) {
                        slopes[(c * m + i) * terms + j] = dBeta[2 * j];
                    }
                }
            }
            for (int j = 0; j < terms; j++) {
                moments[c][j] /= m;
            }
        }
    }

    // tag::dynamics-radial-field[]
    /**
     * dr_i/dt = -2 d/dr Psi(r_i; rho-bar), where
     * d/dr Psi = (1/2) sum_(+-) tau_+- [ -(+-1) q'(tau_+- r) + sum_j mu_2j beta_2j'(tau_+- r) M_2j^+- ].
     */
    private void velocities(double[] radii, double[] rDot) {
        int m = radii.length, terms = mu.length;
        moments(radii, slopes);
        for (int i = 0; i < m; i++) {
            double dPsi = 0.0;
            for (int c = 0; c < 2; c++) {
                int at = (c * m + i) * terms;
                double sign = c == 0 ? 1.0 : -1.0;   // V = -(1/2)(q_+ - q_-), and q' = beta_0'
                double interaction = 0.0;
                for (int j = 0; j < terms; j++) {
                    interaction += mu[j] * slopes[at + j] * moments[c][j];
                }
                dPsi += 0.5 * tau[c] * (interaction - sign * slopes[at]);
            }
            rDot[i] = -2 * dPsi;
        }
    }
    // end::dynamics-radial-field[]

    /** R(rho-bar) = 1 - (M_0^+ - M_0^-) + (1/2) sum_(+-) sum_j mu_2j (M_2j^+-)^2. */
    public double risk() {
        moments(r, null);
        double risk = 1 - (moments[0][0] - moments[1][0]);
        for (int c = 0; c < 2; c++) {
            for (int j = 0; j < mu.length; j++) {
                risk += 0.5 * mu[j] * moments[c][j] * moments[c][j];
            }
        }
        return risk;
    }

    /**
     * The velocities dr_i/dt of the current radii. Their mean square is the dissipation of the risk,
     * dR/dt = (2/M) sum_i d/dr Psi(r_i) dr_i/dt = -(1/M) sum_i (dr_i/dt)^2, since dr_i/dt = -2 d/dr Psi(r_i).
     */
    public double[] velocity() {
        double[] rDot = new double[r.length];
        velocities(r, rDot);
        return rDot;
    }

    /** Integrates the radii from the current time to {@code time} (>= the current time). */
    public void advanceTo(double time) {
        if (!(time >= t) || !Double.isFinite(time)) {
            throw new IllegalArgumentException("time: must be finite and >= the current time " + t + ", got " + time);
        }
        if (time == t) {
            return;
        }
        FirstOrderDifferentialEquations ode = new FirstOrderDifferentialEquations() {
            @Override
            public int getDimension() {
                return r.length;
            }

            @Override
            public void computeDerivatives(double time, double[] y, double[] yDot) {
                velocities(y, yDot);
            }
        };
        integrator.integrate(ode, t, r, time, r);
        evaluations += integrator.getEvaluations();
        t = time;
    }

    /** The number of evaluations of the velocity field so far (the cost of the run). */
    public long evaluations() {
        return evaluations;
    }

    /** The configuration. */
    public Config config() {
        return config;
    }
}
