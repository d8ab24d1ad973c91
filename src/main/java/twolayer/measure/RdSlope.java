package twolayer.measure;

import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The fitted exponent of RD(theta_w) in the width: the least-squares slope s of log RD against log m,
 * <pre>  log RD(m) ~ s log m + const,      S_w = -s, </pre>
 * where Luo, Xu, Ma and Zhang (JMLR 2021) define S_w = -lim log RD / log m (linear regime: S_w &gt; 0, RD -&gt; 0;
 * critical: S_w = 0; condensed: S_w &lt; 0). Their public code fits the same degree-1 polynomial in log-log
 * coordinates and plots the slope s itself, so this class reports s (the slope of the figure) and names
 * S_w = -s separately.
 *
 * <p>With several seeds per width, s is fitted to the seed-mean of log RD at each width (the mean of logs, so a
 * single seed does not dominate through its size), and two errors are given: the regression's standard error
 * of s from the scatter of the width-means about the line (it is 0 for an exact power law), and the seed spread:
 * the standard deviation of the per-seed slopes divided by sqrt(seeds), the sampling error of the mean slope.
 *
 * @param slope        s = d log RD / d log m
 * @param stdError     the regression's standard error of s (NaN with fewer than 3 widths)
 * @param seedStdError the standard deviation of the per-seed slopes over sqrt(seeds) (NaN with one seed)
 * @param seedSlopes   the slope of each seed alone
 */
public record RdSlope(double slope, double stdError, double seedStdError, double[] seedSlopes) {

    /** S_w = -s. */
    public double sw() {
        return -slope;
    }

    /** The larger of the two standard errors, ignoring a NaN one; NaN when both are (two widths, one seed). */
    public double error() {
        if (Double.isNaN(stdError)) {
            return seedStdError;
        }
        return Double.isNaN(seedStdError) ? stdError : Math.max(stdError, seedStdError);
    }

    // tag::experiment-rd-slope[]
    /**
     * Fits s from rd[w][s] = RD of width widths[w] and seed s (every entry finite and &gt; 0).
     */
    public static RdSlope fit(int[] widths, double[][] rd) {
    // end::experiment-rd-slope[]
        if (widths.length < 2 || rd.length != widths.length) {
            throw new IllegalArgumentException("widths: need >= 2 widths and one row of RD per"
                    + " width, got " + widths.length + " widths and " + rd.length + " rows");
        }
        int seeds = rd[0].length;
        SimpleRegression mean = new SimpleRegression();
        SimpleRegression[] perSeed = new SimpleRegression[seeds];
        for (int s = 0; s < seeds; s++) {
            perSeed[s] = new SimpleRegression();
        }
        for (int w = 0; w < widths.length; w++) {
            if (rd[w].length != seeds || seeds == 0) {
                throw new IllegalArgumentException(
                        "rd: every width needs the same number (>= 1) of seeds");
            }
            double logM = Math.log(widths[w]), sum = 0;
            for (int s = 0; s < seeds; s++) {
                if (!(rd[w][s] > 0) || !Double.isFinite(rd[w][s])) {
                    throw new IllegalArgumentException("rd: width " + widths[w] + ", seed " + s
                            + " is " + rd[w][s] + "; must be finite and > 0");
                }
                double logRd = Math.log(rd[w][s]);
                sum += logRd;
                perSeed[s].addData(logM, logRd);
            }
            mean.addData(logM, sum / seeds);
        }
        // tag::experiment-rd-slope[]
        double[] slopes = new double[seeds];
        double sum = 0, sumSq = 0;
        for (int s = 0; s < seeds; s++) {
            slopes[s] = perSeed[s].getSlope();
            sum += slopes[s];
        }
        for (double v : slopes) {
            sumSq += (v - sum / seeds) * (v - sum / seeds);
        }
        double seedError = seeds > 1 ? Math.sqrt(sumSq / (seeds - 1) / seeds) : Double.NaN;
        double stdError = widths.length > 2 ? mean.getSlopeStdErr() : Double.NaN;
        return new RdSlope(mean.getSlope(), stdError, seedError, slopes);
    }
    // end::experiment-rd-slope[]
}
