package twolayer.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import twolayer.data.NpyArray;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingProblem;
import twolayer.dynamics.TrainingState;
import twolayer.model.Batch;
import twolayer.model.Group;
import twolayer.model.TwoLayerNet;

/**
 * Keeps, at every observation of a run (the rows of history.csv, the first one theta0 at t = 0), the parameters
 * group by group in the raw coordinates of the notation chapter (before the multipliers kA, kW, kB, kC) and,
 * if asked, the model's outputs on the training inputs and on test inputs. The model is the problem's: for a
 * linearised run, the Taylor model's outputs f(theta0) + J(theta0)(theta - theta0). See the baseline chapter,
 * section "Exporting and replaying a run".
 *
 * <p>The arrays ({@link #arrays}), T + 1 observations, m neurons, d inputs, n training and n' test points:
 * {@code params/times.npy} (T+1,), {@code params/a.npy} (T+1, m), {@code params/w.npy} (T+1, m, d),
 * {@code params/b.npy} (T+1, m) and {@code params/c.npy} (T+1,) where the net has them,
 * {@code f_train.npy} (T+1, n) and {@code f_test.npy} (T+1, n').
 */
public final class ParameterExport implements TrainingObserver {

    private final TrainingProblem problem;
    private final boolean params;
    private final Batch test;            // null: no outputs
    private final List<Double> times = new ArrayList<>();
    private final List<double[]> thetas = new ArrayList<>();
    private final List<double[]> trainOutputs = new ArrayList<>();
    private final List<double[]> testOutputs = new ArrayList<>();

    /**
     * @param problem the problem trained (its model gives the outputs)
     * @param params  whether to keep the parameters
     * @param testX   test inputs, (n', d) row-major, or null for no outputs (then f_train is not kept either)
     */
    public ParameterExport(TrainingProblem problem, boolean params, double[] testX) {
        this.problem = java.util.Objects.requireNonNull(problem, "problem");
        this.params = params;
        TwoLayerNet net = problem.net();
        if (testX != null) {
            int d = net.inputDimension();
            if (testX.length == 0 || testX.length % d != 0) {
                throw new IllegalArgumentException("testX: expected n' >= 1 rows of d = " + d + " values, got "
                        + testX.length + " values");
            }
            this.test = net.batch(testX, testX.length / d, problem.batch().parallelism());
        } else {
            this.test = null;
        }
    }

    @Override
    public void observe(TrainingState state) {
        times.add(state.time());
        if (params) {
            thetas.add(state.theta().clone());
        }
        if (test != null) {
            double[] f = new double[problem.batch().size()];
            problem.outputs(state.theta(), problem.batch(), f);
            trainOutputs.add(f);
            double[] g = new double[test.size()];
            problem.outputs(state.theta(), test, g);
            testOutputs.add(g);
        }
    }

    /** The files to write, relative path to array, in a fixed order. */
    public Map<String, NpyArray> arrays() {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        int rows = times.size();
        if (params) {
            TwoLayerNet net = problem.net();
            int m = net.width(), d = net.inputDimension();
            out.put("params/times.npy", NpyArray.vector(times.stream().mapToDouble(Double::doubleValue).toArray()));
            for (Group g : Group.values()) {
                int count = net.count(g), from = net.offset(g);
                if (count == 0) {
                    continue;
                }
                double[] values = new double[rows * count];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(thetas.get(r), from, values, r * count, count);
                }
                int[] shape = switch (g) {
                    case W -> new int[] {rows, m, d};
                    case C -> new int[] {rows};
                    default -> new int[] {rows, m};
                };
                out.put("params/" + g.symbol() + ".npy", new NpyArray(shape, values));
            }
        }
        if (test != null) {
            out.put("f_train.npy", table(trainOutputs, problem.batch().size()));
            out.put("f_test.npy", table(testOutputs, test.size()));
        }
        return out;
    }

    private static NpyArray table(List<double[]> rows, int width) {
        double[] values = new double[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, values, r * width, width);
        }
        return NpyArray.matrix(values, rows.size(), width);
    }
}
