package twolayer.chapter.scalings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import twolayer.model.Activation;
import twolayer.model.Batch;
import twolayer.model.GolikovExponents;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * Golikov's (2020, arXiv 2006.06574) three exponents measured at initialisation, over widths: for each scaling
 * {@link Parameterization#golikov} and each width m, over independent draws theta0 of a ReLU net without biases on
 * fixed Gaussian inputs with labels y = sign(x_1),
 * <ul>
 *   <li>the root-mean-square logit sqrt(mean_{draws, i} f(x_i; theta0)^2), predicted ~ m^A;</li>
 *   <li>the mean diagonal of the tangent kernel with the per-layer rates,
 *       (1/n) sum_i sum_g rho_g |d f(x_i) / d theta_g|^2, predicted ~ m^B;</li>
 *   <li>the size of one gradient step of the logistic risk on the normalised weights, per unit step size:
 *       rms_k(rho_A dL/da_k) / sA and rms_{k,l}(rho_W dL/dw_kl) / sW, predicted ~ m^(C_a) and m^(C_w).</li>
 * </ul>
 * Each is averaged over the draws at one width and its log-log slope fitted against m (least squares); the
 * scalings chapter derives the predictions ({@link GolikovExponents}).
 */
public final class GolikovExponentSweep {

    /**
     * @param scalings    the exponents (q_sigma, q~_a, q~_w) to measure
     * @param widths      the widths m (at least 2, increasing)
     * @param mRef        the reference width of the scalings
     * @param logitDraws  draws theta0 per width for the logits (the other quantities use the first kernelDraws)
     * @param kernelDraws draws per width for the kernel and the step sizes (they concentrate over the m neurons)
     * @param n           inputs
     * @param d           input dimension
     * @param seed        seed of the inputs and the draws
     */
    public record Config(List<GolikovExponents> scalings, int[] widths, int mRef, int logitDraws, int kernelDraws,
                         int n, int d, long seed) {
        public Config {
            scalings = List.copyOf(Objects.requireNonNull(scalings, "scalings"));
            if (widths == null || widths.length < 2) {
                throw new IllegalArgumentException("widths: at least two are needed");
            }
            for (int k = 0; k < widths.length; k++) {
                if (widths[k] < 1 || (k > 0 && widths[k] <= widths[k - 1])) {
                    throw new IllegalArgumentException("widths: must be >= 1 and increasing, got "
                            + java.util.Arrays.toString(widths));
                }
            }
            if (mRef < 1) {
                throw new IllegalArgumentException("mRef: must be >= 1, got " + mRef);
            }
            if (logitDraws < 2 || kernelDraws < 1 || kernelDraws > logitDraws) {
                throw new IllegalArgumentException("logitDraws, kernelDraws: need logitDraws >= 2 and "
                        + "1 <= kernelDraws <= logitDraws, got " + logitDraws + ", " + kernelDraws);
            }
            if (n < 1 || d < 1) {
                throw new IllegalArgumentException("n, d: must be >= 1, got " + n + ", " + d);
            }
            widths = widths.clone();
        }

        @Override public int[] widths() { return widths.clone(); }

        /** Golikov's named scalings (ntk, mean field, sym-default, default) and one point of three more regions. */
        public static List<GolikovExponents> namedScalings() {
            return List.of(new GolikovExponents(-0.5, 0, 0),      // ntk
                    new GolikovExponents(-1, 1, 1),                // mean field
                    new GolikovExponents(-0.5, 0.5, 0.5),          // sym-default
                    new GolikovExponents(-0.5, 1, 0),              // default (unstable)
                    new GolikovExponents(-0.75, 0.5, 0.5),         // MF-NTK segment
                    new GolikovExponents(-1.5, 1.5, 1.5),          // post-MF ray
                    new GolikovExponents(-1, 0.5, 0.5));           // post-NTK ray
        }
    }

    /** The four measured quantities, by index in the arrays of a {@link Result}. */
    public enum Quantity {
        LOGIT("rms logit", "A"), KERNEL("kernel trace", "B"), STEP_A("step of a/sA", "C_a"),
        STEP_W("step of w/sW", "C_w");

        private final String label, exponent;

        Quantity(String label, String exponent) {
            this.label = label;
            this.exponent = exponent;
        }

        /** A label for legends. */
        public String label() { return label; }

        /** The name of the predicted exponent. */
        public String exponent() { return exponent; }

        /** The predicted exponent of a scaling. */
        public double predicted(GolikovExponents g) {
            return switch (this) {
                case LOGIT -> g.a();
                case KERNEL -> g.b();
                case STEP_A -> g.cA();
                case STEP_W -> g.cW();
            };
        }
    }

    /**
     * What was measured: {@code values[s][q][k]} is quantity q of scaling s at width k.
     */
    public record Result(Config config, double[][][] values) {

        /** The least-squares slope of log(quantity) against log(m). */
        public double slope(int scaling, Quantity q) {
            SimpleRegression fit = new SimpleRegression();
            int[] widths = config.widths();
            for (int k = 0; k < widths.length; k++) {
                fit.addData(Math.log(widths[k]), Math.log(values[scaling][q.ordinal()][k]));
            }
            return fit.getSlope();
        }

        /** The largest |measured slope - predicted exponent| over scalings and quantities. */
        public double worstDeviation() {
            double worst = 0;
            for (int s = 0; s < config.scalings().size(); s++) {
                for (Quantity q : Quantity.values()) {
                    worst = Math.max(worst, Math.abs(slope(s, q) - q.predicted(config.scalings().get(s))));
                }
            }
            return worst;
        }
    }

    private GolikovExponentSweep() {
    }

    /** Runs the sweep; the neuron loops use {@code parallelism} (no effect on the result). */
    public static Result run(Config c, Parallelism parallelism) {
        int[] widths = c.widths();
        double[][][] values = new double[c.scalings().size()][Quantity.values().length][widths.length];
        for (int s = 0; s < c.scalings().size(); s++) {
            for (int k = 0; k < widths.length; k++) {
                double[] q = measure(c, s, widths[k], parallelism);
                for (Quantity quantity : Quantity.values()) {
                    values[s][quantity.ordinal()][k] = q[quantity.ordinal()];
                }
            }
        }
        return new Result(c, values);
    }

    /**
     * The four quantities (in {@link Quantity} order) of scaling {@code s} at width m: one cell of {@link #run}, with
     * the same bits, so that the sweep can also run cell by cell ({@code twolayer experiment golikov}).
     */
    public static double[] measure(Config c, int s, int m, Parallelism parallelism) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        double[] x = new double[c.n() * c.d()];
        double[] y = new double[c.n()];
        for (int i = 0; i < c.n(); i++) {
            for (int k = 0; k < c.d(); k++) {
                x[i * c.d() + k] = rng.nextGaussian();
            }
            y[i] = x[i * c.d()] >= 0 ? 1 : -1;
        }
        long drawSeed = rng.nextLong();
        Parameterization p = c.scalings().get(s).parameterization(c.mRef());
        double logit2 = 0, kernel = 0, stepA2 = 0, stepW2 = 0;
        for (int r = 0; r < c.logitDraws(); r++) {
            // the same draw seeds for every scaling: common random numbers
            long seed = drawSeed + 1_000_003L * m + r;
            TwoLayerNet net =
                    TwoLayerNet.initialize(c.d(), m, Activation.RELU, p, seed);
            Batch batch = net.batch(x, c.n(), parallelism);
            double[] theta0 = net.initialParameters();
            double[] f = new double[c.n()];
            net.outputs(theta0, batch, f);
            for (double fi : f) {
                logit2 += fi * fi;
            }
            if (r < c.kernelDraws()) {
                kernel += kernelTrace(net, theta0, x, c.n());
                double[] step = normalisedStep(net, theta0, batch, y);
                stepA2 += step[0];
                stepW2 += step[1];
            }
        }
        // tag::experiment-golikov-exponents[]
        double[] out = new double[Quantity.values().length];
        double logits = (double) c.logitDraws() * c.n();
        out[Quantity.LOGIT.ordinal()] = Math.sqrt(logit2 / logits);
        out[Quantity.KERNEL.ordinal()] = kernel / c.kernelDraws();
        out[Quantity.STEP_A.ordinal()] = Math.sqrt(stepA2 / c.kernelDraws());
        out[Quantity.STEP_W.ordinal()] = Math.sqrt(stepW2 / c.kernelDraws());
        return out;
        // end::experiment-golikov-exponents[]
    }

    /** (1/n) sum_i sum_g rho_g |df(x_i)/dtheta_g|^2, the mean diagonal of the rated kernel. */
    static double kernelTrace(TwoLayerNet net, double[] theta, double[] x, int n) {
        int d = net.inputDimension();
        double[] row = new double[net.parameterCount()];
        double[] xi = new double[d];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * d, xi, 0, d);
            net.jacobianRow(theta, xi, row);
            for (Group g : new Group[] {Group.A, Group.W}) {
                double s2 = 0;
                for (int k = net.offset(g); k < net.offset(g) + net.count(g); k++) {
                    s2 += row[k] * row[k];
                }
                sum += net.rate(g) * s2;
            }
        }
        return sum / n;
    }

    // tag::experiment-golikov-exponents[]
    /**
     * The mean squares of one gradient step of the logistic risk on the normalised weights, per
     * unit step size: {mean_k (rho_A dL/da_k / sA)^2, mean_{k,l} (rho_W dL/dw_kl / sW)^2}.
     */
    static double[] normalisedStep(TwoLayerNet net, double[] theta, Batch batch, double[] y) {
        double[] grad = new double[net.parameterCount()];
        net.lossAndGradient(theta, batch, y, Loss.LOGISTIC, grad);
        Parameterization p = net.parameterization();
        int m = net.width(), d = net.inputDimension();
        double sA = p.sA().at(m, p.mRef(), d), sW = p.sW().at(m, p.mRef(), d);
        double[] out = new double[2];
        Group[] groups = {Group.A, Group.W};
        double[] scales = {net.rate(Group.A) / sA, net.rate(Group.W) / sW};
        for (int g = 0; g < 2; g++) {
            double s2 = 0;
            int from = net.offset(groups[g]), count = net.count(groups[g]);
            for (int k = from; k < from + count; k++) {
                double step = scales[g] * grad[k];
                s2 += step * step;
            }
            out[g] = s2 / count;
        }
        return out;
    }
    // end::experiment-golikov-exponents[]

    /** The widths 2^from, ..., 2^to. */
    public static int[] powersOfTwo(int from, int to) {
        List<Integer> w = new ArrayList<>();
        for (int k = from; k <= to; k++) {
            w.add(1 << k);
        }
        return w.stream().mapToInt(Integer::intValue).toArray();
    }
}
