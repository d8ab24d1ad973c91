package twolayer.dynamics;

/**
 * A snapshot of a training run, handed to a {@link TrainingObserver}.
 *
 * @param time  gradient-flow time t; a discrete run of k steps at step size eta is at t = k * eta
 * @param step  the number of steps taken (integrator steps for {@link GradientFlow})
 * @param loss  the empirical risk L(theta) on the full training set
 * @param theta the parameters (a copy the observer may keep)
 */
public record TrainingState(double time, long step, double loss, double[] theta) {
}
