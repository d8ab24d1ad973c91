package twolayer.measure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import twolayer.model.Activation;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/** The particle view and its diagnostics on hand-made populations whose answers are known in closed form. */
class ParticlesTest {

    @Test
    void readsParticlesFromTheParameterLayout() {
        TwoLayerNet net = TwoLayerNet.initialize(3, 5, Activation.TANH, Parameterization.meanField(), 7L);
        double[] theta = net.initialParameters();
        Particles p = Particles.of(net, theta);
        assertEquals(5, p.width());
        assertEquals(3, p.dimension());
        for (int j = 0; j < 5; j++) {
            assertEquals(theta[j], p.a(j));          // layout [a (m) | w (m, d)]
            for (int k = 0; k < 3; k++) {
                assertEquals(theta[5 + 3 * j + k], p.w(j, k));
            }
        }
        theta[0] = 99;                               // a snapshot: later changes do not leak in
        assertEquals(net.initialParameters()[0], p.a(0));
    }

    @Test
    void anglesAndNearestDirectionsOfKnownVectors() {
        // w_0 = (1, 0); w_1 = (1, 1) at 45 degrees; w_2 = (-1, 0.01) almost opposite to (1, 0); w_3 = (0, 0)
        Particles p = Particles.of(new double[] {1, -2, 0.5, 1}, new double[] {1, 0, 1, 1, -1, 0.01, 0, 0}, 2);
        assertEquals(0.0, p.angleTo(0, new double[] {3, 0}), 0.0);
        assertEquals(Math.PI / 4, p.angleTo(1, new double[] {1, 0}), 1e-15);
        assertEquals(Math.PI - Math.atan(0.01), p.angleTo(2, new double[] {1, 0}), 1e-14);
        assertTrue(Double.isNaN(p.angleTo(3, new double[] {1, 0})));
        // A tiny angle keeps its precision (acos of a dot product would round it to 0)
        Particles tiny = Particles.of(new double[] {1}, new double[] {1, 1e-9}, 2);
        assertEquals(1e-9, tiny.angleTo(0, new double[] {1, 0}), 1e-20);

        double[] teacher = {2, 0, 1, 2, 2, 1, 0, 2};  // the study's theta*: (2,0), (1,2), (2,1), (0,2)
        assertEquals(0, p.nearestDirection(0, teacher));
        // (1, 1) is at 45 - atan(1/2) = 18.43 degrees from both (2, 1) and (1, 2); the first one wins a tie
        assertEquals(Math.toRadians(45) - Math.atan(0.5), p.angleToNearest(1, teacher), 1e-14);
        assertEquals(1, p.nearestDirection(1, teacher));
        assertThrows(IllegalArgumentException.class, () -> p.nearestDirection(0, new double[] {1, 0, 1}));
    }

    @Test
    void amplitudeAndParticipationNumber() {
        Particles p = Particles.of(new double[] {2, -1, 0}, new double[] {3, 4, 0, 1, 5, 5}, 2);
        assertEquals(10.0, p.amplitude(0), 1e-15);   // |2| * ||(3, 4)||
        assertEquals(1.0, p.amplitude(1), 1e-15);
        assertEquals(0.0, p.amplitude(2), 0.0);
        // P = (10, 1, 0) / 11, so 1 / sum P^2 = 121 / 101
        assertEquals(121.0 / 101.0, ParticleDiagnostics.participationNumber(p), 1e-15);
        // Limits: equal weights give m, one non-zero weight gives 1, all zero is undefined
        assertEquals(7.0, ParticleDiagnostics.participationNumber(new double[] {3, 3, 3, 3, 3, 3, 3}), 1e-14);
        assertEquals(1.0, ParticleDiagnostics.participationNumber(new double[] {0, 1e-300, 0}), 0.0);
        assertTrue(Double.isNaN(ParticleDiagnostics.participationNumber(new double[] {0, 0})));
        assertEquals(2.0, ParticleDiagnostics.participationNumber(new double[] {1e300, 1e300}), 1e-14);
        assertThrows(IllegalArgumentException.class, () -> ParticleDiagnostics.participationNumber(new double[] {-1}));
    }

    @Test
    void countsHistogramAndAlignedFraction() {
        double[] a = {1.5, 1.0, 0.99, -3, 0.0, 2};
        double[] w = {1, 0, 0, 1, 1, 1, 1, 0, 5, 5, Math.cos(0.1), Math.sin(0.1)};
        Particles p = Particles.of(a, w, 2);
        assertEquals(4, ParticleDiagnostics.countAbove(p, 1.0));    // |a| >= 1: 1.5, 1.0, -3, 2
        assertEquals(3, ParticleDiagnostics.countAtLeast(p, 1.0));  // a >= 1: 1.5, 1.0, 2
        assertArrayEquals(new int[] {1, 1, 2, 2}, ParticleDiagnostics.histogramOfA(p, -1, 2, 4)); // -3, 2 clamp
        double[] axes = {1, 0, 0, 1};
        // a >= 1: (1, 0) at 0, (0, 1) at 0, (cos .1, sin .1) at 0.1 rad = 5.7 degrees
        assertEquals(1.0, ParticleDiagnostics.alignedFraction(p, 1.0, axes, Math.toRadians(6)), 0.0);
        assertEquals(2.0 / 3.0, ParticleDiagnostics.alignedFraction(p, 1.0, axes, Math.toRadians(5)), 1e-15);
        assertTrue(Double.isNaN(ParticleDiagnostics.alignedFraction(p, 10.0, axes, 1.0)));
    }
}
