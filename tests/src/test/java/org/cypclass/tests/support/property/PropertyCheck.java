package org.cypclass.tests.support.property;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.cypclass.memory.MemoryStats;

/**
 * Runs a property on many generated cases, each checked for off-heap leaks, and reports the
 * first failure shrunk to a minimal case with the seed that replays the run.
 *
 * <p>How many cases and which seed come from system properties, so that a run can be replayed
 * or lengthened without editing a test:
 * <ul>
 *   <li>{@code cypclass.property.seed}: the run's seed (decimal or {@code 0x} hex); by default a
 *       new one per run, printed in every failure report;</li>
 *   <li>{@code cypclass.property.tries}: the number of cases, overriding each check's own.</li>
 * </ul>
 * A case fails when the property throws, or when it returns with more or fewer live off-heap
 * blocks or bytes than it started with (the JUnit leak check runs once around the whole test
 * method; this one runs around every case, so a leak shrinks to the case that causes it).
 *
 * <p>Thread-safety: each check runs on the calling thread; checks on different threads are
 * independent.
 */
public final class PropertyCheck {

    /** The replays a shrink may take, and for how long, before it reports what it has. */
    private static final int SHRINK_RUNS = 20_000;
    private static final long SHRINK_NANOS = TimeUnit.SECONDS.toNanos(60);

    private PropertyCheck() {
    }

    /**
     * Checks {@code property} on {@code tries} cases from {@code generator} (or on
     * {@code cypclass.property.tries} cases if that is set).
     *
     * @return what the run did, for a test that wants to assert on it
     * @throws AssertionError naming the seed, the shrunk case and its failure (as the cause), if
     *                        a case fails
     */
    public static <T> Summary forAll(int tries, Generator<T> generator, Property<T> property) {
        return forAll(seed(), Integer.getInteger("cypclass.property.tries", tries), generator, property);
    }

    /** As {@link #forAll(int, Generator, Property)} with a given seed and exactly {@code count} cases. */
    static <T> Summary forAll(long seed, int count, Generator<T> generator, Property<T> property) {
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int attempt = 1; attempt <= count; attempt++) {
            Case<T> failing = Case.run(Choices.random(seeds.nextLong()), generator, property);
            if (failing.failure() != null) {
                throw report(seed, attempt, count, generator, property, failing);
            }
        }
        return new Summary(seed, count);
    }

    /** What a passing run did: its seed and how many cases it checked. */
    public record Summary(long seed, int tries) {
    }

    private static <T> AssertionError report(long seed, int attempt, int count, Generator<T> generator,
                                             Property<T> property, Case<T> original) {
        Shrinker shrinker = new Shrinker(ranks -> {
            Case<T> replayed = Case.run(Choices.replay(ranks), generator, property);
            return new Shrinker.Run(replayed.ranks(), replayed.failure());
        }, original.failure().getClass(), SHRINK_RUNS, SHRINK_NANOS);
        Shrinker.Run smallest = shrinker.shrink(new Shrinker.Run(original.ranks(), original.failure()));
        // The shrunk case, generated once more to show it (its ranks replay it exactly).
        T shown = generator.generate(Choices.replay(smallest.drawn()));
        AssertionError error = new AssertionError(String.format(
            "property failed on case %,d of %,d (seed 0x%x: replay with -Dcypclass.property.seed=0x%x)%n"
                + "  shrunk in %,d runs from %,d to %,d draws; the smallest failing case:%n    %s%n"
                + "  its failure: %s%n  the original case: %s",
            attempt, count, seed, seed, shrinker.runs(), original.ranks().length, smallest.drawn().length,
            shown, smallest.failure(), original.value()), smallest.failure());
        if (smallest.failure() != original.failure()) {
            error.addSuppressed(original.failure());
        }
        return error;
    }

    private static long seed() {
        String given = System.getProperty("cypclass.property.seed");
        if (given == null || given.isBlank()) {
            return new SplittableRandom().nextLong();
        }
        given = given.strip();
        return given.startsWith("0x") ? Long.parseUnsignedLong(given.substring(2), 16) : Long.parseLong(given);
    }

    /** One case run: its value, the ranks it drew, and its failure or null. */
    private record Case<T>(T value, long[] ranks, Throwable failure) {

        static <T> Case<T> run(Choices choices, Generator<T> generator, Property<T> property) {
            T value = generator.generate(choices);
            long[] ranks = choices.recorded();
            MemoryStats before = MemoryStats.snapshot();
            try {
                property.check(value);
            } catch (Throwable failure) {
                return new Case<>(value, ranks, failure);
            }
            MemoryStats after = MemoryStats.snapshot();
            if (after.liveBlocks() != before.liveBlocks() || after.liveBytes() != before.liveBytes()) {
                return new Case<>(value, ranks, new LeakedError(before, after));
            }
            return new Case<>(value, ranks, null);
        }
    }

    /** A case that passed its assertions but changed the live off-heap blocks or bytes. */
    static final class LeakedError extends AssertionError {
        private static final long serialVersionUID = 1L;

        LeakedError(MemoryStats before, MemoryStats after) {
            super("the case changed the live off-heap memory: before " + before + ", after " + after);
        }
    }
}
