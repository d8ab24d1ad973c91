package twolayer.run;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import twolayer.data.Dataset;
import twolayer.data.NpyArray;
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
     * @param linearized       train the net's first-order Taylor model at theta0 ({@link TrainingProblem#linearized})
     *                         instead of the net; gd and flow only
     * @param theta0           the initial parameters in the raw coordinates, laid out as {@link TwoLayerNet}'s theta
     *                         (a, w row-major, b, c); empty to draw them from {@code initSeed}
     * @param streams          where the random draws come from and whether they are kept
     * @param exports          which arrays beyond the history the run keeps
     */
    public record Config(Dataset data, int m, Activation activation, Parameterization parameterization, long initSeed,
                         Loss loss, Schedule schedule, int observations, int threads, boolean linearized,
                         Optional<double[]> theta0, RandomStreams streams, Exports exports) {
        public Config {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(theta0, "theta0");
            Objects.requireNonNull(streams, "streams");
            Objects.requireNonNull(exports, "exports");
            if (linearized && schedule != null && !schedule.trainsLinearized()) {
                throw new IllegalArgumentException("linearized: only gradient descent and flow train the linearised"
                        + " model, not " + schedule.name());
            }
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

        /** The net itself from a seeded theta0, draws from their seeds, nothing exported. */
        public Config(Dataset data, int m, Activation activation, Parameterization parameterization, long initSeed,
                      Loss loss, Schedule schedule, int observations, int threads) {
            this(data, m, activation, parameterization, initSeed, loss, schedule, observations, threads, false,
                    Optional.empty(), RandomStreams.seeded(), Exports.NONE);
        }
    }

    /**
     * The arrays a run keeps beyond its history ({@link ParameterExport}).
     *
     * @param params whether to keep the parameters at every observation
     * @param testX  test inputs (n', d) row-major whose outputs, and the training outputs, are kept; null for none
     */
    public record Exports(boolean params, double[] testX) {
        /** Nothing beyond the history. */
        public static final Exports NONE = new Exports(false, null);
    }

    /**
     * @param rows      the observations, oldest first
     * @param groups    the parameter groups the net has (the RD columns)
     * @param finalLoss L at the end of the run
     * @param finalTime t at the end of the run
     * @param steps     steps taken (fixed-step dynamics) or accepted integrator steps (gradient flow)
     * @param recorder  what the schedule recorded beyond loss and RD, in step with {@code rows}
     * @param arrays    the exported arrays and the kept draws, by path relative to the output directory, e.g.
     *                  {@code params/a.npy} (empty when nothing was asked for)
     */
    public record Result(List<TrainingHistory.Row> rows, List<Group> groups, double finalLoss, double finalTime,
                         long steps, Recorder recorder, Map<String, NpyArray> arrays) {
        public Result {
            rows = List.copyOf(rows);
            groups = List.copyOf(groups);
            arrays = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arrays));
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
     * @throws IllegalArgumentException when theta0 or a given array of draws does not fit the run
     */
    public static Result run(Config c, TrainingObserver progress) {
        // Initialise theta_0 (drawn from the seed, or given) and pose the problem L(theta) on the training set
        Dataset data = c.data();
        TwoLayerNet net = c.theta0().isPresent()
                ? TwoLayerNet.withInitialParameters(data.d(), c.m(), c.activation(), c.parameterization(),
                        c.theta0().get())
                : TwoLayerNet.initialize(data.d(), c.m(), c.activation(), c.parameterization(), c.initSeed());
        Parallelism parallelism = new Parallelism(c.threads());
        TrainingProblem problem = c.linearized()
                ? TrainingProblem.linearized(net, data, c.loss(), parallelism)
                : new TrainingProblem(net, data, c.loss(), parallelism);

        // Start the schedule's dynamics and observe L, RD_g and its own records at its observation times
        Dynamics dynamics = c.schedule().start(problem, c.streams());
        List<String> unused = c.streams().unused();
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(unused.get(0) + ": this run makes no such draws");
        }
        TrainingHistory history = new TrainingHistory(net);
        Recorder recorder = c.schedule().recorder(c, dynamics);
        ParameterExport export = new ParameterExport(problem, c.exports().params(), c.exports().testX());
        dynamics.run(c.schedule().observationTimes(c.observations()),
                history.andThen(recorder).andThen(export).andThen(progress));
        List<TrainingHistory.Row> rows = history.rows();
        TrainingHistory.Row last = rows.get(rows.size() - 1);
        Map<String, NpyArray> arrays = new java.util.LinkedHashMap<>(export.arrays());
        arrays.putAll(c.streams().recorded());
        return new Result(rows, history.groups(), last.loss(), last.time(), dynamics.steps(), recorder, arrays);
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
