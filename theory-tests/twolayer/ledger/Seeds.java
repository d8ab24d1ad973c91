package twolayer.ledger;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import twolayer.testing.Cases;

/**
 * The seeded cases of the property-style claims. The base seed can be changed with {@code -Dtwolayer.seed=...}, and
 * {@code -Dtwolayer.cases=N} runs N times each claim's own number of cases (it scales the counts, so a claim with
 * more cases keeps more); each case's seed is in its display name, so a failure reruns exactly with that seed.
 */
public final class Seeds {
    /** The default base seed (the project's start date). */
    public static final long BASE = Long.getLong("twolayer.seed", 20261123L);

    private Seeds() {
    }

    /** {@code count} times {@code -Dtwolayer.cases} (default 1) consecutive seeds. */
    public static Stream<Long> of(int count) {
        int n = count * Cases.factor();
        return LongStream.range(0, n).mapToObj(i -> BASE + i);
    }
}
