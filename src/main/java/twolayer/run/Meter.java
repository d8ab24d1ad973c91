package twolayer.run;

import java.util.function.ToLongFunction;
import twolayer.dynamics.TrainingState;

/**
 * How far a run has got, for a progress bar: a label, the position at the end, and the position of a state.
 *
 * @param label    what the bar counts, e.g. "train (gd steps)"
 * @param total    the position at the end of the run
 * @param position the position of a state, from 0 to total
 */
public record Meter(String label, long total, ToLongFunction<TrainingState> position) {
}
