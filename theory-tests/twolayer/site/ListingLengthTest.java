package twolayer.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code at the size of the idea: no listing that a chapter includes from the sources is longer than
 * {@value #MAX_LINES} lines. A listing is an {@code include::{sourcedir}/...[tag=X]} or {@code {testdir}} include;
 * its length is the number of lines between {@code tag::X[]} and {@code end::X[]} that Asciidoctor shows (the lines
 * of nested tag markers are left out, as Asciidoctor leaves them out). A longer piece is either cut to the core of
 * its formula by moving the tag markers, or shown only on demand, in a collapsible example block
 * ({@code [%collapsible]} over {@code ====}), where the reader opens it on purpose.
 */
class ListingLengthTest {

    static final int MAX_LINES = 40;

    private static final Path DOCS = Path.of("docs");
    private static final Pattern INCLUDE = Pattern.compile(
            "^include::\\{(sourcedir|testdir)\\}/([^\\[]+)\\[(?:[^\\]]*,)?tags?=([^,\\]]+)[^\\]]*\\]", Pattern.MULTILINE);
    private static final Pattern MARKER = Pattern.compile("(tag|end)::([\\w.-]+)\\[\\]");

    /** One included listing: where it is included, what it names, and how many lines it shows. */
    record Listing(String chapter, String file, String tag, int lines, boolean collapsed) {}

    @Test
    void noChapterListingIsLongerThanTheLimit() throws IOException {
        List<Listing> listings = listings();
        assertFalse(listings.isEmpty(), "the chapters include listings (the test runs from the project directory)");
        List<String> tooLong = new ArrayList<>();
        for (Listing l : listings) {
            if (l.lines() > MAX_LINES && !l.collapsed()) {
                tooLong.add(l.chapter() + ": tag " + l.tag() + " of " + l.file() + " shows " + l.lines() + " lines");
            }
        }
        assertTrue(tooLong.isEmpty(), "listings longer than " + MAX_LINES + " lines (move the tag markers to the"
                + " core of the formula, or collapse the listing):\n" + String.join("\n", tooLong));
    }

    /** The counter itself: nested markers do not count, an unknown tag is an error naming file and tag. */
    @Test
    void countsTheLinesBetweenTheMarkersOfOneTag() {
        List<String> source = List.of("a", "// tag::outer[]", "b", "  // tag::inner[]", "c", "  // end::inner[]",
                "d", "// end::outer[]", "e");
        assertEquals(3, taggedLines(source, "outer", "X.java"));
        assertEquals(1, taggedLines(source, "inner", "X.java"));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> taggedLines(source, "missing", "X.java"));
        assertTrue(e.getMessage().contains("X.java") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aListingInsideACollapsibleBlockIsCollapsedAndOneAfterItIsNot() {
        String page = "text\n.Show the code\n[%collapsible]\n====\nINSIDE\n====\n\nAFTER\n====\nEXAMPLE\n====\n";
        assertTrue(insideCollapsible(page, page.indexOf("INSIDE")));
        assertFalse(insideCollapsible(page, page.indexOf("AFTER")));
        assertFalse(insideCollapsible(page, page.indexOf("EXAMPLE")), "a plain example block is not collapsible");
    }

    /** Every tagged source include of every page in docs/, in file order. */
    static List<Listing> listings() throws IOException {
        List<Path> pages;
        try (Stream<Path> walk = Files.list(DOCS)) {
            pages = walk.filter(p -> p.toString().endsWith(".adoc")).sorted().toList();
        }
        List<Listing> out = new ArrayList<>();
        for (Path page : pages) {
            String text = Files.readString(page);
            Matcher m = INCLUDE.matcher(text);
            while (m.find()) {
                Path root = Path.of(m.group(1).equals("sourcedir") ? "src/main/java" : "theory-tests");
                Path file = root.resolve(m.group(2));
                if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException(page + " includes " + file + ", which does not exist");
                }
                List<String> source = Files.readAllLines(file);
                // tags=a;b shows the union of the tags; count each (the sum is what the reader sees)
                int lines = 0;
                for (String tag : m.group(3).split(";")) {
                    lines += taggedLines(source, tag.strip(), file.toString());
                }
                out.add(new Listing(page.getFileName().toString(), m.group(2), m.group(3), lines,
                        insideCollapsible(text, m.start())));
            }
        }
        return out;
    }

    /**
     * Whether offset {@code at} of an AsciiDoc page lies inside a collapsible example block: after a
     * {@code [%collapsible]} line whose {@code ====} delimiter has not been closed yet.
     */
    static boolean insideCollapsible(String page, int at) {
        boolean open = false;
        boolean armed = false;
        for (String line : page.substring(0, at).split("\n", -1)) {
            if (line.equals("[%collapsible]")) {
                armed = true;
            } else if (line.equals("====")) {
                // ==== after [%collapsible] opens the block, the next ==== closes it; a plain example block's
                // delimiters (the same ==== cannot nest) leave the state as it was
                if (armed) {
                    open = true;
                } else if (open) {
                    open = false;
                }
                armed = false;
            } else if (!line.startsWith(".") && !line.isEmpty()) {
                armed = false;
            }
        }
        return open;
    }

    /** The lines between {@code tag::tag[]} and {@code end::tag[]} of {@code source}, less marker lines. */
    static int taggedLines(List<String> source, String tag, String name) {
        int count = 0;
        boolean inside = false;
        boolean found = false;
        for (String line : source) {
            Matcher m = MARKER.matcher(line);
            if (m.find()) {
                if (m.group(2).equals(tag)) {
                    inside = m.group(1).equals("tag");
                    found = true;
                }
                continue;
            }
            if (inside) {
                count++;
            }
        }
        if (!found) {
            throw new IllegalStateException(name + " has no tag " + tag);
        }
        return count;
    }
}
