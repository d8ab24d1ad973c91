package twolayer.testing;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The fitted order of a positive error measured at several sizes x_k (widths, step sizes) on S independent seeds
 * each, with its standard error from the seed spread. The seeds' relative spread is pooled over the sizes: for an
 * error of the form C x^p times a seed-to-seed fluctuation whose law does not depend on x (the particle and time
 * biases of the mfld and two-timescale chapters), the relative spread s of one run is the same at every x, so the
 * pooled estimate has K (S - 1) degrees of freedom instead of S - 1. The fit is least squares of log mean_k on
 * log x_k; by the delta method each log mean has the standard deviation s / sqrt(S), and the slope
 * s / sqrt(S Sxx) with Sxx = sum_k (log x_k - mean log x)^2.
 */
public record OrderFit(double[] x, double[] means, double slope, double slopeSe, double relativeSpread, int dof,
        double constancyF) {

    /**
     * @param x     the sizes, positive
     * @param y     y[k][s]: the error at size x[k] on seed s, at least two seeds; where a mean is not positive no
     *              order can be fitted, and slope, SE and F are NaN (which fails every bound)
     * @param order the order p of the claim: {@link #constancyF()} tests that y / x^p is the same at every size
     */
    public static OrderFit of(double[] x, double[][] y, double order) {
        int sizes = x.length, seeds = y[0].length;
        if (sizes < 3 || seeds < 2) {
            throw new IllegalArgumentException("sizes >= 3 and seeds >= 2 needed, got " + sizes + " and " + seeds);
        }
        double[] means = new double[sizes];
        for (int k = 0; k < sizes; k++) {
            for (double v : y[k]) {
                means[k] += v / seeds;
            }
        }
        double spread = 0.0;
        for (int k = 0; k < sizes; k++) {
            if (!(means[k] > 0)) {
                return new OrderFit(x.clone(), means, Double.NaN, Double.NaN, Double.NaN, sizes * (seeds - 1),
                        Double.NaN);
            }
            for (double v : y[k]) {
                spread += (v / means[k] - 1) * (v / means[k] - 1);
            }
        }
        int dof = sizes * (seeds - 1);
        double s = Math.sqrt(spread / dof);
        double lx = 0.0, ly = 0.0;
        for (int k = 0; k < sizes; k++) {
            lx += Math.log(x[k]) / sizes;
            ly += Math.log(means[k]) / sizes;
        }
        double sxx = 0.0, sxy = 0.0, scaledMean = 0.0;
        for (int k = 0; k < sizes; k++) {
            sxx += (Math.log(x[k]) - lx) * (Math.log(x[k]) - lx);
            sxy += (Math.log(x[k]) - lx) * (Math.log(means[k]) - ly);
            scaledMean += (Math.log(means[k]) - order * Math.log(x[k])) / sizes;
        }
        // F = (between-size variance of log(mean / x^p)) / (its within-size variance s^2 / S): F(K - 1, K (S - 1))
        double between = 0.0;
        for (int k = 0; k < sizes; k++) {
            double l = Math.log(means[k]) - order * Math.log(x[k]) - scaledMean;
            between += l * l / (sizes - 1);
        }
        return new OrderFit(x.clone(), means, sxy / sxx, s / Math.sqrt(seeds * sxx), s, dof,
                between / (s * s / seeds));
    }

    /** The same for integer sizes. */
    public static OrderFit of(int[] x, double[][] y, double order) {
        double[] d = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            d[k] = x[k];
        }
        return of(d, y, order);
    }

    /** Student's t quantile of the slope's pooled SE for a two-sided false-failure probability {@code level}. */
    public double quantile(double level) {
        return new TDistribution(dof).inverseCumulativeProbability(1 - level / 2);
    }

    @Override public double[] x() { return x.clone(); }

    @Override public double[] means() { return means.clone(); }
}
