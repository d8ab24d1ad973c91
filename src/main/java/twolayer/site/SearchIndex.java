package twolayer.site;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import twolayer.data.AtomicFiles;

/**
 * The site's offline search index: after Asciidoctor has written the pages, every {@code *.html} page of the site
 * becomes one entry (file, title, and its sections with their anchors, titles and plain text), written as the
 * script {@value #FILE}, which assigns the array to {@code window.TWOLAYER_SEARCH}. A script, not JSON fetched by
 * XHR: a page opened from disk ({@code file://}) may load a script beside it, but browsers block the request. The
 * search box that reads it is added to every page by {@code docs/ext/site_nav.rb}.
 *
 * <p>The text of a section is what a reader sees of its prose, tables and formulas (in their LaTeX source), up to
 * {@value #MAX_TEXT} characters: code listings, the table of contents, the navigation and the footer are left out.
 * Each section holds the text up to the next heading (h2 to h4), so a subsection's text is not repeated in its
 * parent's.
 *
 * <p>Run by the build at {@code package}, after the pages exist, as {@code SearchIndex <site dir>}.
 */
public final class SearchIndex {

    /** The index script, next to the pages. */
    public static final String FILE = "search-index.js";
    /** The most characters of plain text kept per section. */
    public static final int MAX_TEXT = 3000;

    /** One heading of a page and the text under it up to the next heading; the page's preamble has id "". */
    public record Section(String id, String title, String text) {}

    /** One page of the site. */
    public record Page(String file, String title, List<Section> sections) {}

    private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL);
    private static final Pattern HEADING = Pattern.compile("<h([234]) id=\"([^\"]+)\"[^>]*>(.*?)</h\\1>",
            Pattern.DOTALL);
    /** What a reader does not search: listings, scripts and styles (the content holds no table of contents). */
    private static final Pattern DROPPED = Pattern.compile(
            "<pre\\b.*?</pre>|<script\\b.*?</script>|<style\\b.*?</style>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);");

    private SearchIndex() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SearchIndex <site dir> (got " + args.length + " arguments)");
        }
        try {
            List<Page> pages = write(Path.of(args[0]));
            int sections = pages.stream().mapToInt(p -> p.sections().size()).sum();
            System.out.printf("twolayer site: search index of %d pages, %d sections -> %s%n", pages.size(), sections,
                    Path.of(args[0]).resolve(FILE));
        } catch (IOException e) {
            String message = "twolayer search index failed: " + e.getMessage();
            System.err.println(message);
            throw new IllegalStateException(message, e);
        }
    }

    /** Indexes every page of {@code siteDir} (in file-name order) and writes {@value #FILE} there, atomically. */
    public static List<Page> write(Path siteDir) throws IOException {
        if (!Files.isDirectory(siteDir)) {
            throw new IOException("the site directory " + siteDir + " does not exist (build the pages first)");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(siteDir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".html")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("the site directory " + siteDir + " has no .html pages to index");
        }
        List<Page> pages = new ArrayList<>();
        for (Path file : files) {
            pages.add(page(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8)));
        }
        AtomicFiles.writeString(siteDir.resolve(FILE), script(pages));
        return pages;
    }

    /** The index script of {@code pages}: one assignment of a JSON array, so that it loads from disk. */
    public static String script(List<Page> pages) throws JsonProcessingException {
        return "// twolayer's offline search index, written by the build (twolayer.site.SearchIndex)\n"
                + "window.TWOLAYER_SEARCH = " + new ObjectMapper().writeValueAsString(pages) + ";\n";
    }

    /** One page of Asciidoctor's html5 output: its title and the sections of its content. */
    public static Page page(String file, String html) {
        Matcher t = TITLE.matcher(html);
        String title = t.find() ? plain(t.group(1)) : file;
        int from = html.indexOf("<div id=\"content\">");
        // the content ends where the chapter navigation (site_nav.rb) or the footer begins
        int to = html.indexOf("<nav id=\"chapter-nav\"");
        to = to < 0 ? html.indexOf("<div id=\"footer\">") : to;
        String content = html.substring(from < 0 ? 0 : from, to < from || to < 0 ? html.length() : to);
        content = DROPPED.matcher(content).replaceAll(" ");
        List<Section> sections = new ArrayList<>();
        Matcher h = HEADING.matcher(content);
        String id = "", heading = title;
        int start = 0;
        while (h.find()) {
            add(sections, id, heading, content.substring(start, h.start()));
            id = h.group(2);
            heading = plain(h.group(3));
            start = h.end();
        }
        add(sections, id, heading, content.substring(start));
        return new Page(file, title, sections);
    }

    private static void add(List<Section> sections, String id, String title, String html) {
        String text = plain(html);
        if (text.length() > MAX_TEXT) {
            int cut = text.lastIndexOf(' ', MAX_TEXT);
            text = text.substring(0, cut > MAX_TEXT / 2 ? cut : MAX_TEXT) + " ...";
        }
        if (!id.isEmpty() || !text.isEmpty()) {
            sections.add(new Section(id, title, text));
        }
    }

    /** The text of an HTML fragment: tags removed, entities decoded, white space collapsed. */
    static String plain(String html) {
        String text = TAG.matcher(html).replaceAll(" ");
        Matcher e = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (e.find()) {
            e.appendReplacement(out, Matcher.quoteReplacement(entity(e.group(1), e.group())));
        }
        e.appendTail(out);
        return out.toString().replace('\u00a0', ' ').replaceAll("\\s+", " ").strip();
    }

    private static String entity(String name, String literal) {
        if (name.startsWith("#")) {
            boolean hex = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X');
            try {
                int code = Integer.parseInt(name.substring(hex ? 2 : 1), hex ? 16 : 10);
                return Character.isValidCodePoint(code) ? new String(Character.toChars(code)) : literal;
            } catch (NumberFormatException tooLong) {
                return literal;
            }
        }
        return switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> " ";
            default -> literal;
        };
    }
}
