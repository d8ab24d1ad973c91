package twolayer.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The exact, deterministic minimiser of the MFLD free energy of {@link GibbsCertificate} on its w-grid: the
 * mirror-descent (dual-averaging) fixed-point iteration
 * <pre>
 *   mu_{k+1} proportional to mu_k^(1 - gamma) p_{mu_k}^gamma
 * </pre>
 * whose fixed points are the measures with mu = p_mu, the unique minimiser of F (the Eulerian analogue of
 * particle dual averaging, Nitanda, Wu, Suzuki 2021). Every iterate keeps the form
 * w ~ q(w) on the grid, a | w ~ N(meanA(w), lambda/lambdaA): the geometric mixture of two Gaussians of equal
 * variance s is the Gaussian of the mixed mean, times exp(-gamma (1 - gamma) (m1 - m2)^2 / (2 s)) in the
 * marginal. Starting from the prior N(0, lambda/lambdaA) x N(0, lambda/lambdaW), the exact gap
 * lambda KL(mu_k | p_{mu_k}) = F(mu_k) - lower(mu_k) &gt;= F(mu_k) - F* is reported at every iteration.
 *
 * <p>The same iteration minimises the two-timescale objective G of {@link TwoTimescaleCertificate} on its grid of
 * first-layer weights ({@link #solve(TwoTimescaleCertificate, double, double, int)}), where there is no a-coordinate:
 * the second layer is the readout a_mu(theta) of the inner ridge problem, returned in place of the conditional
 * mean of a.
 */
public final class MfldGridSolver {

    /** One iterate: its free energy and its exact gap F - lower (both by the grid's quadrature). */
    public record Iterate(int k, double freeEnergy, double gap) {}

    /** The solution: the minimiser's w-density and conditional mean of a, F*, its outputs, and the history. */
    public record Solution(double[] density, double[] meanA, double freeEnergy, double gap, double[] outputs,
            List<Iterate> history) {}

    private MfldGridSolver() {}

    /**
     * Iterates with damping gamma in (0, 1] until the gap falls below {@code tolerance} or after
     * {@code maxIterations}.
     */
    public static Solution solve(GibbsCertificate c, double gamma, double tolerance, int maxIterations) {
        Objects.requireNonNull(c, "certificate");
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma: damping must be in (0, 1], got " + gamma);
        }
        double[] w = c.grid(), weights = c.weights();
        int size = w.length;
        double s = c.lambda() / c.lambdaA();
        // Start from the prior: w ~ N(0, lambda/lambdaW), a | w ~ N(0, lambda/lambdaA)
        double[] logQ = new double[size];
        double[] meanA = new double[size];
        for (int g = 0; g < size; g++) {
            logQ[g] = -c.lambdaW() * w[g] * w[g] / (2 * c.lambda());
        }
        double[] q = normalise(logQ, weights);
        // tag::experiment-mfld-grid[]
        List<Iterate> history = new ArrayList<>();
        for (int k = 0; ; k++) {
            // The proximal Gibbs measure of the current iterate
            double[] r = c.residual(c.gridOutputs(q, meanA));
            GibbsCertificate.Gibbs p = c.gibbs(r);
            double energy = c.gibbsEnergy(q, meanA);
            double free = c.gridFreeEnergy(q, meanA);
            double lower = energy - c.expectedPhi(q, meanA, r) - c.lambda() * p.logZ();
            double gap = free - lower;
            history.add(new Iterate(k, free, gap));
            if (gap < tolerance || k == maxIterations) {
                return new Solution(q, meanA, free, gap, c.gridOutputs(q, meanA), history);
            }
            // Mirror step: geometric mixture of mu_k and p_{mu_k}
            for (int g = 0; g < size; g++) {
                double dm = meanA[g] - p.meanA()[g];
                logQ[g] = (gamma == 1 ? 0.0 : (1 - gamma) * logQ[g]) + gamma * Math.log(p.density()[g])
                        - gamma * (1 - gamma) * dm * dm / (2 * s);
                meanA[g] = (1 - gamma) * meanA[g] + gamma * p.meanA()[g];
            }
            q = normalise(logQ, weights);
        }
        // end::experiment-mfld-grid[]
    }

    // tag::experiment-tt-grid[]
    /**
     * Minimises G on the certificate's grid by mu_{k+1} proportional to mu_k^(1 - gamma) p_{mu_k}^gamma from the
     * prior N(0, lambda/lambdaW I), until the exact gap lambda KL(mu_k | p_{mu_k}) falls below {@code tolerance} or
     * after {@code maxIterations}. The solution's {@code density} is the grid density of mu* (against the
     * certificate's weights), {@code meanA} the optimal readout a_mu*(theta) at the nodes and {@code outputs} the
     * fit f = K_mu* alpha.
     */
    public static Solution solve(TwoTimescaleCertificate c, double gamma, double tolerance, int maxIterations) {
        Objects.requireNonNull(c, "certificate");
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma: damping must be in (0, 1], got " + gamma);
        }
        double[] logQ = c.logPrior();
        double[] logP = new double[c.size()];
        List<Iterate> history = new ArrayList<>();
        for (int k = 0; ; k++) {
            TwoTimescaleCertificate.GridValue v = c.gridMeasure(logQ);
            history.add(new Iterate(k, v.freeEnergy(), v.gap()));
            if (v.gap() < tolerance || k == maxIterations) {
                double[] density = new double[logQ.length];
                for (int g = 0; g < density.length; g++) {
                    density[g] = Math.exp(logQ[g]);
                }
                double nLambdaA = v.alpha().length * c.objective().lambdaA();
                double[] f = new double[v.alpha().length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = c.targets()[i] - nLambdaA * v.alpha()[i];
                }
                return new Solution(density, v.readouts(), v.freeEnergy(), v.gap(), f, history);
            }
            // Mirror step: geometric mixture of mu_k and p_{mu_k}
            c.gibbs(v.alpha(), logP);
            for (int g = 0; g < logQ.length; g++) {
                logQ[g] = (1 - gamma) * logQ[g] + gamma * logP[g];
            }
            logQ = c.normalise(logQ);
        }
    }
    // end::experiment-tt-grid[]

    private static double[] normalise(double[] logQ, double[] weights) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logQ) {
            max = Math.max(max, v);
        }
        double[] q = new double[logQ.length];
        double mass = 0.0;
        for (int g = 0; g < q.length; g++) {
            q[g] = Math.exp(logQ[g] - max);
            mass += weights[g] * q[g];
        }
        for (int g = 0; g < q.length; g++) {
            q[g] /= mass;
        }
        return q;
    }
}
