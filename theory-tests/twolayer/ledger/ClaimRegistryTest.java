package twolayer.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import twolayer.site.LedgerPages;

/**
 * The claims registry {@code docs/claims.txt} lists exactly the claims the tests define: the site generator cannot
 * read the tests, so it learns from the registry which claims a complete ledger has, and shows a registered claim
 * without a record of this build as missing (architecture chapter, section "Adding a claim").
 */
class ClaimRegistryTest {

    /** A definition in a test's source: Claim.define, then the id and the chapter as string literals (maybe over lines). */
    private static final Pattern DEFINE = Pattern.compile("Claim\\.define\\(\\s*\"([^\"]+)\"\\s*,\\s*\"([^\"]+)\"");

    /** Control: with the line of FOUND-4 deleted from docs/claims.txt this test failed, naming the maps. */
    @Test
    void theRegistryListsEveryClaimTheTestsDefineAndNoOther() throws IOException {
        Map<String, String> defined = new TreeMap<>(LedgerPages.NATURAL_ORDER);
        List<String> twice = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("theory-tests"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Matcher m = DEFINE.matcher(Files.readString(f));
                while (m.find()) {
                    if (defined.put(m.group(1), m.group(2)) != null) {
                        twice.add(m.group(1));
                    }
                }
            }
        }
        assertTrue(defined.size() > 10, "the tests define the chapters' claims (the test runs from the project"
                + " directory); found " + defined.keySet());
        assertTrue(twice.isEmpty(), "claims defined twice: " + twice);
        Map<String, String> registered = new TreeMap<>(LedgerPages.NATURAL_ORDER);
        for (LedgerPages.RegisteredClaim r : LedgerPages.readRegistry(Path.of("docs", "claims.txt"))) {
            registered.put(r.id(), r.chapter());
            assertTrue(LedgerPages.CHAPTERS.contains(r.chapter()),
                    "docs/claims.txt: " + r.id() + " names chapter " + r.chapter() + ", not one of " + LedgerPages.CHAPTERS);
        }
        assertEquals(defined, registered, "docs/claims.txt must list each Claim.define(\"ID\", \"chapter\", ...) of"
                + " theory-tests as a line \"ID chapter\"");
    }
}
