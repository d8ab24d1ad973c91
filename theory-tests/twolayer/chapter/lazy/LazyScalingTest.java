package twolayer.chapter.lazy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import twolayer.kernel.EmpiricalNtk;
import twolayer.model.Activation;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.Scale;
import twolayer.model.TwoLayerNet;

/** The alpha = m^p family: its two named points, and a kernel at initialisation that does not depend on p. */
class LazyScalingTest {

    @Test
    void halfIsTheNtkPresetCoordinateByCoordinate() {
        assertEquals(Parameterization.ntk(1.0, 1.0), LazyScaling.alphaPower(0.5).withName("ntk"));
    }

    @Test
    void zeroIsMeanFieldWithTheFanIn() {
        Parameterization mf = Parameterization.meanField(), p = LazyScaling.alphaPower(0.0);
        assertEquals(mf.kA(), p.kA());
        assertEquals(mf.rhoA(), p.rhoA());
        assertEquals(mf.rhoW(), p.rhoW());
        assertEquals(new Scale(1.0, 0.0, 0.5), p.kW());
    }

    /**
     * Theta = sum_j rho kA^2 (...) = m^(1-2p) m^(2p-2) sum_j (...) = (1/m) sum_j (...): the same kernel for every p
     * when the normal draw is the same, so equal times mean equal training at every alpha.
     */
    @Test
    void kernelAtInitialisationDoesNotDependOnAlpha() {
        int d = 4, m = 50, k = 6;
        double[] x = new double[k * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(1.7 * i + 0.3);
        }
        double[] reference = null;
        for (double p : new double[] {0.0, 0.3, 0.5, 0.7, 1.0}) {
            TwoLayerNet net = TwoLayerNet.initialize(d, m, Activation.TANH, LazyScaling.alphaPower(p), 8L);
            double[] gram = EmpiricalNtk.gram(net, net.initialParameters(), x, k, Parallelism.sequential());
            if (reference == null) {
                reference = gram;
            }
            for (int q = 0; q < gram.length; q++) {
                assertEquals(reference[q], gram[q], 1e-13 * Math.abs(reference[q]) + 1e-15, "p = " + p + ", entry " + q);
            }
        }
    }

    @Test
    void inputInitStdChangesOnlySw() {
        Parameterization ntk = Parameterization.ntk(1.0, 1.0);
        Parameterization small = LazyScaling.withInputInitStd(ntk, new Scale(1.0, 0.0, 0.5));
        assertEquals(new Scale(1.0, 0.0, 0.5), small.sW());
        assertEquals(ntk.withName("x"), LazyScaling.withInputInitStd(small, ntk.sW()).withName("x"));
    }
}
