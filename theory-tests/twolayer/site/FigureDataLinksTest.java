package twolayer.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import org.asciidoctor.log.LogRecord;
import org.asciidoctor.log.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import twolayer.plot.Charts;

/**
 * The site's extension docs/ext/figure_data.rb, run by the Asciidoctor the build runs: every figure gets a line under
 * it linking its data and provenance, relative to the page; a figure without data fails the build.
 */
class FigureDataLinksTest {

    /** Read by the sidecar, and so shown under the figure. */
    private static final long SEED = 7L;

    @TempDir
    Path dir;

    @Test
    void everyFigureDrawnFromDataLinksItsCsvAndJsonUnderItsCaption() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("docs/ext/figure_data.rb"), "the site build requires the extension");
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Path site = Files.createDirectories(dir.resolve("site"));
        XYChart chart = Charts.chart("t", "x", "y");
        chart.addSeries("s", new double[] {1, 2}, new double[] {3, 4});
        Charts.saveSvg(chart, site.resolve("figures").resolve("fig-a.svg"));
        Files.writeString(site.resolve("figures").resolve("packages.svg"), "<svg/>");
        Files.writeString(docs.resolve("page.adoc"), String.join("\n",
                "= Page", "", ".The first figure", "image::fig-a.svg[A figure]", "",
                "Text after it.", "", ".Packages", "image::packages.svg[Packages,opts=nodata]", "",
                "image::https://example.org/x.svg[Remote]", ""));

        List<LogRecord> log = new ArrayList<>();
        String html = convert(docs.resolve("page.adoc"), site, log);

        assertTrue(log.isEmpty(), "no warning: " + log.stream().map(LogRecord::getMessage).toList());
        String line = "Data: <a href=\"figures/fig-a.csv\">fig-a.csv</a>, made by <code>" + getClass().getName()
                + "</code>, seed 7 (provenance and build command: <a href=\"figures/fig-a.json\">fig-a.json</a>)";
        int data = html.indexOf(line);
        assertTrue(data >= 0, "the data line is on the page:\n" + html);
        assertTrue(html.indexOf("The first figure") < data && data < html.indexOf("Text after it."),
                "right under the figure and its caption");
        assertEquals(1, html.split("Data: ", -1).length - 1, "only the figure drawn from data gets a line");
    }

    @Test
    void aFigureWithoutItsDataIsAWarningWhichFailsTheBuild() throws IOException {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Path site = Files.createDirectories(dir.resolve("site").resolve("figures")).getParent();
        Files.writeString(site.resolve("figures").resolve("fig-b.svg"), "<svg/>");
        Files.writeString(docs.resolve("page.adoc"), "= Page\n\nimage::fig-b.svg[B]\n");
        List<LogRecord> log = new ArrayList<>();
        String html = convert(docs.resolve("page.adoc"), site, log);
        assertFalse(html.contains("Data: "), html);
        assertEquals(1, log.size(), log.toString());
        assertEquals(Severity.WARN, log.get(0).getSeverity());
        assertTrue(log.get(0).getMessage().contains("fig-b.svg has no data file fig-b.csv"), log.get(0).getMessage());
    }

    /** Converts {@code adoc} into {@code site} as the build does (imagesdir figures), collecting the log. */
    private static String convert(Path adoc, Path site, List<LogRecord> log) throws IOException {
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            asciidoctor.registerLogHandler(log::add);
            asciidoctor.requireLibrary(Path.of("docs/ext/figure_data.rb").toAbsolutePath().toString());
            asciidoctor.convertFile(adoc.toFile(), Options.builder().safe(SafeMode.UNSAFE).toDir(site.toFile())
                    .attributes(Attributes.builder().imagesDir("figures").build()).build());
        }
        return Files.readString(site.resolve("page.html"));
    }
}
