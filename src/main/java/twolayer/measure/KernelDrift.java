package twolayer.measure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingState;
import twolayer.kernel.EmpiricalNtk;
import twolayer.model.Parallelism;
import twolayer.model.TwoLayerNet;

/**
 * The relative drift of the empirical neural tangent kernel during training, on a fixed probe set:
 * <pre>
 *   drift(t) = ||Theta_t - Theta_0||_F / ||Theta_0||_F ,     Theta_t = Theta(x_i, x_k; theta(t)),  (k, k)
 * </pre>
 * with Theta the rate-weighted empirical NTK of {@link EmpiricalNtk} (all groups). In the lazy regime the kernel
 * is frozen at its initial value as m grows (Jacot, Gabriel, Hongler 2018); in the mean-field regime it moves by
 * O(1). The reference Theta_0 is the kernel at the state handed to {@link #init}, the start of the run.
 * Each observation costs one Gram matrix, O(k m d + k^2 m).
 */
public final class KernelDrift implements TrainingObserver {
    private final TwoLayerNet net;
    private final double[] x;       // (k, d)
    private final int k;
    private final Parallelism parallelism;
    private double[] theta0Kernel;  // (k, k)
    private double theta0Norm;
    private final List<Double> times = new ArrayList<>();
    private final List<Double> drifts = new ArrayList<>();

    /** Probes are the rows of x, (k, d) row-major. */
    public KernelDrift(TwoLayerNet net, double[] x, int k, Parallelism parallelism) {
        this.net = Objects.requireNonNull(net, "net");
        if (k < 1 || x.length != (long) k * net.inputDimension()) {
            throw new IllegalArgumentException("x: expected k*d = " + k + "*" + net.inputDimension()
                    + " values with k >= 1, got " + x.length);
        }
        this.x = x.clone();
        this.k = k;
        this.parallelism = Objects.requireNonNull(parallelism, "parallelism");
    }

    @Override
    public void init(TrainingState start) {
        theta0Kernel = EmpiricalNtk.gram(net, start.theta(), x, k, parallelism);
        theta0Norm = frobenius(theta0Kernel, null);
        if (!(theta0Norm > 0)) {
            throw new IllegalStateException("kernel drift: the initial kernel on the probes is zero; its relative "
                    + "drift is undefined");
        }
    }

    @Override
    public void observe(TrainingState s) {
        if (theta0Kernel == null) {
            init(s);
        }
        double[] kernel = EmpiricalNtk.gram(net, s.theta(), x, k, parallelism);
        times.add(s.time());
        drifts.add(frobenius(kernel, theta0Kernel) / theta0Norm);
    }

    /** The observed times. */
    public List<Double> times() {
        return Collections.unmodifiableList(times);
    }

    /** The relative drift at each observed time. */
    public List<Double> drifts() {
        return Collections.unmodifiableList(drifts);
    }

    /** ||u - v||_F (v may be null for zero). */
    static double frobenius(double[] u, double[] v) {
        return WeightChange.norm(u, v, 0, u.length);
    }
}
