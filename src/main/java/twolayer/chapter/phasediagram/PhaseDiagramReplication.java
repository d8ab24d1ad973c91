package twolayer.chapter.phasediagram;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.Point;
import twolayer.chapter.phasediagram.PhaseDiagramSweep.PointSlope;
import twolayer.data.AtomicFiles;
import twolayer.model.LuoCoordinates;
import twolayer.plot.Charts;
import twolayer.run.ResultsFolder;

/**
 * Luo et al.'s phase diagram at widths up to 8192 and three seeds per point, from {@code results/phase-diagram} (the
 * run files of {@code twolayer experiment phase-diagram}); replications chapter, section "Phase diagram":
 * <ul>
 *   <li>{@code replication-phase-diagram-slopes.svg}: the slope map over the grid;</li>
 *   <li>{@code replication-phase-diagram-exponents.svg}: the fitted slope of every grid point, with its error bar,
 *       against the exponent of the phase-diagram chapter's scaling argument ({@link #scalingSlope});</li>
 *   <li>{@code replication-phase-diagram.adoc} (generated docs): the table of every grid point and the condensation
 *       (the four largest orientation clusters' share of the output weight) against m at three points.</li>
 * </ul>
 */
public final class PhaseDiagramReplication {

    /** The folder under results/. */
    public static final String NAME = "phase-diagram";
    static final String SLOPES = "replication-phase-diagram-slopes.svg";
    static final String EXPONENTS = "replication-phase-diagram-exponents.svg";
    static final String TABLE = "replication-phase-diagram.adoc";
    static final String COMMAND = "results/replicate.sh " + NAME;
    /** The chapter's three representative points: linear (NTK), critical (mean field), condensed. */
    static final List<Point> REPRESENTATIVE = List.of(new Point(0.5, 0), new Point(1, 0), new Point(2, 0));

    private PhaseDiagramReplication() {}

    // tag::replication-scaling-slope[]
    /**
     * The slope s = d log RD(theta_w) / d log m that the phase-diagram chapter's scaling argument gives at
     * (gamma, gamma'): kernel phase gamma - 1 - 2 max(gamma', 0) for gamma &lt; 1, the random-feature wedge
     * 2(gamma - 1 - gamma') for gamma &gt;= 1 and gamma' &gt; gamma - 1, the condensed phase (gamma - 1 - gamma')/2
     * for gamma' &lt; gamma - 1 and gamma + gamma' &gt;= 1, and 0 on the critical set; NaN where the chapter derives
     * no exponent (condensed with gamma + gamma' &lt; 1).
     */
    public static double scalingSlope(double gamma, double gammaPrime) {
        double eps = 1e-9;
        if (gamma < 1 - eps) {
            return gamma - 1 - 2 * Math.max(gammaPrime, 0);
        }
        double excess = gamma - 1 - gammaPrime; // > 0 condensed side, < 0 wedge side
        if (Math.abs(gamma - 1) <= eps && gammaPrime <= eps || Math.abs(excess) <= eps) {
            return 0;
        }
        if (excess < 0) {
            return 2 * excess;
        }
        return gamma + gammaPrime >= 1 - eps ? excess / 2 : Double.NaN;
    }
    // end::replication-scaling-slope[]

    /**
     * Writes the figures and the table from {@code results/phase-diagram}, or a table partial that says the
     * replication has not been run when the folder has no run files.
     *
     * @throws IOException if a run file is malformed (the message names it)
     */
    public static void writeAll(Path resultsRoot, Path figuresDir, Path genDir) throws IOException {
        Path dir = resultsRoot.resolve(NAME);
        List<PhaseDiagramSweep.Record> records = Files.isDirectory(dir) ? PhaseDiagramSweep.read(dir) : List.of();
        if (records.isEmpty()) {
            AtomicFiles.writeString(genDir.resolve(TABLE), "NOTE: No results in `results/" + NAME + "/` yet: run `"
                    + COMMAND + "` and commit the folder.\n");
            return;
        }
        List<PointSlope> slopes = PhaseDiagramSweep.summarise(records);
        TreeSet<Point> grid = new TreeSet<>(java.util.Comparator.comparingDouble(Point::gamma)
                .thenComparingDouble(Point::gammaPrime));
        TreeSet<Integer> widths = new TreeSet<>();
        TreeSet<Long> seeds = new TreeSet<>();
        for (PhaseDiagramSweep.Record r : records) {
            grid.add(r.key().point());
            widths.add(r.key().width());
            seeds.add(r.key().seed());
        }
        String range = "m = " + widths.first() + " ... " + widths.last() + ", " + seeds.size() + " seeds";
        Charts.saveSvg(PhaseDiagramFigures.slopeChart("Fitted slope s = d log RD(w) / d log m (" + range + ")",
                "no slope (a width where a seed did not converge)", new ArrayList<>(grid), slopes),
                figuresDir.resolve(SLOPES));
        Charts.saveSvg(exponentChart(slopes, range), figuresDir.resolve(EXPONENTS));
        AtomicFiles.writeString(genDir.resolve(TABLE), table(records, slopes, grid, range,
                ResultsFolder.sittings(ResultsFolder.readInvocations(dir))));
    }

    static XYChart exponentChart(List<PointSlope> slopes, String range) {
        XYChart chart = Charts.xy("Fitted slope against the scaling argument's exponent (" + range + ")",
                "exponent of the scaling argument", "fitted slope s (error bar: larger of fit and seed SE)");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        TreeMap<String, List<double[]>> byRegime = new TreeMap<>();
        double lo = 0, hi = 0;
        for (PointSlope s : slopes) {
            double x = scalingSlope(s.point().gamma(), s.point().gammaPrime());
            if (Double.isNaN(x)) {
                continue;
            }
            String regime = new LuoCoordinates(s.point().gamma(), s.point().gammaPrime()).regime().toString()
                    .toLowerCase(Locale.ROOT);
            double err = s.fit().error();
            byRegime.computeIfAbsent(regime, k -> new ArrayList<>())
                    .add(new double[] {x, s.fit().slope(), Double.isNaN(err) ? 0 : err});
            lo = Math.min(lo, Math.min(x, s.fit().slope()));
            hi = Math.max(hi, Math.max(x, s.fit().slope()));
        }
        Color[] colours = {new Color(0xD62728), new Color(0x2CA02C), new Color(0x1F77B4)};
        int c = 0;
        for (var e : byRegime.entrySet()) {
            List<double[]> v = e.getValue();
            XYSeries s = chart.addSeries(e.getKey(), column(v, 0), column(v, 1), column(v, 2));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(colours[c++ % colours.length]);
        }
        XYSeries diagonal = chart.addSeries("s = exponent", new double[] {lo - 0.1, hi + 0.1},
                new double[] {lo - 0.1, hi + 0.1});
        Charts.dashed(diagonal).setLineColor(Color.BLACK);
        return chart;
    }

    static String table(List<PhaseDiagramSweep.Record> records, List<PointSlope> slopes, TreeSet<Point> grid,
                        String range, String sittings) {
        StringBuilder b = new StringBuilder();
        b.append(".Every grid point: the regime of the phase-diagram chapter, the scaling argument's exponent, the"
                + " fitted slope s with the larger of its fit and seed standard errors (" + range + "), and the local slope"
                + " between the two largest widths\n");
        b.append("[%header,cols=\"1,1,2,1,2,1,1\"]\n|===\n| gamma | gamma' | regime | exponent | fitted s | widths"
                + " | local s\n");
        for (Point p : grid) {
            PointSlope s = slopes.stream().filter(q -> q.point().equals(p)).findFirst().orElse(null);
            double x = scalingSlope(p.gamma(), p.gammaPrime());
            double local = localSlope(records, p);
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s%n", num(p.gamma()),
                    num(p.gammaPrime()), new LuoCoordinates(p.gamma(), p.gammaPrime()).regime().toString()
                            .toLowerCase(Locale.ROOT), Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f", x),
                    s == null ? "no slope" : String.format(Locale.ROOT, "%.3f +- %.3f", s.fit().slope(),
                            s.fit().error()), s == null ? "-" : s.widths().length,
                    Double.isNaN(local) ? "-" : String.format(Locale.ROOT, "%.3f", local)));
        }
        b.append("|===\n\n");
        b.append(".Condensation: the share of the output weight in the four largest orientation clusters of the final"
                + " neurons (seed mean) against the width, at the three representative points\n");
        TreeSet<Integer> widths = new TreeSet<>();
        records.forEach(r -> widths.add(r.key().width()));
        b.append("[%header]\n|===\n| point");
        widths.forEach(m -> b.append(" | m = ").append(m));
        b.append('\n');
        for (Point p : REPRESENTATIVE) {
            if (!grid.contains(p)) {
                continue;
            }
            b.append("| ").append(p).append(" (").append(new LuoCoordinates(p.gamma(), p.gammaPrime()).regime()
                    .toString().toLowerCase(Locale.ROOT)).append(')');
            for (int m : widths) {
                double sum = 0;
                int n = 0;
                for (PhaseDiagramSweep.Record r : records) {
                    if (r.key().point().equals(p) && r.key().width() == m && r.converged()) {
                        sum += r.top4Share();
                        n++;
                    }
                }
                b.append(n == 0 ? " | -" : String.format(Locale.ROOT, " | %.3f", sum / n));
            }
            b.append('\n');
        }
        b.append("|===\n\n");
        long notConverged = records.stream().filter(r -> !r.converged()).count();
        b.append(String.format(Locale.ROOT, "%d runs in `results/%s/`, %d of them not converged. Made by `%s`: %s.%n",
                records.size(), NAME, notConverged, COMMAND, sittings));
        return b.toString();
    }

    /**
     * The slope of the seed-mean log RD between the two largest widths at p where every seed converged, NaN with fewer
     * than two such widths: where it differs from the fitted slope, the fit over all widths carries a finite-width
     * bias that the largest widths shed.
     */
    static double localSlope(List<PhaseDiagramSweep.Record> records, Point p) {
        TreeMap<Integer, double[]> byWidth = new TreeMap<>();   // width -> {sum of log RD, runs, unconverged}
        for (PhaseDiagramSweep.Record r : records) {
            if (r.key().point().equals(p)) {
                double[] acc = byWidth.computeIfAbsent(r.key().width(), k -> new double[3]);
                acc[0] += Math.log(r.rdW());
                acc[1]++;
                acc[2] += r.converged() ? 0 : 1;
            }
        }
        byWidth.values().removeIf(acc -> acc[2] > 0);
        if (byWidth.size() < 2) {
            return Double.NaN;
        }
        var top = byWidth.lastEntry();
        var below = byWidth.lowerEntry(top.getKey());
        return (top.getValue()[0] / top.getValue()[1] - below.getValue()[0] / below.getValue()[1])
                / Math.log((double) top.getKey() / below.getKey());
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static double[] column(List<double[]> rows, int k) {
        return rows.stream().mapToDouble(r -> r[k]).toArray();
    }
}
