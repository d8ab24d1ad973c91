package twolayer.measure;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.chapter.twotimescale.TwoTimescaleToy;
import twolayer.kernel.TwoTimescaleObjective;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.TwoLayerNet;

/** The two-timescale certificate's sandwich and the grid solver's monotonicity on the toy. */
class TwoTimescaleCertificateTest {

    /** Random particles at several spreads: lower &lt;= G*_grid &lt;= upper, and the gap is non-negative. */
    @Test
    void boundsSandwichTheGridOptimum() {
        TwoTimescaleToy.Config c = TwoTimescaleToy.Config.chapter(1L, 100);
        TwoTimescaleCertificate cert = TwoTimescaleToy.certificate(c);
        MfldGridSolver.Solution star = TwoTimescaleToy.reference(c);
        assertTrue(star.gap() < 1e-12, "grid gap " + star.gap());
        TwoLayerNet net = TwoTimescaleToy.net(c);
        SplittableRandom rng = new SplittableRandom(5);
        for (double scale : new double[] {1.0, 0.45, 0.2}) {
            double[] theta = net.initialParameters();
            for (int k = net.offset(Group.W); k < theta.length; k++) {
                theta[k] = scale * rng.nextGaussian();
            }
            CertifiedBounds b = cert.certify(0, net, theta);
            assertTrue(b.lower() <= star.freeEnergy() + 1e-12, b + " vs G* " + star.freeEnergy());
            assertTrue(b.upper() >= star.freeEnergy() - 1e-12, b + " vs G* " + star.freeEnergy());
        }
    }

    /** G decreases along the mirror iterates and the exact gap dominates G(mu_k) - G*. */
    @Test
    void gridIterationIsMonotoneAndGapDominatesSuboptimality() {
        MfldGridSolver.Solution star = TwoTimescaleToy.reference(TwoTimescaleToy.Config.chapter(1L, 100));
        var h = star.history();
        for (int k = 1; k < h.size(); k++) {
            assertTrue(h.get(k).freeEnergy() <= h.get(k - 1).freeEnergy() + 1e-13, "G increased at " + k);
            assertTrue(h.get(k).gap() >= h.get(k).freeEnergy() - star.freeEnergy() - 1e-13, "gap below G - G* at " + k);
        }
    }

    @Test
    void rejectsBadInput() {
        var data = TwoTimescaleToy.data(5);
        assertThrows(IllegalArgumentException.class, () -> new TwoTimescaleCertificate(data, Activation.TANH, 1, 1, true,
                new TwoTimescaleObjective(0.0, 0.1, 0.1), 4, 101));
        assertThrows(IllegalArgumentException.class, () -> new TwoTimescaleCertificate(data, Activation.TANH, 1, 1, true,
                new TwoTimescaleObjective(0.1, 0.1, 0.1), 4, 100));
    }
}
