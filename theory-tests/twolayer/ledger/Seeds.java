package twolayer.ledger;

import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The seeded cases of the property-style claims. The base seed and the number of cases can be changed with
 * {@code -Dtwolayer.seed=...} and {@code -Dtwolayer.cases=...}; each case's seed is in its display name, so a
 * failure reruns exactly with that seed.
 */
public final class Seeds {
    /** The default base seed (the project's start date). */
    public static final long BASE = Long.getLong("twolayer.seed", 20261123L);

    private Seeds() {
    }

    /** {@code count} consecutive seeds (scaled by -Dtwolayer.cases=N when given). */
    public static Stream<Long> of(int count) {
        int n = Integer.getInteger("twolayer.cases", count);
        return LongStream.range(0, n).mapToObj(i -> BASE + i);
    }
}
