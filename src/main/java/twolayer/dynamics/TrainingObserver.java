package twolayer.dynamics;

/**
 * Receives the state of a training run at the times the caller asked for, like an ODE step handler
 * (Hipparchus' {@code ODEStepHandler}: init, handleStep, finish). Every trainer reports through this one
 * interface, so a measure written once works for gradient descent, gradient flow and later dynamics.
 */
public interface TrainingObserver {

    /** Called once before the first observation, with the starting state. */
    default void init(TrainingState start) {
    }

    /** Called at each requested time. */
    void observe(TrainingState state);

    /** Called once after the last requested time. */
    default void finish(TrainingState end) {
    }

    /** An observer that ignores everything. */
    static TrainingObserver none() {
        return state -> { };
    }

    /** Both observers, in order. */
    default TrainingObserver andThen(TrainingObserver next) {
        TrainingObserver first = this;
        return new TrainingObserver() {
            @Override public void init(TrainingState s) { first.init(s); next.init(s); }
            @Override public void observe(TrainingState s) { first.observe(s); next.observe(s); }
            @Override public void finish(TrainingState s) { first.finish(s); next.finish(s); }
        };
    }
}
