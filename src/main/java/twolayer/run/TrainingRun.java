package twolayer.run;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import twolayer.data.Dataset;
import twolayer.dynamics.Dynamics;
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
 * One training run from start to end: a data set, a freshly initialised net, one dynamics (its {@link Schedule}),
 * and the {@link TrainingHistory} (loss and relative weight change RD_g per group) at the schedule's observation
 * times, plus whatever the schedule's {@link Recorder} adds (the free energy of MFLD, the intrinsic kernel of
 * two-timescale training). Time is gradient-flow time throughout: a run of k steps of size eta ends at t = k eta.
 * The architecture chapter, section "A training run from the command line to history.csv", follows one run
 * through this class.
 */
public final class TrainingRun {

    /**
     * @param data             the training set
     * @param m                width (&gt;= 1)
     * @param activation       sigma
     * @param parameterization multipliers, initial scales and rates
     * @param initSeed         seed of the initialisation theta_0
     * @param loss             the per-sample loss
     * @param schedule         the dynamics
     * @param observations     N, the number of observation intervals (&gt;= 1)
     * @param threads          worker threads (&gt;= 1); the results do not depend on it
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
     * @param rows      the observations, oldest first
     * @param groups    the parameter groups the net has (the RD columns)
     * @param finalLoss L at the end of the run
     * @param finalTime t at the end of the run
     * @param steps     steps taken (fixed-step dynamics) or accepted integrator steps (gradient flow)
     * @param recorder  what the schedule recorded beyond loss and RD, in step with {@code rows}
     */
    public record Result(List<TrainingHistory.Row> rows, List<Group> groups, double finalLoss, double finalTime,
                         long steps, Recorder recorder) {
        public Result {
            rows = List.copyOf(rows);
            groups = List.copyOf(groups);
            Objects.requireNonNull(recorder, "recorder");
            if (!recorder.columns().isEmpty() && recorder.rows().size() != rows.size()) {
                throw new IllegalArgumentException("recorder: expected one row per observation (" + rows.size()
                        + "), got " + recorder.rows().size());
            }
        }

        /** The recorder's values at the end of the run, by column name (empty for plain gd and flow). */
        public Map<String, Object> end() {
            return recorder.columns().isEmpty() ? Map.of() : recorder.end();
        }
    }

    private TrainingRun() {
    }

    // tag::run-train[]
    /**
     * Initialises the net, trains it and records the history.
     *
     * @param progress also told of every observation (e.g. a progress bar); {@link TrainingObserver#none()} for none
     * @throws twolayer.dynamics.DivergenceException when the run diverges (the dynamics' divergence rule)
     */
    public static Result run(Config c, TrainingObserver progress) {
        // Initialise theta_0 and pose the problem L(theta) on the training set
        Dataset data = c.data();
        TwoLayerNet net = TwoLayerNet.initialize(data.d(), c.m(), c.activation(), c.parameterization(), c.initSeed());
        TrainingProblem problem = new TrainingProblem(net, data, c.loss(), new Parallelism(c.threads()));

        // Start the schedule's dynamics and observe L, RD_g and its own records at its observation times
        Dynamics dynamics = c.schedule().start(problem);
        TrainingHistory history = new TrainingHistory(net);
        Recorder recorder = c.schedule().recorder(c, dynamics);
        dynamics.run(c.schedule().observationTimes(c.observations()),
                history.andThen(recorder).andThen(progress));
        List<TrainingHistory.Row> rows = history.rows();
        TrainingHistory.Row last = rows.get(rows.size() - 1);
        return new Result(rows, history.groups(), last.loss(), last.time(), dynamics.steps(), recorder);
    }
    // end::run-train[]

    /**
     * The history as CSV: the header {@code time,step,loss,rd_a,rd_w[,rd_b,rd_c]} (one RD column per group the
     * net has) followed by the recorder's columns, then one line per observation. Numbers are written with
     * {@link Double#toString(double)}, which parses back to the same double; RD_g is NaN when theta_g(0) = 0.
     */
    public static String historyCsv(Result r) {
        StringBuilder out = new StringBuilder("time,step,loss");
        for (Group g : r.groups()) {
            out.append(",rd_").append(g.symbol());
        }
        List<String> columns = r.recorder().columns();
        for (String column : columns) {
            out.append(',').append(column);
        }
        out.append('\n');
        List<double[]> extras = r.recorder().rows();
        for (int j = 0; j < r.rows().size(); j++) {
            TrainingHistory.Row row = r.rows().get(j);
            out.append(Double.toString(row.time())).append(',').append(row.step()).append(',')
                    .append(Double.toString(row.loss()));
            for (Group g : r.groups()) {
                out.append(',').append(Double.toString(row.weightChange().get(g)));
            }
            if (!columns.isEmpty()) {
                for (double v : extras.get(j)) {
                    out.append(',').append(Double.toString(v));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }
}
