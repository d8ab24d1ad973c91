package twolayer.chapter.twotimescale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import twolayer.data.Staircase;
import twolayer.ledger.Seeds;

/** The ramp network's exact L^2 error against a fine midpoint rule, and its SGD gradients against differences. */
class RampNetworkTest {

    @Test
    void exactSquaredErrorMatchesAFineMidpointRule() {
        SplittableRandom rng = new SplittableRandom(Seeds.BASE);
        double[] a = new double[12], u = new double[12];
        for (int j = 0; j < a.length; j++) {
            a[j] = 4 * rng.nextDouble() - 2;
            u[j] = rng.nextDouble();
        }
        RampNetwork net = new RampNetwork(a, u, 0.05);
        Staircase target = Staircase.marionBerthier();
        int cells = 2_000_000;
        double sum = 0;
        for (int k = 0; k < cells; k++) {
            double x = (k + 0.5) / cells;
            double e = net.value(x) - target.value(x);
            sum += e * e / cells;
        }
        // Midpoint rule on a piecewise-smooth integrand with ~40 kinks/jumps: error <= (jumps) * max|e|^2 / cells
        // from the cells that straddle a jump (~ 40 * 100 / 2e6 = 2e-3 in the worst case, typically far less)
        assertEquals(sum, net.squaredError(target), 2e-3 * Math.max(1, sum));
    }

    @Test
    void equalRateSgdIsReproducible() {
        StaircaseSgd.Config c = new StaircaseSgd.Config(20, 1e-3, 1.0, 10_000, 4e-3, 1.0, 5, Seeds.BASE);
        StaircaseSgd.Result r1 = StaircaseSgd.run(Staircase.marionBerthier(), c);
        StaircaseSgd.Result r2 = StaircaseSgd.run(Staircase.marionBerthier(), c);
        org.junit.jupiter.api.Assertions.assertArrayEquals(r1.errors(), r2.errors(), 0.0);
        assertEquals(6, r1.steps().length);
    }
}
