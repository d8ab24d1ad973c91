package twolayer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import twolayer.chapter.mfld.MfldToy;
import twolayer.data.Dataset;
import twolayer.dynamics.MeanFieldLangevin;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TrainingState;
import twolayer.measure.CertifiedBounds;
import twolayer.measure.GibbsCertificate;
import twolayer.model.Activation;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * The certificate of an MFLD training run ({@link FreeEnergyRecorder#certificate}) on the grid it chooses from the loss
 * agrees with the certificate on a much wider and finer grid, at the initialisation (gap ~ 1) and after training
 * (gap ~ 1e-4); and the regularised energy is the loss plus the L2 prior.
 */
class FreeEnergyRecorderTest {

    private static final MeanFieldLangevin.Config MFLD = new MeanFieldLangevin.Config(0.05, 0.01, 0.2, 0.2, 7);

    /**
     * Both grids converge the trapezoidal rule far below double rounding (the integrands are smooth and decay as
     * e^-36 or faster at the ends), so the bounds differ only by the rounding of sums over the grid nodes: at most
     * N eps ~ 12801 * 1.1e-16 = 1.4e-12 for terms of size ~1 (values 0.2..2); measured 4e-15.
     */
    private static final double QUADRATURE_AGREEMENT = 2e-12;

    @Test
    void chosenGridAgreesWithAWideFineGrid() {
        Dataset data = MfldToy.data(20);
        TwoLayerNet net = TwoLayerNet.initialize(1, 100, Activation.TANH, Parameterization.meanField(), 3);
        TrainingProblem problem = new TrainingProblem(net, data, Loss.SQUARED, Parallelism.sequential());
        MeanFieldLangevin mfld = new MeanFieldLangevin(problem, MFLD);
        // the toy's grid (|w| <= 16) refined fourfold: 12801 nodes at spacing 0.0025
        GibbsCertificate reference = new GibbsCertificate(data, Activation.TANH, 1.0, MFLD.lambda(), MFLD.lambdaA(),
                MFLD.lambdaW(), MfldToy.W_MAX, 4 * (MfldToy.GRID_POINTS - 1) + 1);
        for (long steps : new long[] {0, 400}) {
            mfld.advance(steps - mfld.steps());
            double[] theta = mfld.parameters();
            double loss = problem.loss(theta);
            CertifiedBounds chosen = FreeEnergyRecorder.certificate(net, data, MFLD, loss).certify(0, theta, 100);
            CertifiedBounds fine = reference.certify(0, theta, 100);
            assertEquals(fine.lower(), chosen.lower(), QUADRATURE_AGREEMENT, "lower bound after " + steps + " steps");
            assertEquals(fine.upper(), chosen.upper(), QUADRATURE_AGREEMENT, "upper bound after " + steps + " steps");
            assertTrue(chosen.gap() >= 0, "gap " + chosen.gap());

            double prior = 0;
            for (double v : theta) {
                prior += 0.2 / 2 * v * v / 100;
            }
            double energy = FreeEnergyRecorder.regularisedEnergy(net, new TrainingState(0, steps, loss, theta), MFLD);
            assertEquals(loss + prior, energy, 1e-14, "F0 = L + (lambdaA/2) E a^2 + (lambdaW/2) E w^2 (equal lambdas)");
        }
    }

    /** A loss so large that the grid would exceed its node limit gives no certificate rather than a huge grid. */
    @Test
    void hugeLossGivesNoCertificate() {
        Dataset data = MfldToy.data(20);
        TwoLayerNet net = TwoLayerNet.initialize(1, 10, Activation.TANH, Parameterization.meanField(), 3);
        assertNull(FreeEnergyRecorder.certificate(net, data, MFLD, 1e12));
        assertNotNull(FreeEnergyRecorder.certificate(net, data, MFLD, 1.0));
    }

    /** The certificate's domain is decided by the net's scales: a renamed mean-field preset keeps it. */
    @Test
    void aRenamedMeanFieldPresetKeepsItsCertificate() {
        Dataset data = new Dataset(new double[] {-1, 0, 1}, new double[] {0.5, 0, -0.5}, 3, 1);
        MeanFieldLangevin.Config c = new MeanFieldLangevin.Config(0.05, 0.01, 0.2, 0.2, 7);
        Parameterization renamed = Parameterization.meanField().withName("my-mf").withLazyScale(1.0);
        assertTrue(FreeEnergyRecorder.certificateAbsence(data, Activation.TANH, renamed, Loss.SQUARED, c).isEmpty());
        assertFalse(FreeEnergyRecorder.certificateAbsence(data, Activation.TANH, Parameterization.meanField()
                .withLazyScale(2.0), Loss.SQUARED, c).isEmpty(), "a lazy scale of 2 is another dynamics");
    }
}
