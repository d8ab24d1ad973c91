package twolayer.chapter.twotimescale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import twolayer.kernel.DirectionalKernel;
import twolayer.kernel.GaussHermite;
import twolayer.ledger.Claim;
import twolayer.ledger.Seeds;
import twolayer.ledger.ClaimFailureRecorder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The union-of-RKHSs experiment (b) of the two-timescale chapter: the target lies in the RKHS of one member
 * k_v* of a family of directional kernels ({@link DirectionalKernel}); the two-timescale net, which learns its
 * kernel, beats tuned kernel ridge regression with every fixed kernel compared (TT-9). Plus reference checks of
 * the member kernel and its target.
 */
@ExtendWith(ClaimFailureRecorder.class)
class UnionOfRkhsClaims {

    static Stream<Long> seeds() {
        return Seeds.of(2);
    }

    /**
     * Test points of each MSE. For residuals e_i with a Gaussian law the MSE over N points has relative standard
     * error sqrt(2 / N) = 0.045 at N = 1000; three of them, 0.134, on each side of the comparison.
     */
    static final double REL_SE_3 = 3 * Math.sqrt(2.0 / 1000);

    /** The largest ratio net / kernel that orders the two MSEs beyond 3 standard errors each: (1 - 3se)/(1 + 3se). */
    static final double MAX_RATIO = (1 - REL_SE_3) / (1 + REL_SE_3);

    static final Claim TT_9 = Claim.define("TT-9", "two-timescale",
            "On a union-of-RKHSs target (f* in the RKHS of the directional kernel k_v* of a hidden direction v*, "
            + "d = 15) the two-timescale-trained net's test error is below that of kernel ridge regression with "
            + "every fixed kernel compared (analytic relu NTK, initial intrinsic kernel), at the same n = 200, "
            + "ridges tuned, on every seed.",
            "Takakura and Suzuki 2024 (ICML), abstract and section 5 (networks learn a union of RKHSs more "
            + "efficiently than any kernel method); the directional-kernel construction is ours (two-timescale "
            + "chapter)",
            "net MSE / KRR MSE < (1 - 3 sqrt(2/N)) / (1 + 3 sqrt(2/N)) = 0.76 for each fixed kernel and seed, "
            + "N = 1000 test points: the order holds beyond 3 test-set standard errors of each MSE (Gaussian "
            + "residuals). The oracle member kernel k_v* (told v*) is reported, not compared");

    // tag::experiment-claim-tt-9[]
    @ParameterizedTest(name = "TT-9 net beats every fixed kernel, union of RKHSs [seed={0}]")
    @MethodSource("seeds")
    void trainedNetBeatsFixedKernelsOnUnionOfRkhs(long seed) {
        UnionOfRkhs.Config c = UnionOfRkhs.Config.claim(seed);
        UnionOfRkhs.Result r = UnionOfRkhs.run(c);
        UnionOfRkhs.Baselines b = UnionOfRkhs.baselines(c);
        double net = r.finalTestError();
        double ntk = b.analyticNtk().testMse(), initial = b.initialIntrinsic().testMse();
        double ratio = net / Math.min(ntk, initial);
        // The order is beyond the test set's sampling error (MAX_RATIO's javadoc)
        TT_9.check(ratio < MAX_RATIO, Claim.measure()
                        .max("net / best fixed kernel", ratio).max("net test MSE", net)
                        .min("KRR analytic NTK test MSE", ntk)
                        .min("KRR initial intrinsic test MSE", initial)
                        .max("KRR oracle member k_v* test MSE", b.oracleMember().testMse())
                        .min("share of squared weight along v* at the end", r.finalShare()),
                "seed " + seed + ": net " + net + ", KRR NTK " + ntk
                        + ", KRR initial intrinsic " + initial
                        + ", oracle " + b.oracleMember().testMse()
                        + ", share along v* " + r.finalShare());
    }
    // end::experiment-claim-tt-9[]

    /**
     * The feature map reproduces the member kernel: kappa from the feature inner product equals kappa by the
     * double sum of the rule (the same products summed in another order: round-off, 1e-12).
     */
    @Test
    void memberKernelFeaturesReproduceKappa() {
        double[] v = {0.6, 0.8};
        DirectionalKernel k = new DirectionalKernel(v, 2.0, 2.0, UnionOfRkhs.QUADRATURE);
        double[] x = {0.6 * 1.3, 0.8 * 1.3, -0.6 * 2.5, -0.8 * 2.5};   // <v, x> = 1.3 and -2.5
        double[] phi = k.features(x, 2);
        double[] gram = DirectionalKernel.gram(phi, 2, phi, 2);
        assertEquals(k.kappa(1.3, -2.5), gram[1], 1e-12, "feature map vs kappa");
        assertEquals(k.kappa(1.3, 1.3), gram[0], 1e-12, "feature map vs kappa (diagonal)");
    }

    /**
     * The target is normalised, E f*(x)^2 = 1 for x ~ N(0, I), and even in &lt;v, x&gt;. The check integrates over
     * t = &lt;v, x&gt; with a 400-node rule against the constructor's 256-node one: f* is a sum of 3 x 1024 tanh
     * ramps of slopes up to 2 * 7, so the outer rule converges slowly; 1e-4 bounds the difference (measured
     * 2.4e-5 between 128 and 200 nodes).
     */
    @Test
    void targetIsNormalisedAndEven() {
        DirectionalKernel k = new DirectionalKernel(new double[] {1, 0, 0}, 2.0, 2.0, UnionOfRkhs.QUADRATURE);
        GaussHermite rule = GaussHermite.of(400);
        double second = 0;
        for (int i = 0; i < rule.size(); i++) {
            double f = k.value(new double[] {rule.node(i), 0.7, -1.1});
            second += rule.weight(i) * f * f;
        }
        assertEquals(1.0, second, 1e-4, "E f*^2");
        assertEquals(k.value(new double[] {1.7, 0, 0}), k.value(new double[] {-1.7, 3, 0}), 1e-12, "even in <v, x>");
        assertTrue(k.targetNormSquared() > 0, "RKHS norm");
    }
}
