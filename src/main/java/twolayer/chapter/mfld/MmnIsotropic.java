package twolayer.chapter.mfld;

import java.util.Objects;
import twolayer.data.IsotropicGaussians;
import twolayer.dynamics.IsotropicSgd;
import twolayer.dynamics.RadialDynamics;
import twolayer.measure.IsotropicRisk;
import twolayer.model.Ramp;

/**
 * The isotropic-Gaussian example of Mei, Montanari and Nguyen (PNAS 2018): online SGD of N ramp neurons against the
 * one-dimensional reduction of the distributional dynamics ({@link RadialDynamics}), compared at equal time
 * t = k eps. The SGD risk is computed in closed form ({@link IsotropicRisk#exact}), so the comparison carries no
 * test-set error.
 *
 * @see <a href="../../mfld.html#mmn">the mfld chapter, section on Mei-Montanari-Nguyen</a>
 */
public final class MmnIsotropic {

    private MmnIsotropic() {
    }

    /**
     * @param d         input dimension
     * @param delta     Delta: x | y ~ N(0, (1 + y Delta)^2 I_d)
     * @param width     N, the number of SGD neurons
     * @param eps       SGD step size; t = k eps
     * @param initScale kappa: w ~ N(0, kappa^2/d I_d)
     * @param radii     M, the radius particles of the reduction
     * @param times     the observation times (non-decreasing, each a whole number of SGD steps)
     */
    public record Config(int d, double delta, int width, double eps, double initScale, int radii, double[] times) {
        public Config {
            Objects.requireNonNull(times, "times");
            times = times.clone();
            data(d, delta);   // validates d and Delta
        }

        /** The setting of the chapter: d = 40, Delta = 0.8, kappa = 0.8, the ramp of Ramp.mmn(). */
        public static Config chapter(int width, double eps, int radii, double[] times) {
            return new Config(40, 0.8, width, eps, 0.8, radii, times);
        }

        @Override
        public double[] times() {
            return times.clone();
        }

        /** The data distribution. */
        public IsotropicGaussians data() {
            return data(d, delta);
        }

        private static IsotropicGaussians data(int d, double delta) {
            return new IsotropicGaussians(d, delta);
        }
    }

    /** A risk curve at the configuration's times, with the radii observed at each time. */
    public record Curve(double[] times, double[] risk, double[][] radii) {
    }

    // tag::experiment-mmn-isotropic[]
    /** The 1-D reduction at finite d (Hermite terms up to 16), or MMN's d = infinity reduction. */
    public static Curve reduction(Config config, boolean finiteDimension) {
        IsotropicGaussians data = config.data();
        double kappa = config.initScale();
        RadialDynamics.Config rc = finiteDimension
                ? RadialDynamics.Config.exact(data, Ramp.mmn(), kappa, config.radii())
                : RadialDynamics.Config.infiniteDimension(data, Ramp.mmn(), kappa, config.radii());
        RadialDynamics dd = new RadialDynamics(rc);
        double[] times = config.times();
        double[] risk = new double[times.length];
        double[][] radii = new double[times.length][];
        for (int q = 0; q < times.length; q++) {
            dd.advanceTo(times[q]);
            risk[q] = dd.risk();
            radii[q] = dd.radii();
        }
        return new Curve(times, risk, radii);
    }

    /** Online SGD from the seed, its risk in closed form at each time. */
    public static Curve sgd(Config config, long seed) {
        IsotropicGaussians data = config.data();
        IsotropicSgd sgd = new IsotropicSgd(new IsotropicSgd.Config(data, Ramp.mmn(), config.width(),
                config.eps(), config.initScale(), seed));
        double[] times = config.times();
        double[] risk = new double[times.length];
        double[][] radii = new double[times.length][];
        for (int q = 0; q < times.length; q++) {
            sgd.advanceTo(times[q]);
            risk[q] = IsotropicRisk.exact(data, Ramp.mmn(), sgd.weights()).risk();
            radii[q] = sgd.radii();
        }
        return new Curve(times, risk, radii);
    }
    // end::experiment-mmn-isotropic[]
}
