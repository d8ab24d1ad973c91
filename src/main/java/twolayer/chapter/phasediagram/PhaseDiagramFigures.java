package twolayer.chapter.phasediagram;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.Point;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.PointSlope;
import twolayer.measure.Condensation;
import twolayer.measure.Particles;
import twolayer.plot.Charts;

/**
 * The figures of the phase-diagram chapter, from real runs of {@link PhaseDiagramSweep}:
 * <ul>
 *   <li>{@code phase-diagram-slopes.svg}: the fitted slope s = d log RD(theta_w) / d log m at every point of a
 *       quick grid (gamma from 1/2 to 2, gamma' from -1/2 to 3/4, steps 1/4; widths 64 ... 512, one seed), each
 *       point a tile coloured by s, with the theoretical boundary (gamma = 1 for gamma' &lt;= 0, gamma' = gamma - 1
 *       for gamma &gt;= 1) drawn;</li>
 *   <li>{@code phase-diagram-neurons-linear.svg}, {@code -critical.svg}, {@code -condensed.svg}: each neuron's
 *       orientation atan2(b, w) against its share of the amplitude |a| ||(w, b)||, at initialisation and after
 *       training, at (1/2, 0), (1, 0) and (2, 0), m = 1024.</li>
 * </ul>
 * The quick grid is small so that the site build stays within its budget; the chapter's claims use wider width
 * ranges and more seeds, and the CLI runs the full grid.
 */
public final class PhaseDiagramFigures {
    private static final long SEED = 20261123L;
    /** Slope bins of the colour scale: upper edges; blue (RD shrinks) to red (RD grows). */
    private static final double[] EDGES = {-1.25, -0.75, -0.35, -0.1, 0.1, 0.35, Double.POSITIVE_INFINITY};
    private static final String[] LABELS = {"s < -1.25", "-1.25 .. -0.75", "-0.75 .. -0.35", "-0.35 .. -0.1",
        "-0.1 .. 0.1 (flat)", "0.1 .. 0.35", "s > 0.35"};
    private static final Color[] COLOURS = {new Color(0x08306B), new Color(0x2171B5), new Color(0x6BAED6),
        new Color(0xC6DBEF), new Color(0xF0F0F0), new Color(0xFC9272), new Color(0xCB181D)};

    private PhaseDiagramFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        try {
            slopeMap(dir);
            neurons(dir, new Point(0.5, 0), "linear");
            neurons(dir, new Point(1, 0), "critical");
            neurons(dir, new Point(2, 0), "condensed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("phase-diagram figures interrupted", e);
        }
    }

    // tag::plot-phase-diagram[]
    private static void slopeMap(Path dir) throws IOException, InterruptedException {
        List<Point> grid = PhaseDiagramSweep.parseGrid("0.5..2/0.25x-0.5..0.75/0.25");
        int[] widths = {64, 128, 256, 512};
        PhaseDiagramSweep.Config config =
                new PhaseDiagramSweep.Config(grid, widths, new long[] {SEED}, 1e-6, 40_000, 0.3);
        List<PointSlope> slopes = PhaseDiagramSweep.summarise(
                PhaseDiagramSweep.runAll(config, Runtime.getRuntime().availableProcessors()));
        Charts.saveSvg(slopeChart(grid, slopes), dir.resolve("phase-diagram-slopes.svg"));
    }
    // end::plot-phase-diagram[]

    /** The tiles of the grid coloured by slope, the unconverged points as crosses, and the critical set. */
    static XYChart slopeChart(List<Point> grid, List<PointSlope> slopes) {
        return slopeChart("Fitted slope s = d log RD(w) / d log m (m = 64 ... 512)", "not converged in 40000 steps",
                grid, slopes);
    }

    /**
     * The slope map of {@link #slopeChart(List, List)} with another title and label for the grid points without a
     * slope (the replications chapter draws its paper-scale sweep with it).
     */
    public static XYChart slopeChart(String title, String noSlopeLabel, List<Point> grid, List<PointSlope> slopes) {
        XYChart chart = Charts.xy(title,
                "gamma (output scale kappa ~ m^-gamma)", "gamma' (layer ratio kappa' ~ m^-gamma')");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(34);
        chart.getStyler().setXAxisMin(0.3).setXAxisMax(2.2).setYAxisMin(-0.7).setYAxisMax(0.95);
        List<List<double[]>> bins = new ArrayList<>();
        for (int b = 0; b < EDGES.length; b++) {
            bins.add(new ArrayList<>());
        }
        List<double[]> missing = new ArrayList<>(grid.stream().map(p -> new double[] {p.gamma(), p.gammaPrime()}).toList());
        for (PointSlope s : slopes) {
            int b = 0;
            while (s.fit().slope() > EDGES[b]) {
                b++;
            }
            bins.get(b).add(new double[] {s.point().gamma(), s.point().gammaPrime()});
            missing.removeIf(q -> q[0] == s.point().gamma() && q[1] == s.point().gammaPrime());
        }
        for (int b = 0; b < EDGES.length; b++) {
            if (!bins.get(b).isEmpty()) {
                XYSeries series = chart.addSeries(LABELS[b], column(bins.get(b), 0), column(bins.get(b), 1));
                series.setMarker(SeriesMarkers.SQUARE);
                series.setMarkerColor(COLOURS[b]);
            }
        }
        if (!missing.isEmpty()) {
            XYSeries series = chart.addSeries(noSlopeLabel, column(missing, 0), column(missing, 1));
            series.setMarker(SeriesMarkers.CROSS);
            series.setMarkerColor(Color.GRAY);
        }
        // the critical set {gamma = 1, gamma' <= 0} U {gamma >= 1, gamma' = gamma - 1}
        XYSeries boundary = chart.addSeries("critical set (theory)", new double[] {1, 1, 1.95},
                new double[] {-0.65, 0, 0.95});
        boundary.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        boundary.setMarker(SeriesMarkers.NONE);
        boundary.setLineColor(Color.BLACK);
        boundary.setLineStyle(Charts.dashed(2f));
        return chart;
    }

    private static void neurons(Path dir, Point p, String regime) throws IOException {
        PhaseDiagramSweep.Config config = PhaseDiagramSweep.Config.of(List.of(p), new int[] {1024}, new long[] {SEED});
        PhaseDiagramSweep.Key key = config.keys().get(0);
        PhaseRun.Result r = PhaseRun.run(PhaseDiagramSweep.runConfig(config, key));
        Charts.saveSvg(neuronChart(p, regime, key, r), dir.resolve("phase-diagram-neurons-" + regime + ".svg"));
    }

    /** The neurons of one run, initial and final: orientation against share of the amplitude. */
    static XYChart neuronChart(Point p, String regime, PhaseDiagramSweep.Key key, PhaseRun.Result r) {
        Particles init = particles(r.theta0(), 1024), last = PhaseDiagramSweep.finalParticles(key, r);
        XYChart chart = Charts.xy(String.format("%s regime (%s, %s), m = 1024: top-4 share %.2f",
                regime, p.gamma(), p.gammaPrime(), Condensation.topClusterShare(last, 4, 0.05)),
                "orientation atan2(b, w) of the neuron (rad)", "share of the amplitude |a| ||(w, b)||");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setYAxisLogarithmic(true);
        addNeurons(chart, "initialisation", init, new Color(0xAAAAAA));
        addNeurons(chart, String.format("after training (RD_w = %.3g)", r.rdW()), last, new Color(0xCB181D));
        return chart;
    }

    private static Particles particles(double[] theta, int m) {
        return Particles.of(java.util.Arrays.copyOfRange(theta, 0, m), java.util.Arrays.copyOfRange(theta, m, 3 * m), 2);
    }

    /** Neurons with a share below 1e-8 of the total are left out: the log axis cannot show 0. */
    private static void addNeurons(XYChart chart, String label, Particles p, Color colour) {
        double total = 0;
        for (int j = 0; j < p.width(); j++) {
            total += p.amplitude(j);
        }
        List<double[]> points = new ArrayList<>();
        for (int j = 0; j < p.width(); j++) {
            double share = p.amplitude(j) / total;
            if (share > 1e-8) {
                points.add(new double[] {Condensation.orientation(p, j), share});
            }
        }
        XYSeries s = chart.addSeries(label, column(points, 0), column(points, 1));
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(colour);
    }

    private static double[] column(List<double[]> rows, int k) {
        double[] c = new double[rows.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = rows.get(i)[k];
        }
        return c;
    }
}
