package twolayer.site;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the ledger pages need to know about the chapters in {@code docs/}: which claim anchors each chapter defines,
 * the anchor of its claims section, whether it states claims at all, and the bibliography's entries, so that a
 * claim's id links back to where the chapter states it and its source to the works it names.
 *
 * @param claimAnchors    every {@code [[claim-...]]} anchor of the chapters, by chapter slug (partials count for the
 *                        chapter that includes them)
 * @param claimsSections  the id of the section that includes a chapter's ledger partial, by chapter slug
 * @param bibliography    the bibliography's entries, in file order
 */
public record DocsIndex(Map<String, Set<String>> claimAnchors, Map<String, String> claimsSections,
                        List<Work> bibliography) {

    /**
     * One bibliography entry: its anchor (surname of the first author, year, and an optional letter, like
     * {@code chizat2019}), the first author's surname as the anchor spells it, and the year.
     */
    public record Work(String anchor, String surname, String year) {}

    /** No knowledge of the chapters: ids link to the full ledger only, sources are plain text. */
    public static final DocsIndex NONE = new DocsIndex(Map.of(), Map.of(), List.of());

    private static final Pattern ANCHOR = Pattern.compile("^\\[\\[(claim-[a-z0-9_-]+)\\]\\]", Pattern.MULTILINE);
    private static final Pattern PARTIAL = Pattern.compile("^include::(_[a-z0-9-]+\\.adoc)\\[\\]", Pattern.MULTILINE);
    private static final Pattern WORK = Pattern.compile("^\\[\\[([a-z]+)(\\d{4})([a-z]?)\\]\\]", Pattern.MULTILINE);
    private static final Pattern SECTION = Pattern.compile("^(=+) (.+)$");
    private static final Pattern EXPLICIT_ID = Pattern.compile("^\\[(?:#([\\w-]+)|\\[([\\w-]+)\\])\\]$");

    /**
     * Reads {@code docsDir}: the chapter pages {@code <slug>.adoc} of {@code chapters}, the partials they include, and
     * {@code bibliography.adoc}. A missing page is skipped (its claims then link to the full ledger).
     *
     * @throws IOException if a page exists but cannot be read
     */
    public static DocsIndex read(Path docsDir, List<String> chapters) throws IOException {
        Map<String, Set<String>> anchors = new LinkedHashMap<>();
        Map<String, String> sections = new HashMap<>();
        for (String chapter : chapters) {
            Path page = docsDir.resolve(chapter + ".adoc");
            if (!Files.isRegularFile(page)) {
                continue;
            }
            String text = Files.readString(page);
            StringBuilder all = new StringBuilder(text);
            for (Matcher p = PARTIAL.matcher(text); p.find(); ) {
                Path partial = docsDir.resolve(p.group(1));
                if (Files.isRegularFile(partial)) {
                    all.append('\n').append(Files.readString(partial));
                }
            }
            Set<String> found = new HashSet<>();
            for (Matcher a = ANCHOR.matcher(all); a.find(); ) {
                found.add(a.group(1));
            }
            anchors.put(chapter, found);
            String section = claimsSection(text, chapter);
            if (section != null) {
                sections.put(chapter, section);
            }
        }
        List<Work> works = new ArrayList<>();
        Path bib = docsDir.resolve("bibliography.adoc");
        if (Files.isRegularFile(bib)) {
            for (Matcher w = WORK.matcher(Files.readString(bib)); w.find(); ) {
                works.add(new Work(w.group(1) + w.group(2) + w.group(3), w.group(1), w.group(2)));
            }
        }
        return new DocsIndex(anchors, sections, works);
    }

    /** Whether the chapter's text states claims (has a claim anchor); null if the chapter page was not read. */
    public Boolean statesClaims(String chapter) {
        Set<String> a = claimAnchors.get(chapter);
        return a == null ? null : !a.isEmpty();
    }

    /**
     * Where a claim's id links: the claim's own anchor in its chapter if the chapter defines it, else the chapter's
     * claims section, else null (the caller links to the full ledger).
     */
    public String claimTarget(String chapter, String anchor) {
        Set<String> a = claimAnchors.get(chapter);
        if (a != null && a.contains(anchor)) {
            return chapter + ".adoc#" + anchor;
        }
        String section = claimsSections.get(chapter);
        return section == null ? null : chapter + ".adoc#" + section;
    }

    /**
     * The id of the section of {@code page} that includes the chapter's ledger partial: its explicit id
     * ({@code [#id]} or {@code [[id]]} on the line above the title), or the id Asciidoctor derives from the title with
     * this site's settings (no prefix, words joined by '-').
     */
    static String claimsSection(String page, String chapter) {
        String[] lines = page.split("\n", -1);
        String include = "include::{gendir}/ledger-" + chapter + ".adoc[]";
        String id = null;
        for (int k = 0; k < lines.length; k++) {
            Matcher s = SECTION.matcher(lines[k]);
            if (s.matches() && s.group(1).length() > 1) {
                Matcher e = k > 0 ? EXPLICIT_ID.matcher(lines[k - 1]) : null;
                id = e != null && e.matches() ? (e.group(1) != null ? e.group(1) : e.group(2)) : autoId(s.group(2));
            }
            if (lines[k].strip().equals(include)) {
                return id;
            }
        }
        return null;
    }

    /** Asciidoctor's section id with idprefix empty and idseparator '-': lower case, other characters to '-'. */
    static String autoId(String title) {
        String id = title.toLowerCase(Locale.ROOT).replaceAll("<[^>]*>", "").replaceAll("&[a-z]+;", "")
                .replaceAll("[^a-z0-9_]+", "-");
        return id.replaceAll("^-+|-+$", "");
    }
}
