package twolayer.run;

import java.util.List;
import java.util.Map;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingState;

/**
 * What a dynamics records beyond the loss and the weight change at each observation of a run: its extra
 * history columns (the free energy of MFLD, the intrinsic kernel of two-timescale training), their values at
 * the end, and its own entries of run.json. A {@link Schedule} makes one per run.
 */
public interface Recorder extends TrainingObserver {

    /** The extra columns of history.csv, in order (empty for none). */
    List<String> columns();

    /** The extra values of each observation so far, one array per observation, in the order of {@link #columns}. */
    List<double[]> rows();

    /** The extra values at the end of the run, for run.json's "final" section and the summary line. */
    Map<String, Object> end();

    /** What the summary line adds after the final loss, e.g. ", certified gap 1e-5" (empty for nothing). */
    default String summary() {
        return "";
    }

    /** Adds the recorder's own sections and conventions to run.json. */
    default void describe(RunDescription into) {
    }

    /** A recorder of nothing. */
    static Recorder none() {
        return new Recorder() {
            @Override public void observe(TrainingState state) { }
            @Override public List<String> columns() { return List.of(); }
            @Override public List<double[]> rows() { return List.of(); }
            @Override public Map<String, Object> end() { return Map.of(); }
        };
    }
}
