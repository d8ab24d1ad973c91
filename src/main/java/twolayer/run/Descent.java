package twolayer.run;

import twolayer.dynamics.Conventions;
import twolayer.dynamics.Dynamics;
import twolayer.dynamics.GradientDescent;
import twolayer.dynamics.ObservationTimes;
import twolayer.dynamics.TrainingProblem;

/**
 * Gradient descent (heavy-ball, mini-batch) for a whole number of steps ({@link GradientDescent}).
 *
 * @param config step size, momentum, batch size, mini-batch seed
 * @param steps  number of steps k (&gt;= 1); the run ends at t = k eta
 */
public record Descent(GradientDescent.Config config, long steps) implements Schedule {
    public Descent {
        Schedule.requireConfigAndSteps(config, steps);
    }

    @Override public String name() { return "gd"; }

    /** Mini-batch runs take their rows from the streams ({@link RandomStreams#batches}). */
    @Override
    public Dynamics start(TrainingProblem problem, RandomStreams streams) {
        int n = problem.batch().size();
        boolean mini = config.batchSize() > 0 && config.batchSize() < n;
        return new GradientDescent(problem, config, problem.net().initialParameters(),
                mini ? streams.batches(config.seed(), steps, n, config.batchSize()) : null);
    }

    /** The final time k eta. */
    @Override public double time() { return steps * config.eta(); }

    @Override public double[] observationTimes(int observations) {
        return ObservationTimes.ofSteps(steps, config.eta(), observations);
    }

    @Override public String stepUnit() { return "gradient-descent steps taken"; }

    @Override public Meter meter(int observations) {
        return new Meter("train (gd steps)", steps, s -> s.step());
    }

    @Override public boolean trainsLinearized() { return true; }

    @Override public boolean drawsBatches(int n) { return config.batchSize() > 0 && config.batchSize() < n; }

    @Override
    public void describe(RunDescription into) {
        into.setting("steps", steps).setting("eta", config.eta()).setting("momentum", config.momentum())
                .setting("batch-size", config.batchSize());
        into.convention("observations", Conventions.STEP_OBSERVATIONS);
    }
}
