package twolayer.dynamics;

/**
 * What every discrete-time dynamics shares: a step size eta, a step counter k, the clock t = k eta, and the run
 * loop that steps to each requested time (a whole number of steps, see {@link Dynamics#stepsAt}) and hands the
 * state to the observer. Subclasses supply one step and a snapshot of their state.
 */
abstract class DiscreteDynamics implements Dynamics {
    /** How many losses the divergence report keeps. */
    private static final int HISTORY = 1000;

    /** Steps taken so far; {@link #step()} increments it. */
    long steps;
    private final double[] history = new double[HISTORY];   // ring of the last losses
    private long historyCount;

    /** Records the loss of the step just taken, for the divergence report. */
    final void recordLoss(double value) {
        history[(int) (historyCount++ % HISTORY)] = value;
    }

    /** The last (up to 1000) recorded losses, oldest first. */
    final double[] recentLosses() {
        int kept = (int) Math.min(historyCount, HISTORY);
        double[] recent = new double[kept];
        for (int i = 0; i < kept; i++) {
            recent[i] = history[(int) ((historyCount - kept + i) % HISTORY)];
        }
        return recent;
    }

    /** The step size eta. */
    abstract double eta();

    /** One step of the dynamics (it increments {@link #steps}). */
    public abstract void step();

    /** The current state, with the loss on the full training set. */
    abstract TrainingState snapshot();

    @Override
    public final double time() {
        return steps * eta();
    }

    @Override
    public final long steps() {
        return steps;
    }

    /** Runs to each requested time; each must be a whole number of steps, t = k eta (to 1e-9 relative). */
    @Override
    public final void run(double[] times, TrainingObserver observer) {
        long[] targets = Dynamics.stepsAt(times, time(), eta());
        observer.init(snapshot());
        for (long target : targets) {
            while (steps < target) {
                step();
            }
            observer.observe(snapshot());
        }
        observer.finish(snapshot());
    }

    /** Runs k steps with no observation. */
    public final void advance(long k) {
        for (long i = 0; i < k; i++) {
            step();
        }
    }
}
