package twolayer.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger reads as sentences and numbers, and links claims to their chapters and sources to the bibliography. */
class LedgerPagesTest {

    private static final List<DocsIndex.Work> WORKS = List.of(new DocsIndex.Work("chizat2019", "chizat", "2019"),
            new DocsIndex.Work("mei2018", "mei", "2018"), new DocsIndex.Work("sohldickstein2020", "sohldickstein", "2020"), new DocsIndex.Work("luo2021a", "luo", "2021"),
            new DocsIndex.Work("luo2021b", "luo", "2021"));

    @Test
    void measuredNamesAreWords() {
        assertEquals("slope ntk preset", LedgerPages.readable("slopeNtkPreset"));
        assertEquals("max rel err", LedgerPages.readable("max_rel_err"));
        assertEquals("RD slope", LedgerPages.readable("RDSlope"));
        assertEquals("r2", LedgerPages.readable("r2"));
        assertEquals("gap at width", LedgerPages.readable("gapAtWidth"));
    }

    @Test
    void sourcesLinkTheWorksTheyNameAndOnlyThose() {
        String s = LedgerPages.source("Chizat, Oyallon and Bach 2019, Thm 2.2; Mei et al. (2018); Hairer 1993", WORKS);
        assertTrue(s.contains("xref:bibliography.adoc#chizat2019[pass:c[Chizat, Oyallon and Bach 2019]]"), s);
        assertTrue(s.contains("xref:bibliography.adoc#mei2018[pass:c[Mei et al. (2018)]]"), s);
        assertTrue(s.endsWith("pass:c[; Hairer 1993]"), "a work not in the bibliography stays text: " + s);
        assertEquals("pass:c[(]xref:bibliography.adoc#mei2018[pass:c[Mei et al. 2018]]pass:c[)]",
                LedgerPages.source("(Mei et al. 2018)", WORKS), "an outer parenthesis stays outside the link");
        assertTrue(LedgerPages.source("Sohl-Dickstein et al. 2020", WORKS).startsWith(
                "xref:bibliography.adoc#sohldickstein2020["), "a hyphenated surname matches its anchor");
        String ambiguous = LedgerPages.source("Luo et al. 2021, eq. (1)", WORKS);
        assertEquals("pass:c[Luo et al. 2021, eq. (1)]", ambiguous, "two Luo 2021 entries: no guess");
    }

    @Test
    void aChapterWithoutClaimsSaysSoAndMissingRecordsSayHowToMakeThem() {
        assertEquals("This chapter makes no numerical claims.\n",
                LedgerPages.chapterLedger(List.of(), true, false, DocsIndex.NONE));
        assertTrue(LedgerPages.chapterLedger(List.of(), true, true, DocsIndex.NONE).contains("run `mvn -B test`"));
        assertTrue(LedgerPages.chapterLedger(List.of(), false, null, DocsIndex.NONE).contains("run `mvn -B test`"));
    }

    @Test
    void claimIdsLinkToTheirAnchorOrTheChaptersClaimsSection(@TempDir Path docs) throws IOException {
        Files.writeString(docs.resolve("ntk.adoc"), "= NTK\n\ninclude::_part.adoc[]\n\n== Claims of this chapter\n\n"
                + "include::{gendir}/ledger-ntk.adoc[]\n");
        Files.writeString(docs.resolve("_part.adoc"), "[[claim-ntk-1]]\n*Claim NTK-1.* ...\n");
        Files.writeString(docs.resolve("notation.adoc"), "= Notation\n\n[#claims]\n== Claims checked\n\n"
                + "include::{gendir}/ledger-notation.adoc[]\n");
        Files.writeString(docs.resolve("bibliography.adoc"), "= B\n\n[[chizat2019]]\nL. Chizat ...\n");
        DocsIndex index = DocsIndex.read(docs, List.of("ntk", "notation", "missing"));
        assertEquals("ntk.adoc#claim-ntk-1", index.claimTarget("ntk", "claim-ntk-1"));
        assertEquals("ntk.adoc#claims-of-this-chapter", index.claimTarget("ntk", "claim-ntk-9"));
        assertEquals("notation.adoc#claims", index.claimTarget("notation", "claim-found-1"));
        assertEquals(null, index.claimTarget("missing", "claim-x-1"));
        assertEquals(Boolean.TRUE, index.statesClaims("ntk"));
        assertEquals(Boolean.FALSE, index.statesClaims("notation"));
        assertEquals(List.of(new DocsIndex.Work("chizat2019", "chizat", "2019")), index.bibliography());

        Map<String, Object> measured = new LinkedHashMap<>();
        measured.put("fittedSlope", -0.498);
        ClaimRecord c = new ClaimRecord("NTK-1", "ntk", "The slope is -1/2.", "Chizat 2019", measured,
                "0.1 (why)", true, null);
        String full = LedgerPages.fullLedger(List.of(c), index);
        assertTrue(full.contains("[[claim-ntk-1]]xref:ntk.adoc#claim-ntk-1[NTK-1]"), full);
        assertTrue(full.contains("pass:c[fitted slope]: -0.4980"), full);
        assertTrue(full.contains("xref:bibliography.adoc#chizat2019["), full);
        assertEquals(Set.of("claim-ntk-1"), index.claimAnchors().get("ntk"));
    }
}
