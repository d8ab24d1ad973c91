package twolayer.measure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import twolayer.dynamics.TrainingObserver;
import twolayer.dynamics.TrainingState;
import twolayer.model.Group;
import twolayer.model.TwoLayerNet;

/**
 * Records, at every observed time, the loss and the relative weight change of every present parameter group
 * (see {@link WeightChange}). The rows it keeps are what the CLI writes and the figures plot.
 */
public final class TrainingHistory implements TrainingObserver {

    /** One observation. {@code weightChange} maps each present group to RD_g(t). */
    public record Row(double time, long step, double loss, Map<Group, Double> weightChange) {
    }

    private final TwoLayerNet net;
    private final double[] theta0;
    private final List<Row> rows = new ArrayList<>();

    /** Weight changes are measured from the net's initial parameters. */
    public TrainingHistory(TwoLayerNet net) {
        this.net = net;
        this.theta0 = net.initialParameters();
    }

    @Override
    public void observe(TrainingState s) {
        Map<Group, Double> change = new EnumMap<>(Group.class);
        for (Group g : Group.values()) {
            if (net.count(g) > 0) {
                change.put(g, WeightChange.relative(net, theta0, s.theta(), g));
            }
        }
        rows.add(new Row(s.time(), s.step(), s.loss(), Collections.unmodifiableMap(change)));
    }

    /** The rows so far, oldest first. */
    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The groups that this net has, in order. */
    public List<Group> groups() {
        List<Group> present = new ArrayList<>();
        for (Group g : Group.values()) {
            if (net.count(g) > 0) {
                present.add(g);
            }
        }
        return present;
    }
}
