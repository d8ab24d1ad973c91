package twolayer.conformance;

import java.util.Map;
import twolayer.model.TwoLayerNet;

/**
 * The shared parts of a conformance document, for vectors written above this package: a chapter's own run (the
 * phase diagram's, {@code twolayer.chapter.phasediagram.PhaseDiagramVectors}) uses the same conventions, number
 * format, parameter layout and tolerance rounding as the vectors of this package, so that one checker reads them
 * all (baseline chapter, section "Conformance vectors").
 */
public final class VectorParts {

    private VectorParts() {
    }

    /** The conventions every dynamics document carries (network, activations, loss, clock, layout, numbers). */
    public static Map<String, Object> conventions(String version, String tolerance) {
        return DynamicsVectors.conventions(version, tolerance);
    }

    /** bound rounded up to one significant digit, at least floor. */
    public static double up(double bound, double floor) {
        return DynamicsVectors.up(bound, floor);
    }

    /** A measured factor (a growth) rounded up to two significant digits, the same on every JDK. */
    public static double upTwoDigits(double factor) {
        return DynamicsVectors.upTwoDigits(factor);
    }

    /** A flat theta by group: a (m), w (m rows of d), b (m) or null, c or null. */
    public static Map<String, Object> groups(TwoLayerNet net, double[] theta) {
        return DynamicsVectors.groups(net, theta);
    }

    /** The evaluated multipliers kA, kW, kB, kC (null for an absent group). */
    public static Map<String, Object> multipliers(TwoLayerNet net) {
        return DynamicsVectors.multipliers(net);
    }

    /** The effective rates rho_g (null for an absent group). */
    public static Map<String, Object> rates(TwoLayerNet net) {
        return DynamicsVectors.rates(net);
    }

    /** (n1, n2) row-major values as an array of rows. */
    public static double[][] rows(double[] values, int n1, int n2) {
        return ConformanceVectors.rows(values, n1, n2);
    }

    /** max_i |v_i|, the size of a state in the growth-factor measurements. */
    public static double maxAbs(double[] v) {
        return DynamicsVectors.maxAbs(v);
    }

    /** max_i |u_i - v_i|, the distance of two states in the growth-factor measurements. */
    public static double maxDiff(double[] u, double[] v) {
        return DynamicsVectors.maxDiff(u, v);
    }

    /** The JSON text of a document ({@link ConformanceJson}). */
    public static String write(Map<String, Object> document) {
        return ConformanceJson.write(document);
    }
}
