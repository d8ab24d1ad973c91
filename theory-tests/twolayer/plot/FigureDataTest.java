package twolayer.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.PieChart;
import org.knowm.xchart.PieChartBuilder;
import org.knowm.xchart.XYChart;

/** Every figure the site saves has its data (every point of every series, with error bars) and provenance beside it. */
class FigureDataTest {

    /** Read by reflection into the sidecar, as a chapter's figure class's seed is. */
    private static final long SEED = 20261123L;

    @TempDir
    Path dir;

    @Test
    void saveSvgWritesEveryPointOfEverySeriesInFullPrecisionWithErrorBarsAndTheSidecar() throws IOException {
        XYChart chart = Charts.chart("t", "x", "y");
        double third = 1.0 / 3.0, tiny = 4.9e-324, sum = 0.1 + 0.2;
        chart.addSeries("loss, width \"m\" = 10", new double[] {1, 2, 3}, new double[] {third, tiny, sum});
        chart.addSeries("mean", new double[] {0.5, 1e6}, new double[] {-2.5, Math.PI}, new double[] {0.125, 1e-17});
        Charts.dashed(chart.addSeries("limit", new double[] {7}, new double[] {Double.NaN}));
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY); // a decimal comma would break the CSV; the data must not depend on it
        try {
            Charts.saveSvg(chart, dir.resolve("fig-a.svg"));
        } finally {
            Locale.setDefault(before);
        }
        assertTrue(Files.size(dir.resolve("fig-a.svg")) > 0);
        List<String> csv = Files.readAllLines(dir.resolve("fig-a.csv"));
        assertEquals(List.of(
                "series,x,y,error",
                "\"loss, width \"\"m\"\" = 10\",1.0,0.3333333333333333,",
                "\"loss, width \"\"m\"\" = 10\",2.0,4.9E-324,",
                "\"loss, width \"\"m\"\" = 10\",3.0,0.30000000000000004,",
                "mean,0.5,-2.5,0.125",
                "mean,1000000.0,3.141592653589793,1.0E-17",
                "limit,7.0,NaN,"), csv);
        // full precision: the text reads back to the very doubles that were plotted
        assertEquals(third, Double.parseDouble(csv.get(1).split(",")[3]));
        assertEquals(sum, Double.parseDouble(csv.get(3).split(",")[3]));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("fig-a.json").toFile());
        assertEquals("fig-a.svg", json.get("figure").asText());
        assertEquals("fig-a.csv", json.get("data").asText());
        assertEquals(FigureDataTest.class.getName(), json.get("made_by").asText());
        assertEquals(SEED, json.get("seed").asLong());
        assertEquals("mvn -B package", json.get("command").asText());
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "the SVG, its CSV and its JSON, and no temporary file left behind");
        }
    }

    /** A caller without a SEED constant, inside a lambda of a nested class: named by its outermost class. */
    static final class NoSeed {
        static void save(Path file) throws IOException {
            XYChart c = Charts.chart("t", "x", "y");
            c.addSeries("s", new double[] {1}, new double[] {2});
            Runnable r = () -> {
                try {
                    Charts.saveSvg(c, file);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            };
            r.run();
        }
    }

    @Test
    void theMakerIsTheOutermostCallingClassAndItsSeedIsReadWhereItHasOne() throws IOException {
        NoSeed.save(dir.resolve("fig-b.svg"));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("fig-b.json").toFile());
        assertEquals(FigureDataTest.class.getName(), json.get("made_by").asText());
        assertEquals(SEED, json.get("seed").asLong(), "the nest host's SEED");
        assertTrue(FigureData.seedOf(String.class).isEmpty(), "a class without SEED has no seed");
        assertTrue(FigureData.provenance("x.svg", String.class).contains("\"seed\" : null"));
    }

    @Test
    void aCategoryChartWritesItsCategoriesAndErrorBars() throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(400).height(300).build();
        chart.addSeries("time", List.of("Java, 1", "NumPy"), List.of(1.5, 2.25), List.of(0.25, 0.5));
        assertEquals("series,x,y,error\ntime,\"Java, 1\",1.5,0.25\ntime,NumPy,2.25,0.5\n", FigureData.csv(chart));
    }

    @Test
    void aChartTypeWithoutCsvIsRefusedAndNothingIsWritten() {
        PieChart pie = new PieChartBuilder().build();
        pie.addSeries("a", 1);
        IOException e = assertThrows(IOException.class, () -> Charts.saveSvg(pie, dir.resolve("pie.svg")));
        assertTrue(e.getMessage().contains("PieChart"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("pie.svg")));
        assertFalse(Files.exists(dir.resolve("pie.csv")));
    }
}
