package twolayer.dynamics;

/**
 * Training stopped because the loss (or the gradient) stopped being finite. Carries the step, the time, the
 * recent loss history and a suggested step size, so that the message tells the user what to change.
 */
public final class DivergenceException extends IllegalStateException {
    private final long step;
    private final double time;
    private final double[] recentLosses;
    private final double suggestedStepSize;

    public DivergenceException(String message, long step, double time, double[] recentLosses, double suggestedStepSize) {
        super(message);
        this.step = step;
        this.time = time;
        this.recentLosses = recentLosses.clone();
        this.suggestedStepSize = suggestedStepSize;
    }

    /** The step at which the loss was first non-finite. */
    public long step() { return step; }

    /** The gradient-flow time of that step. */
    public double time() { return time; }

    /** The losses of the steps before (oldest first). */
    public double[] recentLosses() { return recentLosses.clone(); }

    /** A step size for which the linearised dynamics at initialisation are stable (NaN if none could be computed). */
    public double suggestedStepSize() { return suggestedStepSize; }
}
