package twolayer.run;

import twolayer.dynamics.Dynamics;
import twolayer.dynamics.TrainingProblem;

/**
 * How a net is trained in a {@link TrainingRun}: one record per dynamics, each knowing how to start its dynamics,
 * when to observe it, what its step counts, what it records beyond the loss, and what it writes into run.json.
 * Adding a dynamics is one new record here (and its subclass of the dynamics contract test); nothing else
 * dispatches on the kind of schedule (architecture chapter, section "Adding a dynamics").
 */
public sealed interface Schedule permits Descent, Flow, Langevin, TwoTimescales {

    /** The name of the dynamics, as {@code train --dynamics} spells it. */
    String name();

    /**
     * The dynamics, started at the problem's net's initial parameters, drawing its random numbers (if any) from
     * the run's streams.
     */
    Dynamics start(TrainingProblem problem, RandomStreams streams);

    /** The dynamics, started at the problem's net's initial parameters, every draw from its seed. */
    default Dynamics start(TrainingProblem problem) {
        return start(problem, RandomStreams.seeded());
    }

    /** The final gradient-flow time of the run. */
    double time();

    /** The observation times with N observation intervals ({@code twolayer.dynamics.ObservationTimes}). */
    double[] observationTimes(int observations);

    /** What the history's {@code step} column counts. */
    String stepUnit();

    /** What the summary line calls the step count, e.g. "steps". */
    default String stepsLabel() {
        return "steps";
    }

    /** The progress of a run with N observation intervals. */
    Meter meter(int observations);

    /** What the run records beyond loss and weight change; {@link Recorder#none()} by default. */
    default Recorder recorder(TrainingRun.Config config, Dynamics dynamics) {
        return Recorder.none();
    }

    /** Whether the schedule can train the net's linearised model instead of the net (gradient descent and flow). */
    default boolean trainsLinearized() {
        return false;
    }

    /** Whether the run draws Langevin noise (the noisy dynamics at a temperature lambda &gt; 0). */
    default boolean drawsNoise() {
        return false;
    }

    /** Whether the run draws mini-batches from n training points (0 &lt; B &lt; n). */
    default boolean drawsBatches(int n) {
        return false;
    }

    /** Whether the run draws label noise (two-timescale training's label-noise procedure). */
    default boolean drawsLabelNoise() {
        return false;
    }

    /** Adds the schedule's settings and conventions to run.json (the seeds drawn come from its streams). */
    void describe(RunDescription into);

    /** The check every fixed-step schedule makes: a config, and a whole number of steps k &gt;= 1. */
    static void requireConfigAndSteps(Object config, long steps) {
        java.util.Objects.requireNonNull(config, "config");
        if (steps < 1) {
            throw new IllegalArgumentException("steps: must be >= 1, got " + steps);
        }
    }
}
