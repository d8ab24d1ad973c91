package twolayer.dynamics;

import java.util.Objects;
import twolayer.data.Dataset;
import twolayer.model.Batch;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.TwoLayerNet;

/**
 * What is minimised: the empirical risk L(theta) = (1/n) sum_i l(f(x_i; theta), y_i) of one net on one data
 * set, and the rate-weighted descent direction -rho_g grad_g L of every group, the right-hand side of the
 * gradient flow d theta_g/dt = -rho_g grad_g L (notation chapter).
 *
 * <p>The model is either the net itself or, for {@link #linearized}, its first-order Taylor model at theta0,
 * f_lin(theta) = f(theta0) + J(theta0)(theta - theta0) (Lee et al. 2019, eq. (5)); every trainer runs on either
 * one unchanged, so the linearised model is trained by exactly the same code as the net.
 */
public final class TrainingProblem {
    private final TwoLayerNet net;
    private final Dataset data;
    private final Loss loss;
    private final Batch batch;
    private final double[] y;
    private final double[] rates;   // rate per parameter group, by Group ordinal
    private final boolean linearized;
    private final double[] delta;   // scratch theta - theta0 of the linearised model

    /** The risk of the net itself. */
    public TrainingProblem(TwoLayerNet net, Dataset data, Loss loss, Parallelism parallelism) {
        this(net, data, loss, parallelism, false);
    }

    /** The risk of the net's first-order Taylor model at its initial parameters. */
    public static TrainingProblem linearized(TwoLayerNet net, Dataset data, Loss loss, Parallelism parallelism) {
        return new TrainingProblem(net, data, loss, parallelism, true);
    }

    private TrainingProblem(TwoLayerNet net, Dataset data, Loss loss, Parallelism parallelism, boolean linearized) {
        this.net = Objects.requireNonNull(net, "net");
        this.data = Objects.requireNonNull(data, "data");
        this.loss = Objects.requireNonNull(loss, "loss");
        if (data.d() != net.inputDimension()) {
            throw new IllegalArgumentException("data: input dimension " + data.d()
                    + " does not match the net's d = " + net.inputDimension());
        }
        if (loss == Loss.LOGISTIC) {
            for (int i = 0; i < data.n(); i++) {
                if (data.y(i) != 1.0 && data.y(i) != -1.0) {
                    throw new IllegalArgumentException("y: the logistic loss needs labels in {-1, +1}; target " + i
                            + " is " + data.y(i));
                }
            }
        }
        this.batch = net.batch(data.x(), data.n(), parallelism);
        this.y = data.y();
        this.rates = new double[Group.values().length];
        for (Group g : Group.values()) {
            rates[g.ordinal()] = net.rate(g);
        }
        this.linearized = linearized;
        this.delta = linearized ? new double[net.parameterCount()] : null;
        if (linearized) {
            // the linearised model's passes all run the hidden layer at theta0: computed once, then kept
            batch.keepHiddenLayer();
        }
    }

    /** Whether the model is the linearisation of the net at theta0. */
    public boolean isLinearized() {
        return linearized;
    }

    public TwoLayerNet net() { return net; }

    public Dataset data() { return data; }

    public Loss lossFunction() { return loss; }

    /** The full training batch (inputs with their frozen offsets). */
    public Batch batch() { return batch; }

    /** L(theta) on the full training set. */
    public double loss(double[] theta) {
        if (!linearized) {
            return net.loss(theta, batch, y, loss);
        }
        double[] f = new double[batch.size()];
        outputs(theta, batch, f);
        double total = 0.0;
        for (int i = 0; i < f.length; i++) {
            total += loss.value(f[i], y[i]);
        }
        return total / f.length;
    }

    /** L(theta), with the raw gradient written to {@code grad}. */
    public double lossAndGradient(double[] theta, double[] grad) {
        return lossAndGradient(theta, batch, y, grad);
    }

    /** The risk on another batch of the same net (a mini-batch) with its targets, and its gradient. */
    public double lossAndGradient(double[] theta, Batch b, double[] targets, double[] grad) {
        return linearized
                ? net.linearizedLossAndGradient(theta, b, targets, loss, delta, grad)
                : net.lossAndGradient(theta, b, targets, loss, grad);
    }

    /** The model's outputs (the net's, or its linearisation's) on the inputs of a batch of this net. */
    public void outputs(double[] theta, Batch b, double[] out) {
        if (linearized) {
            net.linearizedOutputs(theta, b, delta, out);
        } else {
            net.outputs(theta, b, out);
        }
    }

    /**
     * The loss of the predictor f = 0 on the training set, (1/n) sum_i l(0, y_i): the scale against which the
     * divergence rule measures growth ({@code DivergenceRule}).
     */
    public double nullLoss() {
        double sum = 0.0;
        for (int i = 0; i < data.n(); i++) {
            sum += loss.value(0.0, data.y(i));
        }
        return sum / data.n();
    }

    /** Training targets (a copy). */
    public double[] targets() {
        return y.clone();
    }

    /** Target i. */
    double target(int i) {
        return y[i];
    }

    // tag::dynamics-vector-field[]
    /** The gradient-flow vector field: thetaDot_g = -rho_g grad_g L(theta); returns L(theta). */
    public double velocity(double[] theta, double[] grad, double[] thetaDot) {
        double value = lossAndGradient(theta, grad);
        for (Group g : Group.values()) {
            double rho = rates[g.ordinal()];
            int from = net.offset(g), to = from + net.count(g);
            for (int k = from; k < to; k++) {
                thetaDot[k] = -rho * grad[k];
            }
        }
        return value;
    }
    // end::dynamics-vector-field[]

    /** The effective rate of group g. */
    public double rate(Group g) {
        return rates[g.ordinal()];
    }
}
