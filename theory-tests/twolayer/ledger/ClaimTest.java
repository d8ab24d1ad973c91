package twolayer.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** The ledger's record: merge rules (worst case, never the last case only), the run id and recorded exceptions. */
class ClaimTest {

    @TempDir
    Path dir;

    private JsonNode record(String id) throws IOException {
        return new ObjectMapper().readTree(Files.readString(dir.resolve(id + ".json")));
    }

    private Claim define(String id) {
        return Claim.define(id, "test", "a statement", "a source", "a tolerance", dir);
    }

    @Test
    void mergesKeepTheWorstCaseAndTheRangeOfValues() throws IOException {
        Claim c = define("LEDGER-1");
        c.check(true, Claim.measure().max("error", 1e-3).min("margin", 0.5).value("slope", -0.48)
                .measured("count", 2, Claim.Merge.SUM), "case 1");
        c.check(true, Claim.measure().max("error", 1e-5).min("margin", 0.7).value("slope", -0.52)
                .measured("count", 3, Claim.Merge.SUM), "case 2");
        c.check(true, Claim.measure().max("error", 1e-4).min("margin", 0.6).value("slope", -0.50)
                .measured("count", 1, Claim.Merge.SUM), "case 3");
        JsonNode m = record("LEDGER-1").get("measured");
        assertEquals(1e-3, m.get("error").asDouble());
        assertEquals(0.5, m.get("margin").asDouble());
        assertEquals(6, m.get("count").asDouble());
        // a value recorded by several cases is kept as its range, not as the last case's value
        assertFalse(m.has("slope"));
        assertEquals(-0.52, m.get("slope min").asDouble());
        assertEquals(-0.48, m.get("slope max").asDouble());
        assertEquals(3, m.get("cases").asInt());
    }

    @Test
    void aValueOfOneCaseIsRecordedAsIsAndNaNIsNeverHidden() throws IOException {
        Claim c = define("LEDGER-2");
        c.check(true, Claim.measure().value("slope", -1.0).max("error", Double.NaN), "case 1");
        c.check(true, Claim.measure().value("slope", -1.0).max("error", 1.0), "case 2");
        JsonNode m = record("LEDGER-2").get("measured");
        assertEquals(-1.0, m.get("slope").asDouble());
        assertTrue(m.get("error").isNull() || Double.isNaN(m.get("error").asDouble()));
    }

    @Test
    void everyRecordCarriesTheRunIdOfThisJvm() throws IOException {
        Claim a = define("LEDGER-3");
        Claim b = define("LEDGER-4");
        a.check(true, Claim.measure(), "a");
        b.check(true, Claim.measure(), "b");
        assertEquals(Claim.RUN_ID, record("LEDGER-3").get("run_id").asText());
        assertEquals(Claim.RUN_ID, record("LEDGER-4").get("run_id").asText());
        assertFalse(Claim.RUN_ID.isBlank());
    }

    @Test
    void anExceptionBeforeTheCheckFailsTheClaimWithItsMessageAndAFailedCheckCountsOnce() throws IOException {
        Claim c = define("LEDGER-5");
        c.check(true, Claim.measure().max("error", 0.1), "case 1");
        c.recordFailure(new IllegalStateException("the run diverged at step 7"));
        JsonNode r = record("LEDGER-5");
        assertEquals("fail", r.get("status").asText());
        assertTrue(r.get("firstFailure").asText().contains("the run diverged at step 7"));
        assertEquals(2, r.get("measured").get("cases").asInt());

        Claim d = define("LEDGER-6");
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> d.check(false, Claim.measure(), "error 2 > 1"));
        d.recordFailure(e);          // what the recorder sees after the check threw
        assertEquals(1, record("LEDGER-6").get("measured").get("cases").asInt());
    }

    @Test
    void aClaimIdIsDefinedOnce() {
        define("LEDGER-7");
        assertThrows(IllegalStateException.class, () -> define("LEDGER-7"));
    }
}
