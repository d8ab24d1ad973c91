package twolayer.chapter.meanfield;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.measure.ParticleDiagnostics;
import twolayer.measure.Particles;
import twolayer.plot.Charts;

/**
 * The figures of the mean-field chapter, each from a real run:
 * <ul>
 *   <li>{@code mf-test-error.svg}: the teacher-student test error against t for m = 4, 8, 40, 400
 *       ({@link #figureConfig});</li>
 *   <li>{@code mf-particles-&lt;k&gt;.svg}: the m = 400 student's particles theta_j at three times, coloured by
 *       u_j, with the four teacher rays;</li>
 *   <li>{@code mf-u-histogram.svg}: the histogram of u_j at the end of the m = 400 run;</li>
 *   <li>{@code mf-rd-vs-width.svg}: RD_w against m under the meanField preset (claim MF-1's sweep).</li>
 * </ul>
 */
public final class MeanFieldFigures {
    private static final long SEED = 20261123L;
    private static final int[] WIDTHS = {4, 8, 40, 400};
    /** The observation indices of the particle snapshots: t = 0, t = 100 and the end (t = 1050). */
    static final int[] SNAPSHOTS = {0, 2, 40};

    private MeanFieldFigures() {
    }

    public static void writeAll(Path dir) throws IOException {
        TeacherStudent.Run[] runs = new TeacherStudent.Run[WIDTHS.length];
        IntStream.range(0, WIDTHS.length).parallel()
                .forEach(k -> runs[k] = TeacherStudent.run(figureConfig(WIDTHS[k])));
        testErrorFigure(dir, runs);
        TeacherStudent.Run wide = runs[WIDTHS.length - 1];
        for (int k = 0; k < SNAPSHOTS.length; k++) {
            particleFigure(dir.resolve("mf-particles-" + k + ".svg"), wide, SNAPSHOTS[k]);
        }
        histogramFigure(dir, wide);
        widthFigure(dir);
    }

    // tag::plot-teacher-student-schedule[]
    /**
     * The chapter's schedule shortened to fit the figure budget: 2000 steps at eta = 0.5 and 1000
     * at 0.05 (t = 1050), batches of 1000 (500 at m = 400, as in claim MF-3); claim MF-2 runs the
     * full schedule.
     */
    static TeacherStudent.Config figureConfig(int m) {
        return TeacherStudent.Config.study(m, SEED).scaled(2000, 1000, m >= 400 ? 500 : 1000);
    }
    // end::plot-teacher-student-schedule[]

    private static void testErrorFigure(Path dir, TeacherStudent.Run[] runs) throws IOException {
        XYChart chart = Charts.xy("Teacher-student test error, same mean-field rate for every width",
                "time t (eta = 0.5 up to t = 1000, then 0.05)", "test error mean (f - f*)^2");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        for (int k = 0; k < runs.length; k++) {
            String label = "m = " + WIDTHS[k] + (WIDTHS[k] >= 400 ? " (ridge 0.01 on u)" : "");
            XYSeries s = chart.addSeries(label, runs[k].times(), runs[k].testErrors());
            s.setMarker(SeriesMarkers.NONE);
        }
        Charts.saveSvg(chart, dir.resolve("mf-test-error.svg"));
    }

    /**
     * theta_j in the plane, in five colour bands of u_j, and the teacher rays t theta*_r, t >= 0.
     */
    private static void particleFigure(Path file, TeacherStudent.Run run, int index)
            throws IOException {
        Particles p = Particles.of(run.net(), run.thetas().get(index));
        String title = String.format("Particles theta_j of the m = 400 student at t = %.0f",
                run.times()[index]);
        XYChart chart = Charts.xy(title, "theta_1", "theta_2");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        double reach = 0;
        for (int j = 0; j < p.width(); j++) {
            reach = Math.max(reach, p.norm(j));
        }
        // tag::plot-particle-cloud[]
        double[] bands = {Double.NEGATIVE_INFINITY, 0.0, 0.5, 1.0, 1.5, Double.POSITIVE_INFINITY};
        String[] names = {"u < 0", "0 <= u < 0.5", "0.5 <= u < 1", "1 <= u < 1.5", "u >= 1.5"};
        Color[] colours = {new Color(0x4575b4), new Color(0x91bfdb), new Color(0xfdae61),
            new Color(0xf46d43), new Color(0xa50026)};
        for (int band = 0; band < names.length; band++) {
            int count = 0;
            for (int j = 0; j < p.width(); j++) {
                if (p.a(j) >= bands[band] && p.a(j) < bands[band + 1]) {
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            double[] xs = new double[count], ys = new double[count];
            int q = 0;
            for (int j = 0; j < p.width(); j++) {
                if (p.a(j) >= bands[band] && p.a(j) < bands[band + 1]) {
                    xs[q] = p.w(j, 0);
                    ys[q++] = p.w(j, 1);
                }
            }
            XYSeries s = chart.addSeries(names[band] + " (" + count + ")", xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(colours[band]);
        }
        // end::plot-particle-cloud[]
        double[] teacher = TeacherStudent.teacherDirections();
        for (int r = 0; r < teacher.length / 2; r++) {
            double norm = Math.hypot(teacher[2 * r], teacher[2 * r + 1]);
            double[] xs = {0, reach * teacher[2 * r] / norm};
            double[] ys = {0, reach * teacher[2 * r + 1] / norm};
            String name = r == 0 ? "teacher rays" : "teacher ray " + (r + 1);
            XYSeries ray = chart.addSeries(name, xs, ys);
            ray.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            ray.setMarker(SeriesMarkers.NONE);
            ray.setLineColor(Color.BLACK);
            ray.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[] {5f, 3f}, 0f));
            ray.setShowInLegend(r == 0);
        }
        Charts.saveSvg(chart, file);
    }

    private static void histogramFigure(Path dir, TeacherStudent.Run run) throws IOException {
        Particles p = Particles.of(run.net(), run.finalTheta());
        double lo = -1.0, hi = 3.0;
        int bins = 40;
        int[] counts = ParticleDiagnostics.histogramOfA(p, lo, hi, bins);
        double[] centres = new double[bins], fractions = new double[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = lo + (b + 0.5) * (hi - lo) / bins;
            fractions[b] = (double) counts[b] / p.width();
        }
        XYChart chart = Charts.xy(String.format("Output weights u_j at the end (m = 400): %d of 400 have u >= 1, "
                        + "N_eff = %.0f", ParticleDiagnostics.countAtLeast(p, 1.0),
                ParticleDiagnostics.participationNumber(p)), "u_j (bins of 0.1; the ends collect the tails)",
                "fraction of neurons");
        chart.getStyler().setLegendVisible(false);
        XYSeries s = chart.addSeries("u", centres, fractions);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE);
        Charts.saveSvg(chart, dir.resolve("mf-u-histogram.svg"));
    }

    private static void widthFigure(Path dir) throws IOException {
        MeanFieldWidthSweep.Result r = MeanFieldWidthSweep.run(MeanFieldWidthSweep.Config.claim(SEED));
        XYChart chart = Charts.xy(String.format("Mean field: RD_w at T = 2 does not shrink with m (slope %.3f +- %.3f)",
                r.slope(), r.slopeStandardError()), "width m", "RD_w = ||W(T) - W(0)|| / ||W(0)||");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        double[] m = IntStream.of(r.widths()).asDoubleStream().toArray();
        double[] means = r.geometricMeans();
        XYSeries s = chart.addSeries("geometric mean over 6 initialisations", m, means);
        s.setMarker(SeriesMarkers.DIAMOND);
        double[] ref = new double[m.length];
        for (int k = 0; k < m.length; k++) {
            ref[k] = means[0] * Math.sqrt(m[0] / m[k]);
        }
        XYSeries lazy = chart.addSeries("m^-1/2 (the ntk rate), for comparison", m, ref);
        lazy.setMarker(SeriesMarkers.NONE);
        lazy.setLineStyle(Charts.dashed(1.5f));
        Charts.saveSvg(chart, dir.resolve("mf-rd-vs-width.svg"));
    }


    /** The names of the files written. */
    public static List<String> files() {
        return List.of("mf-test-error.svg", "mf-particles-0.svg", "mf-particles-1.svg", "mf-particles-2.svg",
                "mf-u-histogram.svg", "mf-rd-vs-width.svg");
    }
}
