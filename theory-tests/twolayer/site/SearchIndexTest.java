package twolayer.site;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline search index: what it takes from a page of Asciidoctor's html5 output, and the script it writes. */
class SearchIndexTest {

    /** A page as Asciidoctor writes it, with the chapter navigation and footer that site_nav.rb adds. */
    static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <title>Mean-field Langevin dynamics</title>
            <style>body { color: black }</style>
            </head>
            <body class="article toc2 toc-left">
            <div id="header">
            <h1>Mean-field Langevin dynamics</h1>
            <div id="toc" class="toc2"><ul class="sectlevel1"><li><a href="#gibbs">The Gibbs fixed point</a></li></ul></div>
            </div>
            <div id="content">
            <div id="preamble"><div class="sectionbody"><div class="paragraph">
            <p>Noise &amp; an entropy term: \\(F(\\mu) = F_0(\\mu) + \\lambda\\,\\mathrm{Ent}(\\mu)\\).</p>
            </div></div></div>
            <div class="sect1">
            <h2 id="gibbs"><a class="anchor" href="#gibbs"></a>The Gibbs fixed point</h2>
            <div class="sectionbody">
            <div class="paragraph"><p>The minimiser is its own Gibbs measure&#8217;s fixed point.</p></div>
            <div class="listingblock"><div class="content"><pre class="rouge highlight"><code>double secretCode = 1;</code></pre></div></div>
            <div class="sect2">
            <h3 id="certificate"><a class="anchor" href="#certificate"></a>A certificate &lt;gap&gt;</h3>
            <div class="paragraph"><p>The gap bounds F minus its minimum.</p></div>
            </div>
            </div>
            </div>
            </div>
            <nav id="chapter-nav"><a rel="prev" href="mean-field.html">Previous: The mean-field limit</a></nav>
            <div id="footer"><div id="footer-text">twolayer 1.0, commit abc</div></div>
            <script>MathJax.Hub.Config({});</script>
            </body>
            </html>
            """;

    @Test
    void aPageBecomesItsTitleAndOneEntryPerHeading() {
        SearchIndex.Page page = SearchIndex.page("mfld.html", PAGE);
        assertEquals("Mean-field Langevin dynamics", page.title());
        assertEquals(List.of("", "gibbs", "certificate"), page.sections().stream().map(SearchIndex.Section::id).toList());
        SearchIndex.Section preamble = page.sections().get(0);
        assertEquals("Mean-field Langevin dynamics", preamble.title(), "the preamble is listed under the page's title");
        assertEquals("Noise & an entropy term: \\(F(\\mu) = F_0(\\mu) + \\lambda\\,\\mathrm{Ent}(\\mu)\\).",
                preamble.text(), "entities decoded, formulas kept in their LaTeX source");
        SearchIndex.Section gibbs = page.sections().get(1);
        assertEquals("The Gibbs fixed point", gibbs.title());
        assertEquals("The minimiser is its own Gibbs measure\u2019s fixed point.", gibbs.text(),
                "listings are not indexed, and a subsection's text belongs to the subsection");
        SearchIndex.Section certificate = page.sections().get(2);
        assertEquals("A certificate <gap>", certificate.title());
        assertEquals("The gap bounds F minus its minimum.", certificate.text(),
                "the navigation, footer and scripts after the content are not indexed");
    }

    @Test
    void writesOneScriptThatAssignsTheIndexOfEveryPage(@TempDir Path site) throws IOException {
        Files.writeString(site.resolve("mfld.html"), PAGE);
        Files.writeString(site.resolve("index.html"), PAGE.replace("Mean-field Langevin dynamics", "twolayer"));
        Files.writeString(site.resolve("notes.txt"), "not a page");
        List<SearchIndex.Page> pages = SearchIndex.write(site);
        assertEquals(List.of("index.html", "mfld.html"), pages.stream().map(SearchIndex.Page::file).toList());
        String script = Files.readString(site.resolve(SearchIndex.FILE));
        String prefix = "window.TWOLAYER_SEARCH = ";
        int at = script.indexOf(prefix);
        assertTrue(at >= 0 && script.endsWith(";\n"), "a script that assigns the index: " + script);
        JsonNode index = new ObjectMapper().readTree(script.substring(at + prefix.length(), script.length() - 2));
        assertEquals(2, index.size());
        assertEquals("twolayer", index.get(0).get("title").asText());
        JsonNode gibbs = index.get(1).get("sections").get(1);
        assertEquals("gibbs", gibbs.get("id").asText());
        assertEquals("The Gibbs fixed point", gibbs.get("title").asText());
        assertTrue(gibbs.get("text").asText().startsWith("The minimiser"), gibbs.toString());
        try (var files = Files.list(site)) {
            assertEquals(4, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void longTextIsCutAtAWordAndMarked() {
        String words = "word ".repeat(2 * SearchIndex.MAX_TEXT / 5);
        SearchIndex.Page page = SearchIndex.page("long.html",
                "<title>Long</title><div id=\"content\"><h2 id=\"s\">S</h2><p>" + words + "</p></div>");
        String text = page.sections().get(0).text();
        assertTrue(text.length() <= SearchIndex.MAX_TEXT + 4 && text.endsWith("word ..."), text);
    }

    @Test
    void aSiteWithoutPagesIsRefusedNamingTheDirectory(@TempDir Path site) {
        IOException empty = assertThrows(IOException.class, () -> SearchIndex.write(site));
        assertTrue(empty.getMessage().contains(site.toString()) && empty.getMessage().contains(".html"),
                empty.getMessage());
        Path missing = site.resolve("missing");
        IOException absent = assertThrows(IOException.class, () -> SearchIndex.write(missing));
        assertTrue(absent.getMessage().contains(missing.toString()), absent.getMessage());
        assertFalse(Files.exists(site.resolve(SearchIndex.FILE)), "nothing half-written");
    }

    @Test
    void everyPageOfTheBuildGetsTheSearchBoxThatReadsTheIndex() throws IOException {
        // the box and its script come from docs/ext, required by the build's asciidoctor configuration
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("docs/ext/site_search.rb") && pom.contains("twolayer.site.SearchIndex"), "pom.xml");
        String extension = Files.readString(Path.of("docs/ext/site_search.rb"));
        assertTrue(extension.contains("<script src=\"" + SearchIndex.FILE + "\">"), "site_search.rb loads the index");
        String script = Files.readString(Path.of("docs/ext/search.js"));
        assertTrue(script.contains("window.TWOLAYER_SEARCH") && !script.contains("XMLHttpRequest")
                && !script.contains("fetch("), "search.js reads the index the script assigns, with no request");
    }
}
