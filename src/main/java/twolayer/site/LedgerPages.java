package twolayer.site;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import twolayer.data.AtomicFiles;

/**
 * The claims ledger as AsciiDoc partials, from the claim records the tests wrote (architecture chapter, section "Adding a claim").
 *
 * <p>Writes into the generated-docs directory:
 * <ul>
 *   <li>{@code ledger.adoc}: every claim, sorted by id in natural order (FOUND-2 before FOUND-10), with a
 *       summary line and an anchor {@code claim-<id in lower case>} per row;</li>
 *   <li>{@code ledger-<chapter>.adoc}: the claims of one chapter, for every chapter slug that occurs in a record
 *       and for every slug of {@link #CHAPTERS}, so that a chapter's {@code include::} never breaks.</li>
 * </ul>
 * Without records (tests skipped, or not yet written) a page says so in one sentence.
 * The partials carry no section title: the including chapter gives one.
 *
 * <p>A pass is shown only if this build measured it: a record counts as measured when its {@code run_id} is the
 * build's run id (the one the build gave its tests). A record of another run, or one without a run id, is shown as
 * STALE, and every claim of the registry ({@code docs/claims.txt}, every claim the tests define) without a record
 * as MISSING; the summary then says in red that the ledger is not one complete test run. So a site built with
 * {@code -DskipTests} on old records, or after a single {@code -Dtest=} run, shows no pass it did not measure.
 */
public final class LedgerPages {

    /** The chapter slugs of the site (one page each, docs/&lt;slug&gt;.adoc); each always gets a ledger partial. */
    public static final List<String> CHAPTERS = List.of("notation", "model", "gradient-flow", "ntk",
            "lazy-training", "mean-field", "mfld", "two-timescale", "phase-diagram", "scalings",
            "performance", "baseline");

    /** Orders strings by their runs of digits as numbers and the rest as text: FOUND-2 &lt; FOUND-10 &lt; NTK-1. */
    public static final Comparator<String> NATURAL_ORDER = LedgerPages::compareNatural;

    private static final String NO_RECORDS = "No claim records found: run `mvn -B test` first"
            + " (this site was built without test results, for example with `-DskipTests`).";
    private static final String NO_CLAIMS = "This chapter makes no numerical claims.";

    private LedgerPages() {}

    /**
     * What {@link #writeAll} found: claims listed (registered or recorded), those this build measured to pass or
     * fail, those whose record is of another run (stale) and registered ones without a record (missing).
     */
    public record Summary(int claims, int pass, int fail, int stale, int missing, int pages) {}

    /** One line of the claims registry: a claim the tests define, with its chapter slug. */
    public record RegisteredClaim(String id, String chapter) {}

    /** How a claim stands in this build's ledger. */
    enum Standing { PASS, FAIL, STALE, MISSING }

    /** One row of a ledger: a claim, its record (null if missing) and its standing. */
    record Row(String id, String chapter, ClaimRecord record, Standing standing) {}

    /**
     * Reads the claims registry: one claim per line, {@code <id> <chapter slug>}; blank lines and lines starting with
     * {@code #} are skipped.
     *
     * @throws IOException if the file cannot be read, a line is not an id and a slug, or an id occurs twice (the
     *                     message names the file and the line)
     */
    public static List<RegisteredClaim> readRegistry(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("claims registry " + file + " not found (one line per claim: <id> <chapter slug>)");
        }
        List<RegisteredClaim> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2 || !ClaimRecord.ID.matcher(parts[0]).matches()
                    || !ClaimRecord.CHAPTER_SLUG.matcher(parts[1]).matches()) {
                throw new IOException("claims registry " + file + ", line " + (k + 1)
                        + ": expected <id> <chapter slug> (like NTK-3 ntk), got \"" + line + "\"");
            }
            Integer other = seen.putIfAbsent(parts[0], k + 1);
            if (other != null) {
                throw new IOException("claims registry " + file + ", line " + (k + 1) + ": claim " + parts[0]
                        + " is already registered on line " + other);
            }
            out.add(new RegisteredClaim(parts[0], parts[1]));
        }
        return out;
    }

    /**
     * Reads every {@code *.json} record in {@code claimsDir} (which may be missing) and writes the ledger
     * partials into {@code genDir}.
     *
     * @throws IOException if a record is malformed (the message names file and field), two records share an id,
     *                     or a page cannot be written
     */
    public static Summary writeAll(Path claimsDir, Path genDir) throws IOException {
        return writeAll(claimsDir, genDir, DocsIndex.NONE, List.of(), null);
    }

    /**
     * {@link #writeAll(Path, Path)} with what the chapters in {@code docs} say: each claim id links to the place in
     * its chapter that states it, each source to the bibliography entries it names, and a chapter that states no
     * claims says so; with the claims {@code registry}, whose claims without a record are shown as missing; and with
     * the build's {@code runId}, the only run whose records are shown as measured (null: the newest run id among
     * the records, for a standalone call that does not know the build's).
     */
    public static Summary writeAll(Path claimsDir, Path genDir, DocsIndex docs, List<RegisteredClaim> registry,
                                   String runId) throws IOException {
        List<ClaimRecord> records = readAll(claimsDir);
        String run = runId != null ? runId : newestRun(records);
        List<Row> rows = rows(records, registry, run);
        AtomicFiles.writeString(genDir.resolve("ledger.adoc"), fullLedger(rows, !records.isEmpty(), run, docs));
        Map<String, List<Row>> byChapter = new LinkedHashMap<>();
        for (String chapter : CHAPTERS) {
            byChapter.put(chapter, new ArrayList<>());
        }
        for (Row r : rows) {
            byChapter.computeIfAbsent(r.chapter(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Row>> e : byChapter.entrySet()) {
            AtomicFiles.writeString(genDir.resolve("ledger-" + e.getKey() + ".adoc"),
                    chapterLedger(e.getValue(), !records.isEmpty(), docs.statesClaims(e.getKey()), run, docs));
        }
        return new Summary(rows.size(), count(rows, Standing.PASS), count(rows, Standing.FAIL),
                count(rows, Standing.STALE), count(rows, Standing.MISSING), 1 + byChapter.size());
    }

    private static int count(List<Row> rows, Standing s) {
        return (int) rows.stream().filter(r -> r.standing() == s).count();
    }

    /** The newest run id among the records (run ids begin with their start time in ISO 8601), or null. */
    static String newestRun(List<ClaimRecord> records) {
        return records.stream().map(ClaimRecord::runId).filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
    }

    /**
     * The rows of the ledger, in natural order of id: every registered claim and every recorded one; a record of run
     * {@code run} passes or fails, a record of another run or of none is stale, a registered claim without a record
     * is missing.
     */
    static List<Row> rows(List<ClaimRecord> records, List<RegisteredClaim> registry, String run) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (ClaimRecord c : records) {
            boolean measured = run != null && run.equals(c.runId());
            rows.put(c.id(), new Row(c.id(), c.chapter(), c,
                    !measured ? Standing.STALE : c.pass() ? Standing.PASS : Standing.FAIL));
        }
        for (RegisteredClaim r : registry) {
            rows.putIfAbsent(r.id(), new Row(r.id(), r.chapter(), null, Standing.MISSING));
        }
        List<Row> out = new ArrayList<>(rows.values());
        out.sort(Comparator.comparing(Row::id, NATURAL_ORDER));
        return out;
    }

    /** The records in {@code claimsDir}, sorted by id in natural order; empty if the directory does not exist. */
    public static List<ClaimRecord> readAll(Path claimsDir) throws IOException {
        List<ClaimRecord> claims = new ArrayList<>();
        if (!Files.isDirectory(claimsDir)) {
            return claims;
        }
        Map<String, Path> seen = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(claimsDir, "*.json")) {
            for (Path f : files) {
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                ClaimRecord c = ClaimRecord.read(f);
                Path other = seen.putIfAbsent(c.id(), f);
                if (other != null) {
                    throw new IOException("claim id " + c.id() + " is recorded twice, in " + other + " and in " + f
                            + " (each claim has exactly one test)");
                }
                claims.add(c);
            }
        }
        claims.sort(Comparator.comparing(ClaimRecord::id, NATURAL_ORDER));
        return claims;
    }

    /** The page of all claims; {@code anyRecords} tells whether the tests recorded anything at all. */
    static String fullLedger(List<Row> rows, boolean anyRecords, String run, DocsIndex docs) {
        if (rows.isEmpty()) {
            return NO_RECORDS + "\n";
        }
        return (anyRecords ? "" : NO_RECORDS + "\n\n") + summary(rows, "claims", run) + table(rows, true, docs);
    }

    /**
     * The page of one chapter's claims. {@code anyRecords} tells whether the tests recorded anything at all, and
     * {@code statesClaims} whether the chapter's text states claims (null if unknown): a chapter without claims says
     * so, while a chapter whose records are missing says how to make them.
     */
    static String chapterLedger(List<Row> rows, boolean anyRecords, Boolean statesClaims, String run,
                                DocsIndex docs) {
        if (rows.isEmpty()) {
            if (Boolean.FALSE.equals(statesClaims)) {
                return NO_CLAIMS + "\n";
            }
            return (anyRecords
                    ? "No claim records found for this chapter although it states claims: run `mvn -B test` first"
                      + " (see the xref:ledger.adoc[claims ledger])."
                    : NO_RECORDS) + "\n";
        }
        return (anyRecords ? "" : NO_RECORDS + "\n\n") + summary(rows, "claims in this chapter", run)
                + table(rows, false, docs) + "\nAll claims of the site: xref:ledger.adoc[the claims ledger].\n";
    }

    private static String summary(List<Row> rows, String noun, String run) {
        int pass = count(rows, Standing.PASS), fail = count(rows, Standing.FAIL);
        int stale = count(rows, Standing.STALE), missing = count(rows, Standing.MISSING);
        StringBuilder s = new StringBuilder();
        s.append(rows.size()).append(' ').append(noun).append(", ")
                .append(pass).append(" pass, ").append(fail).append(" fail");
        if (stale + missing > 0) {
            s.append(", [.red]#*").append(stale).append(" stale, ").append(missing).append(" missing*#");
        }
        s.append(".\n");
        if (stale + missing > 0) {
            s.append("\n[.red]#*Not one complete test run:*# only the claims this build's test run ")
                    .append(run == null ? "(none recorded)" : "(" + passthrough(run, false) + ")")
                    .append(" measured show pass or fail. STALE: recorded by another test run (or by a writer")
                    .append(" without run ids), so not measured by this build; MISSING: not measured by this")
                    .append(" build. Run `mvn -B test` (or the whole build) to measure them.\n");
        }
        if (fail > 0) {
            s.append("\n[.red]#*Failing claims:*#\n\n");
            for (Row r : rows) {
                if (r.standing() == Standing.FAIL) {
                    ClaimRecord c = r.record();
                    s.append("* [.red]#*").append(c.id()).append("*#")
                            .append(c.firstFailure() == null ? "" : ": first failing case: " + passthrough(c.firstFailure(), false))
                            .append('\n');
                }
            }
        }
        return s.append('\n').toString();
    }

    private static String table(List<Row> rows, boolean anchors, DocsIndex docs) {
        StringBuilder t = new StringBuilder();
        t.append("[cols=\"4,8,5,5,6,2\",options=\"header\"]\n|===\n")
                .append("|Id |Statement |Source |Measured |Tolerance |Status\n");
        for (Row r : rows) {
            t.append('\n');
            // in the full ledger the id links to where its chapter states the claim; in a chapter, to the ledger
            String target = docs.claimTarget(r.chapter(), anchor(r.id()));
            t.append("|").append(anchors
                    ? "[[" + anchor(r.id()) + "]]" + (target == null ? r.id() : "xref:" + target + "[" + r.id() + "]")
                    : "xref:ledger.adoc#" + anchor(r.id()) + "[" + r.id() + "]").append('\n');
            ClaimRecord c = r.record();
            if (c == null) {
                t.append("|missing (not measured by this build)\n|-\n|-\n|-\n|[.red]#*MISSING*#\n");
                continue;
            }
            t.append("|").append(text(c.statement())).append('\n');
            t.append("|").append(source(c.source(), docs.bibliography())).append('\n');
            t.append("|").append(measured(c.measured())).append('\n');
            t.append("|").append(text(c.tolerance())).append('\n');
            t.append("|").append(switch (r.standing()) {
                case PASS -> "pass";
                case FAIL -> "[.red]#*FAIL*#";
                case STALE -> "[.red]#*STALE*# (" + (c.runId() == null ? "no run id" : "run " + text(c.runId())) + ")";
                case MISSING -> "[.red]#*MISSING*#";
            }).append('\n');
        }
        return t.append("|===\n").toString();
    }

    /** The anchor of a claim's row in the full ledger: claim- and the id in lower case. */
    public static String anchor(String id) {
        return "claim-" + id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    }

    private static String measured(Map<String, Object> measured) {
        if (measured.isEmpty()) {
            return "-";
        }
        return measured.entrySet().stream()
                .map(e -> text(readable(e.getKey())) + ": " + format(e.getValue()))
                .collect(Collectors.joining(" +\n"));
    }

    /**
     * A measured value's name as words: camelCase and snake_case split ({@code slopeNtkPreset} to "slope ntk
     * preset", {@code max_rel_err} to "max rel err"); acronyms ({@code RD}, {@code NTK}) and digits stay as written.
     */
    static String readable(String key) {
        String spaced = key.replace('_', ' ')
                .replaceAll("(?<=[a-z0-9])(?=[A-Z])", " ")
                .replaceAll("(?<=[A-Z])(?=[A-Z][a-z])", " ");
        StringBuilder out = new StringBuilder();
        for (String word : spaced.strip().split("\\s+")) {
            boolean acronym = word.length() > 1 && word.chars().filter(Character::isLetter).allMatch(Character::isUpperCase);
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(acronym ? word : word.substring(0, 1).toLowerCase(Locale.ROOT) + word.substring(1));
        }
        return out.toString();
    }

    /** How far after a surname its year may stand ("Chizat, Oyallon and Bach 2019", "Mei et al. (2018)"). */
    private static final int SURNAME_TO_YEAR = 60;

    /**
     * A claim's source, shown literally, with each span "Surname ... year" that names a bibliography entry made a link
     * to it. A surname and year shared by two entries (2018a, 2018b) stay unlinked: the span cannot tell which.
     */
    static String source(String raw, List<DocsIndex.Work> works) {
        String text = raw.strip().replaceAll("\\s+", " ");
        record Span(int start, int end, String anchor) {}
        List<Span> spans = new ArrayList<>();
        for (DocsIndex.Work w : works) {
            long same = works.stream().filter(o -> o.surname().equals(w.surname()) && o.year().equals(w.year())).count();
            if (same > 1) {
                continue;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\b" + spelledLoosely(w.surname())
                    + "\\b[^;()]{0," + SURNAME_TO_YEAR + "}?(?:\\(" + w.year() + "\\)|" + w.year() + "\\b)").matcher(text);
            while (m.find()) {
                int start = m.start();
                int end = m.end();
                if (spans.stream().noneMatch(s -> start < s.end() && s.start() < end)) {
                    spans.add(new Span(start, end, w.anchor()));
                }
            }
        }
        if (spans.isEmpty()) {
            return text(text);
        }
        spans.sort(Comparator.comparingInt(Span::start));
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Span s : spans) {
            out.append(literal(text.substring(at, s.start())));
            String label = text.substring(s.start(), s.end());
            out.append("xref:bibliography.adoc#").append(s.anchor()).append('[')
                    .append(passthrough(label, true)).append(']');
            at = s.end();
        }
        return out.append(literal(text.substring(at))).toString();
    }

    /** The anchor's surname with an optional hyphen, apostrophe or space between its letters (sohldickstein). */
    private static String spelledLoosely(String surname) {
        return surname.chars().mapToObj(ch -> java.util.regex.Pattern.quote(Character.toString(ch)))
                .collect(Collectors.joining("[-' ]?"));
    }

    /** {@link #text} for a piece of a cell, keeping a space at either end outside the passthrough. */
    private static String literal(String piece) {
        if (piece.isBlank()) {
            return piece.isEmpty() ? "" : " ";
        }
        return (Character.isWhitespace(piece.charAt(0)) ? " " : "") + text(piece)
                + (Character.isWhitespace(piece.charAt(piece.length() - 1)) ? " " : "");
    }

    /** 4 significant digits for a real number; integers and non-numbers as they were recorded. */
    static String format(Object value) {
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return d.toString();
            }
            return d == 0.0 ? "0" : String.format(Locale.ROOT, "%.4g", d);
        }
        return value instanceof Long l ? l.toString() : text(String.valueOf(value));
    }

    /** Text from a record, shown literally in a table cell (see {@link #passthrough}). */
    static String text(String raw) {
        return passthrough(raw, true);
    }

    /**
     * Text from a record shown literally: a {@code pass:c[]} macro (only HTML special characters are escaped, no
     * AsciiDoc formatting or attribute reference applies), with the macro's closing bracket escaped, white space
     * collapsed to single spaces and, in a table cell, the cell separator escaped.
     * (MathJax still typesets a {@code \(...\)} in it, as anywhere on the page.)
     */
    static String passthrough(String raw, boolean inTable) {
        String t = raw.strip().replaceAll("\\s+", " ").replace("]", "\\]");
        if (inTable) {
            t = t.replace("|", "\\|");
        }
        if (t.endsWith("\\")) {
            t = t + " ";
        }
        return "pass:c[" + t + "]";
    }

    private static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int cmp = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (cmp != 0) {
                    return cmp;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int rest = Integer.compare(a.length() - i, b.length() - j);
        return rest != 0 ? rest : a.compareTo(b);
    }
}
