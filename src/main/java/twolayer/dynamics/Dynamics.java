package twolayer.dynamics;

import twolayer.model.TwoLayerNet;

/**
 * The contract every trainer keeps: a state (the parameters theta), a clock (gradient-flow time t) and a way
 * to advance. Time is always gradient-flow time: gradient descent with step eta after k steps is at t = k eta
 * (the convention of neural-tangents' {@code gradient_descent_mse}), so different dynamics are compared at
 * equal t.
 */
public interface Dynamics {

    /** The network being trained. */
    TwoLayerNet net();

    /** The current gradient-flow time t. */
    double time();

    /** The number of steps taken so far. */
    long steps();

    /** A copy of the current parameters. */
    double[] parameters();

    /**
     * Advances through the given non-decreasing times (each >= {@link #time()}), handing the state at each
     * one to the observer ({@code init} first, {@code finish} after the last).
     *
     * @throws DivergenceException when the loss stops being finite
     */
    void run(double[] times, TrainingObserver observer);

    /** Checks that requested times are finite, non-decreasing and not in the past. */
    static void checkTimes(double[] times, double now) {
        double previous = now;
        for (int k = 0; k < times.length; k++) {
            double t = times[k];
            if (!Double.isFinite(t) || t < previous) {
                throw new IllegalArgumentException("times: entry " + k + " = " + t
                        + " must be finite, non-decreasing and >= the current time " + now);
            }
            previous = t;
        }
    }

    /**
     * The step counts k = t / eta of the requested times of a discrete dynamics, which only visits t = k eta:
     * checks the times like {@link #checkTimes} and that each is a whole number of steps (to 1e-9 relative).
     */
    static long[] stepsAt(double[] times, double now, double eta) {
        checkTimes(times, now);
        long[] targets = new long[times.length];
        for (int k = 0; k < times.length; k++) {
            double exact = times[k] / eta;
            long rounded = Math.round(exact);
            if (Math.abs(exact - rounded) > 1e-9 * Math.max(1.0, exact)) {
                throw new IllegalArgumentException("times: t = " + times[k]
                        + " is not a whole number of steps of eta = " + eta);
            }
            targets[k] = rounded;
        }
        return targets;
    }
}
