package twolayer.dynamics;

/**
 * What every discrete-time dynamics shares: a step size eta, a step counter k, the clock t = k eta, the run
 * loop that steps to each requested time (a whole number of steps, see {@link Dynamics#stepsAt}) and hands the
 * state to the observer, and the divergence rule ({@link DivergenceRule}) with its report. Subclasses supply one
 * step, a snapshot of their state and the step size below which their drift is stable near initialisation.
 */
abstract class DiscreteDynamics implements Dynamics {
    /** How many losses the divergence report keeps. */
    private static final int HISTORY = 1000;

    /** Steps taken so far; {@link #step()} increments it. */
    long steps;
    private final double[] history = new double[HISTORY];   // ring of the last losses
    private long historyCount;

    /** The rule that decides divergence, fixed at the first recorded loss (the loss at theta0). */
    private DivergenceRule rule;

    /**
     * Records the loss L(theta_k) that the step about to be taken was computed from, and stops the run if that
     * loss or the current parameters have diverged ({@link DivergenceRule}). Call it before changing theta.
     *
     * @throws DivergenceException with the step, the recent losses and a suggested step size
     */
    final void recordLoss(double value, double[] theta) {
        if (rule == null) {
            rule = DivergenceRule.at(value, theta, nullLoss());
        }
        String why = rule.violation(value, theta);
        if (why != null) {
            throw diverged(why);
        }
        history[(int) (historyCount++ % HISTORY)] = value;
    }

    /** The loss of the predictor f = 0 on the training set: the scale of the divergence rule's loss bound. */
    abstract double nullLoss();

    /**
     * The step size below which the dynamics' drift is stable near initialisation (NaN if unknown); the
     * divergence report suggests half of it.
     */
    abstract double stabilityLimit();

    /** What the divergence report calls this dynamics, e.g. "gradient descent". */
    abstract String label();

    /** The exception for a run that diverged at the current step, with the recent losses and the advice. */
    final DivergenceException diverged(String why) {
        double[] recent = recentLosses();
        int kept = recent.length;
        double limit;
        try {
            limit = stabilityLimit();
        } catch (RuntimeException e) {
            limit = Double.NaN; // the advice is a courtesy: a failing estimate must not hide the divergence
        }
        double suggestion = Double.isFinite(limit) && limit > 0 ? 0.5 * limit : 0.5 * eta();
        String last = kept == 0 ? "none" : String.valueOf(recent[kept - 1]);
        String advice;
        if (steps == 0 && kept == 0) {
            advice = "This is the initialisation itself, before any step: check the data and the initial scales,"
                    + " not the step size.";
        } else if (Double.isFinite(limit) && limit > 0) {
            advice = "Near initialisation the drift is stable only for eta < " + limit + "; eta = " + eta()
                    + " was used. Try eta = " + suggestion + " or smaller.";
        } else {
            advice = "Try a smaller step size than eta = " + eta() + ", e.g. " + suggestion + ".";
        }
        String message = label() + " diverged at step " + steps + " (t = " + time() + "): " + why
                + " (last accepted loss: " + last + "). " + advice;
        return new DivergenceException(message, steps, time(), recent, steps == 0 ? Double.NaN : suggestion);
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

    // tag::dynamics-run-loop[]
    /** Runs to each requested time; each must be a whole number of steps, t = k eta (to 1e-9 relative). */
    @Override
    public final void run(double[] times, TrainingObserver observer) {
        long[] targets = Dynamics.stepsAt(times, time(), eta());
        observer.init(checked(snapshot()));
        for (long target : targets) {
            while (steps < target) {
                step();
            }
            observer.observe(checked(snapshot()));
        }
        observer.finish(checked(snapshot()));
    }
    // end::dynamics-run-loop[]

    /**
     * The state after the rule's check: the last step's result is otherwise only seen by the next step, so a run
     * whose final step diverges would be handed to the observer (and written) as if it had not.
     */
    private TrainingState checked(TrainingState state) {
        if (rule == null) {
            rule = DivergenceRule.at(state.loss(), state.theta(), nullLoss());
        }
        String why = rule.violation(state.loss(), state.theta());
        if (why != null) {
            throw diverged(why);
        }
        return state;
    }

    /** Runs k steps with no observation. */
    public final void advance(long k) {
        for (long i = 0; i < k; i++) {
            step();
        }
    }
}
