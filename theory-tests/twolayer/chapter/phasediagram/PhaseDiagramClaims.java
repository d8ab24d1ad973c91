package twolayer.chapter.phasediagram;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.Point;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.PointSlope;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.Record;
import twolayer.ledger.Claim;
import twolayer.ledger.Seeds;
import twolayer.model.LuoCoordinates;
import twolayer.model.Parameterization;
import twolayer.model.Regime;
import twolayer.ledger.ClaimFailureRecorder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The claims of the phase-diagram chapter (Luo, Xu, Ma and Zhang, JMLR 2021). Every slope is
 * s = d log RD(theta_w) / d log m at the end of training (loss below 1e-6), fitted over at least 5 widths spanning
 * at least 1.5 decades to the seed-mean of log RD (S_w = -s in the paper's sign). The widths are chosen for cost
 * where that is safe: 256 ... 8192 at the NTK point (about 1500 steps a run) and on the critical line, where RD
 * still grows below m = 256 (at (1, -1/2): 2.4, 2.6, 3.2, 3.3 for m = 64, 128, 256, 512); 64 ... 2048 at the linear
 * points (5000 to 20000 steps a run); 32 ... 1024 for the sign tests of the condensed points.
 * Runs of a point are shared between the claims that use them and run on two threads (results do not depend on
 * the thread count).
 */
@ExtendWith(ClaimFailureRecorder.class)
class PhaseDiagramClaims {

    static final int[] WIDE = {256, 512, 1024, 2048, 4096, 8192};
    static final int[] NARROW = {64, 128, 256, 512, 1024, 2048};
    static final int[] SMALL = {32, 64, 128, 256, 512, 1024};

    private static final Map<Point, List<Record>> RUNS = new ConcurrentHashMap<>();

    /** The runs of one point over the widths and seeds (cached: PD-3 and PD-4 reuse those of PD-1 and PD-2). */
    static List<Record> runs(Point p, int[] widths, int seeds) {
        return RUNS.computeIfAbsent(p, q -> {
            long[] s = Seeds.of(seeds).mapToLong(Long::longValue).toArray();
            try {
                return PhaseDiagramSweep.runAll(PhaseDiagramSweep.Config.of(List.of(q), widths, s), 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    static PointSlope slope(Point p, int[] widths, int seeds) {
        List<PointSlope> s = PhaseDiagramSweep.summarise(runs(p, widths, seeds));
        if (s.size() != 1 || s.get(0).notConverged() > 0 || s.get(0).widths().length != widths.length) {
            throw new AssertionError("point " + p + ": not every run converged to the loss threshold: " + s);
        }
        return s.get(0);
    }

    static Claim.Case measured(PointSlope s) {
        return Claim.measure().value("slope", s.fit().slope()).value("stdError", s.fit().stdError())
                .value("seedStdError", s.fit().seedStdError());
    }

    // tag::experiment-claim-pd-1[]
    static final Claim PD_1 = Claim.define("PD-1", "phase-diagram",
            "At the NTK point (gamma, gamma') = (1/2, 0) the fitted slope"
                    + " s = d log RD(theta_w) / d log m is -1/2 (S_w = 1/2): the input weights"
                    + " move like m^(-1/2).",
            "Luo, Xu, Ma, Zhang 2021, Theorem 1 (linear regime); the exponent derived in the"
                    + " chapter (kernel regime)",
            "|s + 1/2| <= 0.1: the calibration's single-seed spread 0.10 (over the narrower"
                    + " 256...4096) gives a 3-seed standard error of 0.06; over 256...8192 the"
                    + " measured seed and regression standard errors are about 0.01, so 0.1 also"
                    + " covers the finite-width bias of the local slope");

    /** PD-1 over m = 256 ... 8192 (1.5 decades), 3 seeds. */
    @Test
    @DisplayName("PD-1 the ntk point: slope -1/2")
    void ntkPointSlopeIsMinusOneHalf() {
        PointSlope s = slope(new Point(0.5, 0), WIDE, 3);
        PD_1.check(Math.abs(s.fit().slope() + 0.5) <= 0.1, measured(s),
                "NTK point slope " + s.fit().slope() + " +- " + s.fit().error()
                        + ", want -0.5 +- 0.1");
    }
    // end::experiment-claim-pd-1[]

    static final Claim PD_2 = Claim.define("PD-2", "phase-diagram",
            "On the critical set (the mean-field point (1, 0) and the line gamma = 1 at (1, -1/2)) RD(theta_w) stays"
                    + " O(1): the slope over m = 256 ... 8192 is 0.",
            "Luo, Xu, Ma, Zhang 2021, boundary between Theorems 1 and 2 (critical regime)",
            "|s| <= 0.07 at each point: twice the 2-seed standard error from the calibration's single-seed spread"
                    + " (about 0.03 at (1, 0)), plus 0.02 for the drift of a local slope at small m");

    /** PD-2 at two critical points over m = 256 ... 8192, 2 seeds. */
    @Test
    @DisplayName("PD-2 the critical set: slope 0")
    void criticalSetSlopeIsZero() {
        for (Point p : List.of(new Point(1, 0), new Point(1, -0.5))) {
            if (new LuoCoordinates(p.gamma(), p.gammaPrime()).regime() != Regime.CRITICAL) {
                throw new AssertionError(p + " is not critical");
            }
            PointSlope s = slope(p, WIDE, 2);
            PD_2.check(Math.abs(s.fit().slope()) <= 0.07, measured(s).max("absSlope", Math.abs(s.fit().slope())),
                    "critical point " + p + ": slope " + s.fit().slope() + " +- " + s.fit().error()
                            + ", want 0 +- 0.07");
        }
    }

    static final Claim PD_3 = Claim.define("PD-3", "phase-diagram",
            "In the linear regime RD(theta_w) -> 0 (slope < -0.1) and in the condensed regime it grows (slope > +0.1),"
                    + " at several grid points; at the LeCun/He point (1/2, 1/2) the slope is -3/2.",
            "Luo, Xu, Ma, Zhang 2021, Theorems 1 and 2; the LeCun exponent gamma - 1 - 2 gamma' derived in the chapter",
            "signs with a margin of 0.1 (more than 3 seed standard errors at every point); |s + 3/2| <= 0.15 at"
                    + " (1/2, 1/2): twice the 2-seed standard error from the calibration's single-seed spread 0.06,"
                    + " (0.085), plus 0.065 for the slow approach of the local slope at small m");

    /** PD-3: linear points (1/2, 0), (3/4, -1/4), (1/2, 1/2); condensed points (2, 0), (3/2, 0). */
    @Test
    @DisplayName("PD-3 linear shrinks, condensed grows, LeCun -3/2")
    void linearShrinksCondensedGrowsLeCunIsMinusThreeHalves() {
        PointSlope ntk = slope(new Point(0.5, 0), WIDE, 3);
        PointSlope lecun = slope(new Point(0.5, 0.5), NARROW, 2);
        for (PointSlope s : List.of(ntk, slope(new Point(0.75, -0.25), NARROW, 2), lecun)) {
            PD_3.check(s.fit().slope() < -0.1, measured(s).max("linearSlope", s.fit().slope()),
                    "linear point " + s.point() + ": slope " + s.fit().slope() + ", want < -0.1");
        }
        for (Point p : List.of(new Point(2, 0), new Point(1.5, 0))) {
            PointSlope s = slope(p, SMALL, 2);
            PD_3.check(s.fit().slope() > 0.1, measured(s).min("condensedSlope", s.fit().slope()),
                    "condensed point " + p + ": slope " + s.fit().slope() + ", want > 0.1");
        }
        PD_3.check(Math.abs(lecun.fit().slope() + 1.5) <= 0.15, measured(lecun).value("lecunSlope", lecun.fit().slope()),
                "LeCun point slope " + lecun.fit().slope() + " +- " + lecun.fit().error() + ", want -1.5 +- 0.15");
    }

    static final Claim PD_4 = Claim.define("PD-4", "phase-diagram",
            "Condensation: at m = 1024 the top-4 orientation clusters (radius 0.05 rad) hold more than 90% of the"
                    + " amplitude sum |a_k| ||w_k|| in the condensed regime and less than 20% in the linear regime.",
            "Luo, Xu, Ma, Zhang 2021 (the condensed regime); the index is the chapter's",
            "thresholds 0.9 and 0.2 against measured 0.97-1.00 and 0.08-0.10 in the calibration; every seed must pass");

    /** PD-4 on the m = 1024 runs of PD-2 and PD-3: condensed (2, 0), (3/2, 0); linear (1/2, 0). */
    @Test
    @DisplayName("PD-4 condensed neurons gather at few orientations")
    void condensedNeuronsGatherAtFewOrientations() {
        for (Point p : List.of(new Point(2, 0), new Point(1.5, 0), new Point(0.5, 0))) {
            boolean condensed = p.gamma() > 1;
            int[] widths = condensed ? SMALL : WIDE;
            for (Record r : runs(p, widths, condensed ? 2 : 3)) {
                if (r.key().width() != 1024) {
                    continue;
                }
                double share = r.top4Share();
                PD_4.check(condensed ? share > 0.9 : share < 0.2,
                        condensed ? Claim.measure().min("condensedTop4Share", share)
                                .max("condensedEffectiveOrientations", r.effectiveOrientations())
                                : Claim.measure().max("linearTop4Share", share)
                                .min("linearEffectiveOrientations", r.effectiveOrientations()),
                        p + " seed " + r.key().seed() + ": top-4 share " + share);
            }
        }
    }

    static final Claim PD_5 = Claim.define("PD-5", "phase-diagram",
            "Gauge invariance: (alpha, beta1, beta2) and (lambda^2 alpha, lambda beta1, lambda beta2) have the same"
                    + " (kappa, kappa') and give the same normalised trajectory (a/beta1, w/beta2) (relative Euclidean norm) and the same RD to"
                    + " round-off; the normalised initial layers a/beta1 and w/beta2 have unit RMS (the normalisation is"
                    + " the one claimed).",
            "derived in the chapter (1-homogeneity of ReLU; Luo, Xu, Ma, Zhang 2021, normalised dynamics)",
            "relative difference <= 1e-12 after 300 steps (measured about 1e-15; a few hundred roundings of"
                    + " relative size 1e-16 each, with room for their growth along a contracting trajectory); |RMS - 1|"
                    + " <= 0.3 for each normalised layer at init (128 independent N(0, 1) values each under the"
                    + " antisymmetric init: standard deviation of the RMS 0.063, so about 5 of them)");

    /** Tolerance on the RMS of a normalised initial layer (about 5 standard deviations of the RMS of 128 values). */
    static final double NORMALISED_RMS_TOLERANCE = 0.3;

    /**
     * PD-5 at a linear, a critical and a condensed triple, lambda = 3.7 (not a power of 2, so round-off shows).
     *
     * <p>Control: gauge invariance alone cannot see beta1 and beta2 exchanged (in luoRaw, a ~ N(0, beta2^2) and w ~
     * N(0, beta1^2)): the exchanged net is the gauge transform of the exchanged triple, so both runs stay equal. With
     * that swap injected, the trajectory comparison alone passed; the RMS check failed on the triple (1, 0.01, 0.001)
     * with the RMS of a/beta1 0.107 and of w/beta2 9.62 (no bug: 1 within 0.065).
     */
    @Test
    @DisplayName("PD-5 the gauge transform leaves the normalised trajectory unchanged")
    void gaugeTransformLeavesTheNormalisedTrajectoryUnchanged() {
        double lambda = 3.7;
        int m = 256;
        for (double[] t : new double[][] {{16, 1, 1}, {256, 1, 1}, {1, 0.01, 0.001}}) {
            PhaseRun.Result r1 = PhaseRun.run(new PhaseRun.Config(Parameterization.luoRaw(t[0], t[1], t[2]), m,
                    Seeds.BASE, 1e-12, 300, 0.3));
            PhaseRun.Result r2 = PhaseRun.run(new PhaseRun.Config(Parameterization.luoRaw(lambda * lambda * t[0],
                    lambda * t[1], lambda * t[2]), m, Seeds.BASE, 1e-12, 300, 0.3));
            double diff = 0, norm = 0;
            for (int k = 0; k < r1.theta().length; k++) {
                double beta = k < m ? t[1] : t[2];
                double u = r1.theta()[k] / beta, v = r2.theta()[k] / (lambda * beta);
                diff += (u - v) * (u - v);
                norm += u * u;
            }
            double worst = Math.sqrt(diff / norm);
            double rd = Math.abs(r1.rdW() - r2.rdW()) / r1.rdW();
            worst = Math.max(worst, rd);
            // the layout is [a (m) | w (m, 2)]: the normalised a and w at init
            double rmsA = rms(r1.theta0(), 0, m) / t[1], rmsW = rms(r1.theta0(), m, r1.theta0().length) / t[2];
            double rmsError = Math.max(Math.abs(rmsA - 1), Math.abs(rmsW - 1));
            PD_5.check(worst <= 1e-12 && r1.steps() == r2.steps() && rmsError <= NORMALISED_RMS_TOLERANCE,
                    Claim.measure().max("relativeDifference", worst).max("normalisedRmsError", rmsError),
                    "triple " + java.util.Arrays.toString(t) + ": normalised parameters differ by " + worst
                            + "; RMS of a/beta1 " + rmsA + ", of w/beta2 " + rmsW + " (need 1 +- "
                            + NORMALISED_RMS_TOLERANCE + ")");
        }
    }

    private static double rms(double[] v, int from, int to) {
        double s = 0;
        for (int k = from; k < to; k++) {
            s += v[k] * v[k];
        }
        return Math.sqrt(s / (to - from));
    }
}
