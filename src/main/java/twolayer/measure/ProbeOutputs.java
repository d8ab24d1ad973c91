package twolayer.measure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TrainingState;
import twolayer.model.Batch;
import twolayer.model.Parallelism;
import twolayer.model.TwoLayerNet;

/**
 * Records the function values f(x; theta(t)) on a fixed probe set at every observed time: the function-space
 * trajectory, which is what equivalent parameterisations must reproduce (claim FOUND-4) and what the
 * kernel-regression predictions of the NTK chapter are compared with.
 */
public final class ProbeOutputs implements TrainingObserver {
    private final TwoLayerNet net;
    private final TrainingProblem model;   // null: the net itself
    private final Batch probes;
    private final List<Double> times = new ArrayList<>();
    private final List<double[]> outputs = new ArrayList<>();

    /** Probes are the rows of x, (k, d) row-major; the outputs are the net's. */
    public ProbeOutputs(TwoLayerNet net, double[] x, int k) {
        this.net = net;
        this.model = null;
        this.probes = net.batch(x, k, Parallelism.sequential());
    }

    /** Probes are the rows of x; the outputs are those of the problem's model (the net or its linearisation). */
    public ProbeOutputs(TrainingProblem problem, double[] x, int k) {
        this.net = problem.net();
        this.model = problem;
        this.probes = net.batch(x, k, Parallelism.sequential());
    }

    @Override
    public void observe(TrainingState s) {
        double[] f = new double[probes.size()];
        if (model == null) {
            net.outputs(s.theta(), probes, f);
        } else {
            model.outputs(s.theta(), probes, f);
        }
        times.add(s.time());
        outputs.add(f);
    }

    /** The observed times. */
    public List<Double> times() {
        return Collections.unmodifiableList(times);
    }

    /** The outputs at observation k (a copy). */
    public double[] outputsAt(int k) {
        return outputs.get(k).clone();
    }

    /** The number of observations so far. */
    public int count() {
        return outputs.size();
    }
}
