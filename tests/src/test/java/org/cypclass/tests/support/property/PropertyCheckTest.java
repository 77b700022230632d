package org.cypclass.tests.support.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The property runner: its draws, its shrinking, its replay by seed and its per-case leak check. */
class PropertyCheckTest {

    private static final Generator<List<Integer>> NUMBERS = c -> c.listOf(100, n -> n.between(-100, 100));

    /** Fails when a number above 50 is followed, anywhere later, by a negative one. */
    private static void noNegativeAfterABigOne(List<Integer> numbers) {
        boolean big = false;
        for (int n : numbers) {
            big |= n > 50;
            if (big && n < 0) {
                throw new AssertionError("a negative number after one above 50: " + numbers);
            }
        }
    }

    @Test
    void aFailureShrinksToTheMinimalCase() {
        AssertionError error = assertThrows(AssertionError.class,
            () -> PropertyCheck.forAll(0x5eedL, 10_000, NUMBERS, PropertyCheckTest::noNegativeAfterABigOne));
        assertTrue(error.getMessage().contains("the smallest failing case:\n    [51, -1]\n"), error.getMessage());
        assertTrue(error.getMessage().contains("replay with -Dcypclass.property.seed=0x5eed"), error.getMessage());
        assertInstanceOf(AssertionError.class, error.getCause());
        assertTrue(error.getCause().getMessage().endsWith("[51, -1]"), error.getCause().getMessage());
    }

    @Test
    void theSameSeedFailsOnTheSameCase() {
        AssertionError first = assertThrows(AssertionError.class,
            () -> PropertyCheck.forAll(42L, 10_000, NUMBERS, PropertyCheckTest::noNegativeAfterABigOne));
        AssertionError second = assertThrows(AssertionError.class,
            () -> PropertyCheck.forAll(42L, 10_000, NUMBERS, PropertyCheckTest::noNegativeAfterABigOne));
        assertEquals(first.getMessage(), second.getMessage());
    }

    @Test
    void aPassingPropertyRunsEveryCase() {
        int[] cases = {0};
        PropertyCheck.Summary summary = PropertyCheck.forAll(7L, 1_234, NUMBERS, numbers -> cases[0]++);
        assertEquals(1_234, cases[0]);
        assertEquals(1_234, summary.tries());
    }

    @Test
    void drawsCoverTheirRangeAndListsTheirSizes() {
        Set<Long> values = new TreeSet<>();
        Set<Integer> sizes = new TreeSet<>();
        int[] picks = new int[3];
        PropertyCheck.forAll(1L, 2_000, c -> {
            values.add(c.between(-3L, 8L));
            picks[c.weighted(1, 0, 3)]++;
            return c.listOf(5, n -> n.between(0, 1));
        }, list -> sizes.add(list.size()));
        assertEquals(new TreeSet<>(List.of(-3L, -2L, -1L, 0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L)), values);
        assertEquals(new TreeSet<>(List.of(0, 1, 2, 3, 4, 5)), sizes);
        assertEquals(0, picks[1], "a zero weight is never drawn");
        assertTrue(picks[2] > 2 * picks[0], "weights are respected: " + picks[0] + " vs " + picks[2]);
    }

    @Test
    void ranksReplayTowardZeroAndStayInRange() {
        List<Long> replayed = new ArrayList<>();
        for (long rank = 0; rank < 14; rank++) {
            replayed.add(Choices.replay(new long[] {rank}).between(-3L, 8L));
        }
        // Nearest zero first, alternating while both sides last; past the range, the largest rank.
        assertEquals(List.of(0L, 1L, -1L, 2L, -2L, 3L, -3L, 4L, 5L, 6L, 7L, 8L, 8L, 8L), replayed);
        assertEquals(5, Choices.replay(new long[0]).between(5, 9), "an exhausted replay draws the simplest value");
        assertEquals(List.of(), Choices.replay(new long[0]).listOf(3, c -> c.between(0, 1)));
    }

    @Test
    void aCaseThatLeaksFailsAndShrinksToTheLeakingStep() {
        int type = BlockTypes.register("org.cypclass.tests.PropertyLeakedOnPurpose");
        List<Long> leaked = new ArrayList<>();
        try {
            AssertionError error = assertThrows(AssertionError.class, () -> PropertyCheck.forAll(3L, 1_000,
                c -> c.listOf(20, n -> n.between(0, 9)),
                steps -> {
                    for (int step : steps) {
                        long block = Allocator.allocate(type, 16);
                        if (step == 7) {
                            leaked.add(block);      // the property forgets to free on a 7
                        } else {
                            Allocator.free(block);
                        }
                    }
                }));
            assertInstanceOf(PropertyCheck.LeakedError.class, error.getCause());
            assertTrue(error.getMessage().contains("the smallest failing case:\n    [7]\n"), error.getMessage());
        } finally {
            leaked.forEach(Allocator::free);
        }
    }
}
