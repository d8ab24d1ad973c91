package twolayer.chapter.lazy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import twolayer.dynamics.GradientDescent;
import twolayer.run.LazyRun;
import twolayer.run.LazyTask;

/** The pooled fit recovers an exact power law whatever the intercept of each data set. */
class LazyWidthSweepTest {

    @Test
    void pooledSlopeIgnoresTheInterceptOfEachSweep() {
        int[] widths = {10, 100, 1000};
        LazyWidthSweep.Config config = new LazyWidthSweep.Config(LazyTask.classification(5, 2, 2), 1L, widths, 2,
                List.of(LazyWidthSweep.ntk()), GradientDescent.Config.plain(1.0), 1, 1);
        List<LazyWidthSweep.Result> sweeps = new ArrayList<>();
        for (double c : new double[] {1.0, 7.0, 0.01}) {
            List<LazyWidthSweep.Run> runs = new ArrayList<>();
            for (int m : widths) {
                for (int i = 0; i < 2; i++) {
                    double gap = c * Math.pow(m, -0.75);
                    runs.add(new LazyWidthSweep.Run(0, m, i, result(gap)));
                }
            }
            sweeps.add(new LazyWidthSweep.Result(config, runs));
        }
        LazyWidthSweep.Fit fit = LazyWidthSweep.pooledSlope(sweeps, 0, LazyWidthSweep.Metric.GAP);
        assertEquals(-0.75, fit.slope(), 1e-12);
        assertEquals(0.0, fit.standardError(), 1e-12);
        assertEquals(18, fit.points());
    }

    private static LazyRun.Result result(double gap) {
        double[] zero = {0.0}, value = {gap};
        return new LazyRun.Result(null, zero, zero, zero, zero, zero, zero, zero, value, zero, zero);
    }
}
