package twolayer.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code at the size of the idea: no listing of the site is longer than {@value #MAX_LINES} lines, whether it is shown
 * or collapsed. A listing is a delimited listing or literal block ({@code ----} or {@code ....}) of a page in docs/;
 * its length is what the site renders: its own lines, with every {@code include::} inside it replaced by the lines
 * Asciidoctor takes from the file after tag filtering (every tag-marker line dropped, the lines of each selected
 * tag's regions kept, nested regions included), less leading and trailing blank lines. A longer piece is cut to the
 * core of its formula by narrower tag markers in the source. A collapsible block's title that states a line count
 * ("(... 23 lines)") must state the count of the listings inside it.
 */
class ListingLengthTest {

    static final int MAX_LINES = 40;

    private static final Path DOCS = Path.of("docs");
    private static final Pattern INCLUDE = Pattern.compile("^include::([^\\[]+)\\[(.*)]$");
    /** Asciidoctor's tag directive: tag::NAME[] or end::NAME[], followed by the end of the line or a space. */
    private static final Pattern TAG_DIRECTIVE = Pattern.compile("\\b(?:tag|(e)nd)::(\\S+?)\\[](?=$|[ \\r])");
    private static final Pattern DELIMITER = Pattern.compile("-{4,}|\\.{4,}");
    private static final Pattern STATED = Pattern.compile("\\b(\\d+) lines\\)");

    /** One rendered listing: the page, its first line, what it includes, how many lines it shows. */
    record Listing(String page, int line, String includes, int lines) {}

    @Test
    void noListingOfTheSiteIsLongerThanTheLimit() throws IOException {
        List<Listing> listings = new ArrayList<>();
        for (Path page : pages()) {
            listings.addAll(listings(page, Files.readAllLines(page)));
        }
        assertTrue(listings.stream().filter(l -> !l.includes().isEmpty()).count() > 100,
                "the chapters include their listings from the sources (the test runs from the project directory)");
        List<String> tooLong = new ArrayList<>();
        for (Listing l : listings) {
            if (l.lines() > MAX_LINES) {
                tooLong.add(l.page() + ":" + l.line() + (l.includes().isEmpty() ? "" : " (" + l.includes() + ")")
                        + " shows " + l.lines() + " lines");
            }
        }
        assertTrue(tooLong.isEmpty(), "listings longer than " + MAX_LINES + " lines (move the tag markers to the"
                + " core of the formula):\n" + String.join("\n", tooLong));
    }

    @Test
    void aCollapsibleTitleStatesTheLinesItHides() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 1; i + 1 < lines.size(); i++) {
                Matcher stated = STATED.matcher(lines.get(i - 1));
                if (!lines.get(i).equals("[%collapsible]") || !lines.get(i - 1).startsWith(".") || !stated.find()) {
                    continue;
                }
                int close = lines.subList(i + 2, lines.size()).indexOf("====");
                if (close < 0) {
                    wrong.add(page.getFileName() + ":" + i + " opens a collapsible block that is never closed");
                    continue;
                }
                int end = close + i + 2;
                int shown = listings(page, lines.subList(i + 2, end)).stream().mapToInt(Listing::lines).sum();
                if (shown != Integer.parseInt(stated.group(1))) {
                    wrong.add(page.getFileName() + ":" + i + " says " + stated.group(1) + " lines, shows " + shown);
                }
            }
        }
        assertTrue(wrong.isEmpty(), "collapsible titles with a wrong line count:\n" + String.join("\n", wrong));
    }

    /** The filter itself, on Asciidoctor's rules. */
    @Test
    void filtersTheLinesOfATagAsAsciidoctorDoes() {
        List<String> source = List.of("a", "// tag::outer[]", "b", "  // tag::inner[]", "c", "  // end::inner[]",
                "d", "// end::outer[]", "e", "// tag::outer[]", "f", "// end::outer[]",
                "g // tag::not-a-marker[] x");
        // nested regions are kept, every marker line is dropped, a tag's second region is kept too
        assertEquals(List.of("b", "c", "d", "f"), tagged(source, List.of("outer"), "X.java"));
        assertEquals(List.of("c"), tagged(source, List.of("inner"), "X.java"));
        // a;b is the union, in file order; a negated tag alone keeps everything else
        assertEquals(List.of("b", "c", "d", "f"), tagged(source, List.of("inner", "outer"), "X.java"));
        assertEquals(List.of("a", "b", "d", "e", "f", "g // tag::not-a-marker[] x"),
                tagged(source, List.of("!inner"), "X.java"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> tagged(source, List.of("missing"), "X.java"));
        assertTrue(e.getMessage().contains("X.java") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void countsTheRenderedLinesOfABlockWithItsIncludes() throws IOException {
        Path dir = Files.createTempDirectory("listing");
        Path source = dir.resolve("A.java");
        Files.write(source, List.of("x", "// tag::t[]", "", "y1", "y2", "", "// end::t[]"));
        List<String> page = List.of("= Page", "", "[source,java]", "----", "include::" + source + "[tag=t]", "----",
                "", "....", "lit", "....", "////", "----", "////");
        List<Listing> found = listings(dir.resolve("page.adoc"), page);
        assertEquals(2, found.size(), found.toString());
        assertEquals(2, found.get(0).lines(), "blank lines at the ends of a listing are not rendered");
        assertEquals(1, found.get(1).lines());
        Files.delete(source);
        Files.delete(dir);
    }

    static List<Path> pages() throws IOException {
        try (Stream<Path> walk = Files.list(DOCS)) {
            return walk.filter(p -> p.toString().endsWith(".adoc")).sorted().toList();
        }
    }

    /** Every listing or literal block of {@code lines} (a page or part of one), its includes expanded. */
    static List<Listing> listings(Path page, List<String> lines) throws IOException {
        List<Listing> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("////") && line.chars().allMatch(c -> c == '/')) {
                int close = lines.subList(i + 1, lines.size()).indexOf(line);
                i = close < 0 ? lines.size() : i + 1 + close;    // a comment block renders nothing
                continue;
            }
            if (!DELIMITER.matcher(line).matches()) {
                continue;
            }
            int start = i;
            List<String> body = new ArrayList<>();
            List<String> includes = new ArrayList<>();
            for (i++; i < lines.size() && !lines.get(i).equals(line); i++) {
                Matcher m = INCLUDE.matcher(lines.get(i));
                if (m.matches()) {
                    includes.add(m.group(1) + "[" + m.group(2) + "]");
                    body.addAll(included(page, m.group(1), m.group(2)));
                } else {
                    body.add(lines.get(i));
                }
            }
            int from = 0, to = body.size();
            while (from < to && body.get(from).isBlank()) {
                from++;
            }
            while (to > from && body.get(to - 1).isBlank()) {
                to--;
            }
            out.add(new Listing(page.getFileName().toString(), start + 1, String.join(" ", includes), to - from));
        }
        return out;
    }

    /** The lines an include directive of a listing brings in, with the build's directory attributes. */
    static List<String> included(Path page, String target, String attributes) throws IOException {
        Path file = Path.of(target.replace("{sourcedir}", "src/main/java").replace("{testdir}", "theory-tests"));
        if (!target.startsWith("{")) {
            file = page.resolveSibling(target).normalize();
        } else if (target.startsWith("{gendir}")) {
            throw new IllegalStateException(page + ": a listing includes " + target + ", generated by the build;"
                    + " this check cannot count it");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(page + " includes " + file + ", which does not exist");
        }
        List<String> source = Files.readAllLines(file);
        Map<String, String> attrs = new LinkedHashMap<>();
        for (String a : attributes.split(",")) {
            int eq = a.indexOf('=');
            if (eq > 0) {
                attrs.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
            }
        }
        if (attrs.containsKey("lines")) {
            throw new IllegalStateException(page + ": include of " + target + " selects lines=, which this check"
                    + " does not count; use tags");
        }
        String tags = attrs.getOrDefault("tags", attrs.get("tag"));
        return tags == null ? source : tagged(source, List.of(tags.split("[;,]")), file.toString());
    }

    /**
     * The lines of {@code source} that Asciidoctor includes for the tag selection {@code tags} (names, or
     * {@code !name} to leave a tag out): a line that is a tag directive of any tag is dropped; a selected tag's
     * regions are kept, with the regions of tags nested in them; with only left-out tags, the rest is kept.
     */
    static List<String> tagged(List<String> source, List<String> tags, String name) {
        Map<String, Boolean> selection = new LinkedHashMap<>();
        for (String t : tags) {
            String tag = t.strip();
            if (tag.contains("*")) {
                throw new IllegalStateException(name + ": tag wildcard " + tag + " is not counted by this check");
            }
            selection.put(tag.startsWith("!") ? tag.substring(1) : tag, !tag.startsWith("!"));
        }
        boolean base = !selection.containsValue(true);
        boolean select = base;
        List<String> stack = new ArrayList<>();
        List<Boolean> stackSelect = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (String line : source) {
            Matcher m = TAG_DIRECTIVE.matcher(line);
            boolean directive = line.endsWith("]") && !line.startsWith("[") && m.find();
            if (!directive) {
                if (select) {
                    out.add(line);
                }
                continue;
            }
            String tag = m.group(2);
            if (!selection.containsKey(tag)) {
                continue;
            }
            seen.add(tag);
            if (m.group(1) == null) {
                stack.add(tag);
                stackSelect.add(selection.get(tag));
                select = selection.get(tag);
            } else {
                int at = stack.lastIndexOf(tag);
                if (at < 0) {
                    throw new IllegalStateException(name + ": end of tag " + tag + " without its start");
                }
                stack.remove(at);
                stackSelect.remove(at);
                select = stack.isEmpty() ? base : stackSelect.get(stackSelect.size() - 1);
            }
        }
        for (String tag : selection.keySet()) {
            if (!seen.contains(tag)) {
                throw new IllegalStateException(name + " has no tag " + tag);
            }
        }
        if (!stack.isEmpty()) {
            throw new IllegalStateException(name + ": tag " + stack.get(0) + " is not closed");
        }
        return out;
    }
}
