package twolayer.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.chapter.mfld.MfldToy;
import twolayer.data.Dataset;
import twolayer.model.Activation;

/** The certificate's identities and the grid solver's exactness on the toy. */
class GibbsCertificateTest {

    /** Random particles: lower &lt;= F*_grid &lt;= upper, and the gap is the Bregman term (1/2n)|f_p - f_mu|^2. */
    @Test
    void boundsSandwichTheGridOptimumAndGapIsBregman() {
        MfldToy.Config c = MfldToy.Config.chapter(1L, 200);
        GibbsCertificate cert = MfldToy.certificate(c);
        MfldGridSolver.Solution star = MfldToy.reference(c);
        assertTrue(star.gap() < 1e-12, "grid gap " + star.gap());
        SplittableRandom rng = new SplittableRandom(3);
        for (double scale : new double[] {1.0, 0.3, 0.2}) {
            int m = 200;
            double[] theta = new double[2 * m];
            for (int k = 0; k < theta.length; k++) {
                theta[k] = scale * rng.nextGaussian();
            }
            CertifiedBounds b = cert.certify(0, theta, m);
            assertTrue(b.lower() <= star.freeEnergy() + 1e-12, b + " vs F* " + star.freeEnergy());
            assertTrue(b.upper() >= star.freeEnergy() - 1e-12, b + " vs F* " + star.freeEnergy());
            double[] f = cert.particleOutputs(theta, m);
            GibbsCertificate.Gibbs p = cert.gibbs(cert.residual(f));
            double[] fp = cert.gridOutputs(p.density(), p.meanA());
            double bregman = 0.0;
            for (int i = 0; i < f.length; i++) {
                bregman += (fp[i] - f[i]) * (fp[i] - f[i]);
            }
            bregman /= 2 * f.length;
            assertEquals(bregman, b.gap(), 1e-10 * Math.max(1, bregman));
        }
    }

    /** The grid iteration decreases F monotonically and its gap dominates F - F*. */
    @Test
    void gridIterationIsMonotoneAndGapDominatesSuboptimality() {
        MfldToy.Config c = MfldToy.Config.chapter(1L, 200);
        MfldGridSolver.Solution star = MfldToy.reference(c);
        var h = star.history();
        for (int k = 1; k < h.size(); k++) {
            assertTrue(h.get(k).freeEnergy() <= h.get(k - 1).freeEnergy() + 1e-13, "F increased at " + k);
            assertTrue(h.get(k).gap() >= h.get(k).freeEnergy() - star.freeEnergy() - 1e-13, "gap below F - F* at " + k);
        }
    }

    @Test
    void rejectsBadInput() {
        Dataset two = new Dataset(new double[] {0, 1, 2, 3}, new double[] {0, 1}, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> new GibbsCertificate(two, Activation.TANH, 1, 0.1, 0.1, 0.1, 5, 101));
        Dataset one = MfldToy.data(5);
        assertThrows(IllegalArgumentException.class, () -> new GibbsCertificate(one, Activation.TANH, 1, 0, 0.1, 0.1, 5, 101));
        assertThrows(IllegalArgumentException.class, () -> new GibbsCertificate(one, Activation.TANH, 1, 0.1, 0.1, 0.1, 5, 100));
        GibbsCertificate narrow = new GibbsCertificate(one, Activation.TANH, 1, 0.1, 0.1, 0.001, 0.5, 101);
        assertThrows(IllegalStateException.class, () -> narrow.gibbs(new double[5]));
    }
}
