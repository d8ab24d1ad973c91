package twolayer.chapter.phasediagram;

import twolayer.model.Activation;

/**
 * The one-dimensional regression task of the phase-diagram sweeps: n = 5 points x_i equally spaced on [-1, 1],
 * each given the constant second coordinate 1 so that the bias of a hidden neuron is the second coordinate of its
 * input weight (Luo, Xu, Ma, Zhang 2021 fold the bias into w the same way, x &lt;- (x, 1)), and the piecewise-linear
 * target of the condensation example of Xu's group,
 * <pre>  f*(x) = -relu(x) + relu(2(x + 0.3)) - relu(1.5(x - 0.4)) + relu(0.5(x - 0.8)). </pre>
 * Five points keep a run at width 16384 cheap; the target has kinks, so a net with few orientations fits it
 * exactly, which is what lets condensation happen.
 */
public final class PhaseTask {
    private PhaseTask() {
    }

    /** Number of training points. */
    public static final int N = 5;
    /** Input dimension including the constant coordinate: x~ = (x, 1). */
    public static final int D = 2;

    /** The target f*. */
    public static double target(double x) {
        Activation r = Activation.RELU;
        return -r.value(x) + r.value(2 * (x + 0.3)) - r.value(1.5 * (x - 0.4)) + r.value(0.5 * (x - 0.8));
    }

    /** The inputs x~_i = (x_i, 1), (n, 2) row-major. */
    public static double[] inputs() {
        double[] x = new double[N * D];
        for (int i = 0; i < N; i++) {
            x[i * D] = -1.0 + 2.0 * i / (N - 1);
            x[i * D + 1] = 1.0;
        }
        return x;
    }

    /** The targets y_i = f*(x_i). */
    public static double[] targets() {
        double[] y = new double[N];
        double[] x = inputs();
        for (int i = 0; i < N; i++) {
            y[i] = target(x[i * D]);
        }
        return y;
    }
}
