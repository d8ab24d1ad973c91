package twolayer.plot;

import static twolayer.plot.Charts.chart;
import static twolayer.plot.Charts.dashed;

import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.measure.CertifiedBounds;

/** The two charts of a certified run (MFLD or two-timescale): the sandwich lower &lt;= F* &lt;= upper and the gap. */
public final class CertificateCharts {

    private CertificateCharts() {}

    /**
     * Upper and lower bound along time with the reference optimum {@code optimum} dashed; {@code name} names the
     * objective in the legend ("F" or "G").
     */
    public static XYChart sandwich(String title, String yTitle, String name, List<CertifiedBounds> bounds, double optimum) {
        int size = bounds.size();
        double[] t = new double[size], lower = new double[size], upper = new double[size], star = new double[size];
        for (int k = 0; k < size; k++) {
            CertifiedBounds b = bounds.get(k);
            t[k] = b.time();
            lower[k] = b.lower();
            upper[k] = b.upper();
            star[k] = optimum;
        }
        XYChart chart = chart(title, "time t = eta k", yTitle);
        chart.addSeries("upper bound " + name + "(p_mu)", t, upper).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("lower bound", t, lower).setMarker(SeriesMarkers.DIAMOND);
        dashed(chart.addSeries(name + "* (grid solver)", t, star));
        return chart;
    }

    /** The certified gap upper - lower along time, on a logarithmic axis. */
    public static XYChart gap(String title, String label, List<CertifiedBounds> bounds) {
        double[] t = new double[bounds.size()], gap = new double[bounds.size()];
        for (int k = 0; k < t.length; k++) {
            t[k] = bounds.get(k).time();
            gap[k] = bounds.get(k).gap();
        }
        XYChart g = chart(title, "time t = eta k", "gap");
        g.getStyler().setYAxisLogarithmic(true);
        g.addSeries(label, t, gap).setMarker(SeriesMarkers.CIRCLE);
        return g;
    }
}
