package twolayer.chapter.lazy;

import twolayer.model.Offset;
import twolayer.model.Parameterization;
import twolayer.model.Scale;

/**
 * The one-parameter family of output scales of the lazy-training chapter (the seed study's f = (alpha/m) sum_j
 * u_j h(&lt;theta_j, x&gt;) with alpha = m^p), written as a {@link Parameterization}:
 * <pre>
 *   f(x) = (alpha/m) sum_j a_j sigma(&lt;w_j, x&gt; / sqrt(d)),   a_j ~ N(0, 1), w_j ~ N(0, I_d),   alpha = m^p
 *   kA = alpha/m = m^(p-1),   kW = 1/sqrt(d),   rho_a = rho_w = m / alpha^2 = m^(1-2p)
 * </pre>
 * <b>Why these rates.</b> The empirical NTK is Theta = sum_g rho_g &lt;df/dtheta_g, df/dtheta_g&gt;, a sum of m
 * neuron terms each of size rho kA^2 = rho m^(2p-2), so Theta = rho m^(2p-1) (K + O(m^(-1/2))) with K an O(1) kernel
 * (the infinite-width average). The rates rho = m^(1-2p) make Theta = K + O(m^(-1/2)) for every p: the outputs
 * move at the same speed d f/dt = -(1/n) Theta l'(f) at every width and scale, so a fixed time T means the same
 * amount of training, and the step-size limit 2n/(c lambda_max(Theta)) does not depend on m or p.
 * <ul>
 *   <li>p = 1/2 (alpha = sqrt m) is neural-tangents' ntk preset {@code Parameterization.ntk(1, 1)}, coordinate by
 *       coordinate;</li>
 *   <li>p = 0 (alpha = 1) is the mean-field preset (kA = 1/m, rho = m) with the fan-in multiplier 1/sqrt(d) on the
 *       inputs, so that its pre-activations are O(1) on inputs of norm sqrt(d), as under ntk;</li>
 *   <li>the study's alpha = m^0.3 and m^0.7 lie between and beyond.</li>
 * </ul>
 * The seed study kept the per-particle rate fixed instead (seed-study section 0), so that its Theta grew like alpha
 * and its fixed number of epochs meant more training at larger alpha; here time is comparable across alpha.
 */
public final class LazyScaling {

    private LazyScaling() {
    }

    // tag::experiment-lazy-scaling[]
    /** The net with output scale alpha = m^p and rates m / alpha^2 (no biases). */
    public static Parameterization alphaPower(double p) {
        if (!Double.isFinite(p)) {
            throw new IllegalArgumentException("p: the exponent of alpha = m^p must be finite, got "
                    + p);
        }
        Scale kA = new Scale(1.0, 1.0 - p, 0.0);          // alpha / m = m^(p - 1)
        Scale kW = new Scale(1.0, 0.0, 0.5);              // 1 / sqrt(d)
        Scale rho = new Scale(1.0, 2.0 * p - 1.0, 0.0);   // m / alpha^2 = m^(1 - 2p): Theta = O(1)
        Scale one = Scale.constant(1.0), none = Scale.constant(0.0);
        return new Parameterization("alpha=m^" + p, kA, kW, none, none, one, one, one, one,
                rho, rho, rho, rho, 1, false, false, false, Offset.NONE, null, 1.0);
    }
    // end::experiment-lazy-scaling[]

    /** The same parameterisation with another initial standard deviation s_W of the input weights w. */
    public static Parameterization withInputInitStd(Parameterization p, Scale sW) {
        return new Parameterization(p.name() + "+sW=" + sW, p.kA(), p.kW(), p.kB(), p.kC(), p.sA(), sW, p.sB(), p.sC(),
                p.rhoA(), p.rhoW(), p.rhoB(), p.rhoC(), p.mRef(), p.hiddenBias(), p.outputBias(),
                p.antisymmetricInit(), p.offset(), p.reference(), p.lazyScale());
    }
}
