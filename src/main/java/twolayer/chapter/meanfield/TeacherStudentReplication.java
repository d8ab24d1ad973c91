package twolayer.chapter.meanfield;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import twolayer.data.AtomicFiles;
import twolayer.plot.Charts;
import twolayer.run.ResultsFolder;

/**
 * The study's mean-field teacher-student at its own settings (widths 4, 8, 40; batches of 10^4; 10^4 SGD steps at
 * torch lr 10, eta = 20/m here; label noise 0.1), from {@code results/teacher-student-study}: the test error of every
 * width against the iteration, next to the study's table (replications chapter, section "Teacher-student").
 * <ul>
 *   <li>{@code replication-teacher-student.svg}: seed-mean test error against the iteration, log-log, with the
 *       study's four values per width as open markers;</li>
 *   <li>{@code replication-teacher-student.adoc} (generated docs): the table study vs twolayer at iterations 1000,
 *       5000 and 10000 (seed mean, min and max), and the provenance.</li>
 * </ul>
 */
public final class TeacherStudentReplication {

    /** The folder under results/. */
    public static final String NAME = "teacher-student-study";
    static final String FIGURE = "replication-teacher-student.svg";
    static final String TABLE = "replication-teacher-student.adoc";
    /** The command that makes the results (results/replicate.sh runs it). */
    static final String COMMAND = "results/replicate.sh " + NAME;

    /** The study's iterations and its test errors there for m = 4, 8, 40 (its notebook's printed table). */
    static final int[] STUDY_ITERATIONS = {0, 1000, 5000, 10000};
    static final int[] STUDY_WIDTHS = {4, 8, 40};
    static final double[][] STUDY_ERRORS = {
        {7.2e-1, 9.0e-3, 5.9e-3, 5.6e-3},
        {6.1e-1, 2.5e-4, 5.1e-5, 7.6e-5},
        {5.2e-1, 8.2e-5, 2.2e-5, 9.8e-6}};
    private static final Color[] COLOURS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C)};

    private TeacherStudentReplication() {}

    /** The test errors of one width: {@code errors[seed][observation]} at the iterations {@code iterations}. */
    record Width(int m, int[] iterations, List<double[]> errors) {

        /** Seed mean, min and max at observation index i. */
        double[] stats(int i) {
            double sum = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double[] e : errors) {
                sum += e[i];
                min = Math.min(min, e[i]);
                max = Math.max(max, e[i]);
            }
            return new double[] {sum / errors.size(), min, max};
        }

        int indexOf(int iteration) {
            for (int i = 0; i < iterations.length; i++) {
                if (iterations[i] == iteration) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * Writes the figure and the table from {@code results/teacher-student-study}, or a table partial that says
     * the replication has not been run (and no figure) when the folder is missing.
     *
     * @throws IOException if the results are malformed (the message names the file)
     */
    public static void writeAll(Path resultsRoot, Path figuresDir, Path genDir) throws IOException {
        ResultsFolder r = ResultsFolder.read(resultsRoot.resolve(NAME));
        if (r == null || r.units().isEmpty()) {
            AtomicFiles.writeString(genDir.resolve(TABLE), "NOTE: No results in `results/" + NAME + "/` yet: run `"
                    + COMMAND + "` and commit the folder.\n");
            return;
        }
        List<Width> widths = widths(r);
        figure(widths, figuresDir.resolve(FIGURE));
        AtomicFiles.writeString(genDir.resolve(TABLE), table(r, widths));
    }

    /** Groups the units by width; observation i of phase 1 is iteration i * steps / observations. */
    static List<Width> widths(ResultsFolder r) throws IOException {
        int steps = positive(r, "--steps", r.settings().get("--steps"));
        int observations = positive(r, "--observations", r.settings().get("--observations"));
        if (!"0".equals(r.settings().get("--decayed-steps"))) {
            throw new IOException(r.dir() + ": the replication runs one phase (--decayed-steps 0), found "
                    + r.settings().get("--decayed-steps"));
        }
        TreeMap<Integer, List<double[]>> byWidth = new TreeMap<>();
        for (ResultsFolder.Unit u : r.units()) {
            double[] e = u.numbers("test_errors");
            if (e.length != observations + 1) {
                throw new IOException(r.dir() + ": unit " + u.key() + " has " + e.length + " test errors, expected "
                        + (observations + 1));
            }
            byWidth.computeIfAbsent(positive(r, "key m", u.key().get("m")), k -> new ArrayList<>()).add(e);
        }
        int[] iterations = new int[observations + 1];
        for (int i = 0; i <= observations; i++) {
            iterations[i] = (int) ((long) i * steps / observations);
        }
        List<Width> out = new ArrayList<>();
        byWidth.forEach((m, e) -> out.add(new Width(m, iterations, e)));
        return out;
    }

    /** A positive integer setting or key field, or an IOException naming the folder and the field. */
    private static int positive(ResultsFolder r, String field, String text) throws IOException {
        try {
            int v = Integer.parseInt(text);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(r.dir() + ": " + field + " must be an integer >= 1, found " + text);
    }

    static void figure(List<Width> widths, Path file) throws IOException {
        XYChart chart = Charts.chart("Teacher-student at the study's settings: test error", "SGD iteration",
                "test error (MSE against f*)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        for (int w = 0; w < widths.size(); w++) {
            Width width = widths.get(w);
            Color colour = COLOURS[w % COLOURS.length];
            // iteration 0 has no place on a log axis: the curve starts at the first observation
            int n = width.iterations().length - 1;
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = width.iterations()[i + 1];
                y[i] = width.stats(i + 1)[0];
            }
            XYSeries s = chart.addSeries("m = " + width.m() + " (" + width.errors().size() + " seeds)", x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colour);
            int row = studyRow(width.m());
            if (row >= 0) {
                double[] sx = {1000, 5000, 10000}, sy = {STUDY_ERRORS[row][1], STUDY_ERRORS[row][2],
                        STUDY_ERRORS[row][3]};
                XYSeries study = chart.addSeries("study, m = " + width.m(), sx, sy);
                study.setMarker(SeriesMarkers.CIRCLE);
                study.setMarkerColor(colour);
                study.setLineStyle(Charts.dashed(1f));
                study.setLineColor(colour);
            }
        }
        Charts.saveSvg(chart, file);
    }

    static String table(ResultsFolder r, List<Width> widths) {
        StringBuilder b = new StringBuilder();
        b.append(".Test error (MSE against the clean teacher) at the study's iterations: the study's one run and"
                + " twolayer's seed mean [min, max]\n");
        b.append("[%header,cols=\"1,1,2,2\"]\n|===\n| m | iteration | study | twolayer\n");
        for (Width w : widths) {
            int row = studyRow(w.m());
            for (int k = 1; k < STUDY_ITERATIONS.length; k++) {
                int i = w.indexOf(STUDY_ITERATIONS[k]);
                if (i < 0) {
                    continue;
                }
                double[] s = w.stats(i);
                b.append(String.format(Locale.ROOT, "| %d | %d | %s | %.2e [%.2e, %.2e]%n", w.m(), STUDY_ITERATIONS[k],
                        row < 0 ? "-" : String.format(Locale.ROOT, "%.1e", STUDY_ERRORS[row][k]), s[0], s[1], s[2]));
            }
        }
        b.append("|===\n\n");
        b.append("Settings: ").append(r.settings()).append(". Made by `").append(COMMAND).append("`: ")
                .append(r.provenanceLine()).append(".\n");
        return b.toString();
    }

    private static int studyRow(int m) {
        for (int i = 0; i < STUDY_WIDTHS.length; i++) {
            if (STUDY_WIDTHS[i] == m) {
                return i;
            }
        }
        return -1;
    }
}
