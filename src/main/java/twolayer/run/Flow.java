package twolayer.run;

import twolayer.dynamics.Conventions;
import twolayer.dynamics.Dynamics;
import twolayer.dynamics.GradientFlow;
import twolayer.dynamics.ObservationTimes;
import twolayer.dynamics.TrainingProblem;

/**
 * Gradient flow, integrated with error control to time T ({@link GradientFlow}).
 *
 * @param config tolerances of the adaptive integrator
 * @param time   the final time T (finite, &gt; 0)
 */
public record Flow(GradientFlow.Config config, double time) implements Schedule {
    public Flow {
        java.util.Objects.requireNonNull(config, "config");
        if (!(time > 0) || !Double.isFinite(time)) {
            throw new IllegalArgumentException("time: must be finite and > 0, got " + time);
        }
    }

    @Override public String name() { return "flow"; }

    /** The flow draws nothing. */
    @Override
    public Dynamics start(TrainingProblem problem, RandomStreams streams) {
        return new GradientFlow(problem, config);
    }

    @Override public double[] observationTimes(int observations) {
        return ObservationTimes.evenly(time, observations);
    }

    @Override public String stepUnit() { return "accepted steps of the adaptive integrator"; }

    @Override public String stepsLabel() { return "integrator steps"; }

    /** The bar counts observations: the integrator's step count is not known in advance. */
    @Override public Meter meter(int observations) {
        return new Meter("train (flow, t/T in 1/" + observations + ")", observations,
                s -> Math.round(s.time() / time * observations));
    }

    @Override public boolean trainsLinearized() { return true; }

    @Override
    public void describe(RunDescription into) {
        into.setting("abs-tol", config.absoluteTolerance()).setting("rel-tol", config.relativeTolerance())
                .setting("max-evaluations", config.maxEvaluations());
        into.convention("observations", Conventions.FLOW_OBSERVATIONS);
    }
}
