package org.cypclass.tests.support.property;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Reduces the recorded ranks of a failing case to a locally minimal failing list: no single
 * deletion of a span of ranks and no lowering of a single rank still fails. It alternates three
 * passes until neither makes progress or the budget runs out:
 * <ol>
 *   <li>delete spans of ranks, longest first (a span the width of one list element deletes that
 *       element, so a sequence of operations loses operations);</li>
 *   <li>lower each rank, first to 0, else by binary search to the lowest that still fails (so
 *       values move toward zero and choices toward their first option);</li>
 *   <li>swap two ranks where the larger comes first (on short lists only).</li>
 * </ol>
 * A candidate counts only when it fails with the same exception class as the original failure,
 * so that shrinking does not wander off to a different bug.
 *
 * <p>Not thread-safe; one shrink runs on the thread that found the failure.
 */
final class Shrinker {

    /** The outcome of running one list of ranks: the ranks the run actually drew, and its failure or null. */
    record Run(long[] drawn, Throwable failure) {
    }

    /** Spans tried in the deletion pass: whole blocks of elements first, then single ranks. */
    private static final int[] SPANS = {64, 32, 16, 8, 6, 5, 4, 3, 2, 1};

    /** The longest list the swap pass works on. */
    private static final int SWAP_LIMIT = 64;

    private final Function<long[], Run> runner;
    private final Class<? extends Throwable> failureClass;
    private final int maxRuns;
    private final long deadlineNanos;
    private int runs;

    /**
     * @param runner      replays a list of ranks
     * @param failureClass the class a candidate's failure must have to count
     * @param maxRuns     how many replays the shrink may take
     * @param maxNanos    how long the shrink may take
     */
    Shrinker(Function<long[], Run> runner, Class<? extends Throwable> failureClass, int maxRuns, long maxNanos) {
        this.runner = runner;
        this.failureClass = failureClass;
        this.maxRuns = maxRuns;
        this.deadlineNanos = System.nanoTime() + maxNanos;
    }

    /** {@return how many replays the shrink took} */
    int runs() {
        return runs;
    }

    /** {@return the smallest failing run found, starting from {@code failing}} */
    Run shrink(Run failing) {
        Run best = failing;
        boolean progress = true;
        while (progress && withinBudget()) {
            progress = false;
            for (int span : SPANS) {
                for (int at = 0; at + span <= best.drawn().length && withinBudget(); ) {
                    Run candidate = tryRanks(without(best.drawn(), at, span));
                    if (candidate != null && isSmaller(candidate.drawn(), best.drawn())) {
                        best = candidate;
                        progress = true;
                    } else {
                        at++;
                    }
                }
            }
            for (int at = 0; at < best.drawn().length && withinBudget(); at++) {
                Run lowered = lower(best, at);
                if (lowered != best) {
                    best = lowered;
                    progress = true;
                }
            }
            Run swapped = swapDown(best);
            if (swapped != best) {
                best = swapped;
                progress = true;
            }
        }
        return best;
    }

    /**
     * Swaps a pair of ranks where the larger comes first: when two values must differ (say
     * {@code add(1), add(0)}), lowering either alone fixes nothing, but the swap reaches the
     * smaller order. Quadratic, so only on short lists, which the earlier passes leave.
     */
    private Run swapDown(Run best) {
        long[] ranks = best.drawn();
        if (ranks.length > SWAP_LIMIT) {
            return best;
        }
        for (int i = 0; i < ranks.length && withinBudget(); i++) {
            for (int j = i + 1; j < ranks.length && withinBudget(); j++) {
                if (ranks[i] > ranks[j]) {
                    long[] swapped = with(with(ranks, i, ranks[j]), j, ranks[i]);
                    Run candidate = tryRanks(swapped);
                    if (candidate != null && isSmaller(candidate.drawn(), ranks)) {
                        return candidate;
                    }
                }
            }
        }
        return best;
    }

    /** Lowers the rank at {@code at} as far as it still fails: 0 first, then binary search. */
    private Run lower(Run best, int at) {
        long current = best.drawn()[at];
        if (current == 0) {
            return best;
        }
        Run zero = tryRanks(with(best.drawn(), at, 0));
        if (zero != null && isSmaller(zero.drawn(), best.drawn())) {
            return zero;
        }
        long low = 0;     // fails not (or is not smaller) at low; fails at high
        long high = current;
        Run found = best;
        while (high - low > 1 && at < found.drawn().length && withinBudget()) {
            long middle = low + (high - low) / 2;
            Run candidate = tryRanks(with(found.drawn(), at, middle));
            if (candidate != null && isSmaller(candidate.drawn(), found.drawn())) {
                found = candidate;
                high = middle;
            } else {
                low = middle;
            }
        }
        // Failing ranks need not be contiguous (odd ranks are positive values, even ones
        // negative): step down by one and two from where the search stopped.
        for (boolean stepped = true; stepped && withinBudget(); ) {
            stepped = false;
            for (long step = 1; step <= 2 && !stepped; step++) {
                long rank = found.drawn().length > at ? found.drawn()[at] - step : -1;
                Run candidate = rank < 0 ? null : tryRanks(with(found.drawn(), at, rank));
                if (candidate != null && isSmaller(candidate.drawn(), found.drawn())) {
                    found = candidate;
                    stepped = true;
                }
            }
        }
        return found;
    }

    /** Replays {@code ranks}; returns the run if it fails the same way, else null. */
    private Run tryRanks(long[] ranks) {
        runs++;
        Run run = runner.apply(ranks);
        return run.failure() != null && failureClass.isInstance(run.failure()) ? run : null;
    }

    private boolean withinBudget() {
        return runs < maxRuns && System.nanoTime() - deadlineNanos < 0;
    }

    /** Shorter is smaller; at equal length, the first differing rank decides. */
    static boolean isSmaller(long[] a, long[] b) {
        if (a.length != b.length) {
            return a.length < b.length;
        }
        return Arrays.compare(a, b) < 0;
    }

    private static long[] without(long[] ranks, int at, int span) {
        long[] shorter = new long[ranks.length - span];
        System.arraycopy(ranks, 0, shorter, 0, at);
        System.arraycopy(ranks, at + span, shorter, at, ranks.length - at - span);
        return shorter;
    }

    private static long[] with(long[] ranks, int at, long rank) {
        long[] copy = ranks.clone();
        copy[at] = rank;
        return copy;
    }
}
