package org.cypclass.tests.support.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The draws one case is made of. A fresh source draws from a seeded random generator; a replay
 * source reads a recorded list instead. Either way every draw is recorded as a <em>rank</em>, a
 * number from 0 up, where 0 is the simplest value of the draw (the value nearest zero, the first
 * weighted option, the end of a list). Shrinking lowers and deletes ranks; a replay that runs
 * past its list draws 0, and a rank beyond a draw's range is read as the largest one, so every
 * list of ranks replays into some valid case.
 *
 * <p>Not thread-safe: one case is generated on one thread.
 */
public final class Choices {

    private final SplittableRandom random;     // null when replaying
    private final long[] replay;
    private int position;
    private long[] recorded = new long[64];
    private int size;

    private Choices(SplittableRandom random, long[] replay) {
        this.random = random;
        this.replay = replay;
    }

    static Choices random(long seed) {
        return new Choices(new SplittableRandom(seed), null);
    }

    static Choices replay(long[] ranks) {
        return new Choices(null, ranks);
    }

    /** {@return a value in {@code [min, max]}, uniform when drawn fresh, shrinking toward the value nearest zero} */
    public int between(int min, int max) {
        return (int) between((long) min, (long) max);
    }

    /** {@return a value in {@code [min, max]}, uniform when drawn fresh, shrinking toward the value nearest zero} */
    public long between(long min, long max) {
        if (min > max || Math.subtractExact(max, min) == Long.MAX_VALUE) {
            throw new IllegalArgumentException("no range [" + min + ", " + max + "] to draw from");
        }
        long target = Math.clamp(0, min, max);
        long up = max - target;
        long down = target - min;
        long rank = draw(up + down + 1, up + down + 1);
        // Ranks alternate around the target (0, +1, -1, +2, -2, ...) while both sides last.
        long both = Math.min(up, down);
        if (rank <= 2 * both) {
            return (rank & 1) == 1 ? target + (rank + 1) / 2 : target - rank / 2;
        }
        long beyond = rank - 2 * both;
        return up > down ? target + both + beyond : target - both - beyond;
    }

    /**
     * {@return an index into {@code weights}, drawn fresh with probability {@code weights[i] / sum},
     * shrinking toward index 0}
     */
    public int weighted(int... weights) {
        long total = 0;
        for (int weight : weights) {
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight in " + Arrays.toString(weights));
            }
            total += weight;
        }
        if (total == 0) {
            throw new IllegalArgumentException("no positive weight in " + Arrays.toString(weights));
        }
        long pick = random == null ? 0 : random.nextLong(total);
        int index = 0;
        while (pick >= weights[index]) {
            pick -= weights[index++];
        }
        return (int) draw(weights.length, index);
    }

    /** {@return true with probability {@code 1 / oneIn} when drawn fresh; shrinks toward false} */
    public boolean oneIn(int oneIn) {
        return weighted(oneIn - 1, 1) == 1;
    }

    /**
     * {@return a list of at most {@code maxSize} elements, its size uniform when drawn fresh, each
     * element made by {@code element}; shrinks toward fewer elements}
     */
    public <T> List<T> listOf(int maxSize, Generator<T> element) {
        // Each element is preceded by a "one more" rank of 1 and the list ends with a 0 (unless
        // full), so deleting an element's ranks deletes the element and keeps the rest aligned.
        int freshSize = random == null ? 0 : random.nextInt(maxSize + 1);
        List<T> list = new ArrayList<>();
        while (list.size() < maxSize && draw(2, list.size() < freshSize ? 1 : 0) == 1) {
            list.add(element.generate(this));
        }
        return list;
    }

    /**
     * Records and returns one rank in {@code [0, bound)}: {@code fresh} when drawing fresh (a value
     * below {@code bound} means that one; {@code bound} itself means "uniform"), else the replayed
     * rank, clamped into range.
     */
    private long draw(long bound, long fresh) {
        long rank;
        if (random == null) {
            rank = position < replay.length ? Math.min(replay[position], bound - 1) : 0;
            position++;
        } else {
            rank = fresh < bound ? fresh : random.nextLong(bound);
        }
        if (size == recorded.length) {
            recorded = Arrays.copyOf(recorded, size * 2);
        }
        recorded[size++] = rank;
        return rank;
    }

    /** {@return the ranks drawn so far, in order} */
    long[] recorded() {
        return Arrays.copyOf(recorded, size);
    }
}
