package twolayer.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import twolayer.data.Dataset;
import twolayer.dynamics.Dynamics;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.GradientFlow;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingProblem;
import twolayer.measure.TrainingHistory;
import twolayer.model.Activation;
import twolayer.model.Group;
import twolayer.model.Loss;
import twolayer.model.Parallelism;
import twolayer.model.Parameterization;
import twolayer.model.TwoLayerNet;

/**
 * One training run from start to end: a data set, a freshly initialised net, one dynamics, and the
 * {@link TrainingHistory} (loss and relative weight change RD_g per group) at evenly spaced times.
 *
 * <p>Time is gradient-flow time t throughout: a gradient-descent run of k steps at step size eta ends at
 * t = k eta. The observation schedule with N observations:
 * <ul>
 *   <li>gradient flow to time T: t_j = j T / N, j = 0..N, so N + 1 rows;</li>
 *   <li>gradient descent of k steps: after step s_j = floor(j k / N), j = 0..N, at t_j = s_j eta; repeated
 *       steps are observed once, so there are min(N, k) + 1 rows (every step when N >= k).</li>
 * </ul>
 * The first row is always the initialisation (t = 0) and the last always the end of the run.
 */
public final class TrainingRun {

    /** How the net is trained. */
    public sealed interface Schedule permits Descent, Flow {
    }

    /**
     * Gradient descent (heavy-ball, mini-batch) for a whole number of steps.
     *
     * @param config step size, momentum, batch size, mini-batch seed
     * @param steps  number of steps k (>= 1); the run ends at t = k eta
     */
    public record Descent(GradientDescent.Config config, long steps) implements Schedule {
        public Descent {
            Objects.requireNonNull(config, "config");
            if (steps < 1) {
                throw new IllegalArgumentException("steps: must be >= 1, got " + steps);
            }
        }

        /** The final time k eta. */
        public double time() {
            return steps * config.eta();
        }
    }

    /**
     * Gradient flow, integrated with error control to time T.
     *
     * @param config tolerances of the adaptive integrator
     * @param time   the final time T (finite, > 0)
     */
    public record Flow(GradientFlow.Config config, double time) implements Schedule {
        public Flow {
            Objects.requireNonNull(config, "config");
            if (!(time > 0) || !Double.isFinite(time)) {
                throw new IllegalArgumentException("time: must be finite and > 0, got " + time);
            }
        }
    }

    /**
     * @param data             the training set
     * @param m                width (>= 1)
     * @param activation       sigma
     * @param parameterization multipliers, initial scales and rates
     * @param initSeed         seed of the initialisation theta_0
     * @param loss             the per-sample loss
     * @param schedule         the dynamics
     * @param observations     N, the number of observation intervals (>= 1)
     * @param threads          worker threads (>= 1); the results do not depend on it
     */
    public record Config(Dataset data, int m, Activation activation, Parameterization parameterization, long initSeed,
                         Loss loss, Schedule schedule, int observations, int threads) {
        public Config {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(parameterization, "parameterization");
            Objects.requireNonNull(loss, "loss");
            Objects.requireNonNull(schedule, "schedule");
            if (m < 1) {
                throw new IllegalArgumentException("m: width must be >= 1, got " + m);
            }
            if (observations < 1) {
                throw new IllegalArgumentException("observations: must be >= 1, got " + observations);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads: must be >= 1, got " + threads);
            }
        }
    }

    /**
     * @param rows        the observations, oldest first
     * @param groups      the parameter groups the net has (the RD columns)
     * @param finalLoss   L at the end of the run
     * @param finalTime   t at the end of the run
     * @param steps       steps taken (gradient descent) or accepted integrator steps (gradient flow)
     */
    public record Result(List<TrainingHistory.Row> rows, List<Group> groups, double finalLoss, double finalTime,
                         long steps) {
        public Result {
            rows = List.copyOf(rows);
            groups = List.copyOf(groups);
        }
    }

    private TrainingRun() {
    }

    /** The observation times of the schedule (see the class comment). */
    public static double[] observationTimes(Schedule schedule, int observations) {
        if (schedule instanceof Flow flow) {
            double[] times = new double[observations + 1];
            for (int j = 0; j <= observations; j++) {
                times[j] = flow.time() * j / observations;
            }
            return times;
        }
        Descent descent = (Descent) schedule;
        long k = descent.steps();
        List<Double> times = new ArrayList<>();
        long previous = -1;
        for (int j = 0; j <= observations; j++) {
            long step = Math.multiplyExact(j, k) / observations;
            if (step != previous) {
                times.add(step * descent.config().eta());
                previous = step;
            }
        }
        return times.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Initialises the net, trains it and records the history.
     *
     * @param progress also told of every observation (e.g. a progress bar); {@link TrainingObserver#none()} for none
     * @throws twolayer.dynamics.DivergenceException when the loss stops being finite
     */
    public static Result run(Config c, TrainingObserver progress) {
        // Initialise theta_0 and pose the problem L(theta) on the training set
        Dataset data = c.data();
        TwoLayerNet net = TwoLayerNet.initialize(data.d(), c.m(), c.activation(), c.parameterization(), c.initSeed());
        TrainingProblem problem = new TrainingProblem(net, data, c.loss(), new Parallelism(c.threads()));

        // Train, observing L and RD_g at the scheduled times
        Dynamics dynamics = c.schedule() instanceof Descent gd
                ? new GradientDescent(problem, gd.config())
                : new GradientFlow(problem, ((Flow) c.schedule()).config());
        TrainingHistory history = new TrainingHistory(net);
        dynamics.run(observationTimes(c.schedule(), c.observations()), history.andThen(progress));
        List<TrainingHistory.Row> rows = history.rows();
        TrainingHistory.Row last = rows.get(rows.size() - 1);
        return new Result(rows, history.groups(), last.loss(), last.time(), dynamics.steps());
    }

    /**
     * The history as CSV: the header {@code time,step,loss,rd_a,rd_w[,rd_b,rd_c]} (one RD column per group the
     * net has), then one line per observation. Numbers are written with {@link Double#toString(double)}, which
     * parses back to the same double; RD_g is NaN when theta_g(0) = 0.
     */
    public static String historyCsv(Result r) {
        StringBuilder out = new StringBuilder("time,step,loss");
        for (Group g : r.groups()) {
            out.append(",rd_").append(g.symbol());
        }
        out.append('\n');
        for (TrainingHistory.Row row : r.rows()) {
            out.append(Double.toString(row.time())).append(',').append(row.step()).append(',')
                    .append(Double.toString(row.loss()));
            for (Group g : r.groups()) {
                out.append(',').append(Double.toString(row.weightChange().get(g)));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
