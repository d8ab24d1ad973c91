package twolayer.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The case generator covers every pair of levels, and the shrink loop stops at the smallest failing size. */
class CasesTest {

    @Test
    void pairwiseRowsMeetEveryPairOfLevels() {
        int[][] designs = {{5, 5}, {4, 2}, {5, 3, 2, 2}, {3, 3, 3, 3, 3}};
        for (int[] levels : designs) {
            List<int[]> rows = Cases.pairwise(7L, levels);
            for (int f = 0; f < levels.length; f++) {
                for (int g = f + 1; g < levels.length; g++) {
                    for (int a = 0; a < levels[f]; a++) {
                        for (int b = 0; b < levels[g]; b++) {
                            boolean met = false;
                            for (int[] row : rows) {
                                met |= row[f] == a && row[g] == b;
                            }
                            assertTrue(met, "levels " + java.util.Arrays.toString(levels) + ": factor " + f + " = " + a
                                    + " never meets factor " + g + " = " + b);
                        }
                    }
                }
            }
            if (levels.length == 2) {
                assertEquals(levels[0] * levels[1], rows.size(), "two factors: the full cross, each pair once");
            }
        }
        // Deterministic in the seed
        assertEquals(java.util.Arrays.deepToString(Cases.pairwise(3L, 5, 3, 2, 2).toArray()),
                java.util.Arrays.deepToString(Cases.pairwise(3L, 5, 3, 2, 2).toArray()));
    }

    @Test
    void crossListsEveryCombinationOnceAndOneFactorItsLevels() {
        List<int[]> rows = Cases.cross(3, 2, 4);
        assertEquals(24, rows.size());
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int[] row : rows) {
            assertTrue(row[0] < 3 && row[1] < 2 && row[2] < 4, java.util.Arrays.toString(row));
            distinct.add(java.util.Arrays.toString(row));
        }
        assertEquals(24, distinct.size(), "every combination once");
        assertEquals("[0, 0, 1]", java.util.Arrays.toString(rows.get(1)), "the last factor varies fastest");
        // One factor: its levels (a covering of pairs would be empty, and a claim with no cases checks nothing)
        assertEquals("[[0], [1], [2]]", java.util.Arrays.deepToString(Cases.pairwise(5L, 3).toArray()));
    }

    @Test
    void shrinkHalvesWhileTheCaseStillFails() {
        // A "bug" that shows only for m >= 5 and n >= 3: the smallest failing case reachable by halving 40, 12
        Cases.Size smallest = Cases.shrink(new Cases.Size(40, 12, 8, 100), new Cases.Size(1, 2, 1, 1),
                s -> s.m() >= 5 && s.n() >= 3);
        assertEquals(new Cases.Size(5, 3, 1, 1), smallest);
    }
}
