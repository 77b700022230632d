package org.cypclass.examples;

import java.util.concurrent.atomic.AtomicLong;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Dealloc;
import org.cypclass.objects.Init;

/**
 * Two numbers that writers keep equal, a link to another pair and to a node: the shape the
 * capability tests lock, freeze and hand over. Counts its deaths, to prove that a graph shared
 * by many threads is freed exactly once.
 */
@Cypclass
public class Pair extends Cy_Pair {

    /** How many pairs have been destroyed, by any thread. */
    public static final AtomicLong DEATHS = new AtomicLong();

    interface Fields {
        long left();

        long right();

        Pair next();

        Node node();
    }

    @Init
    void init(long value) {
        left(value);
        right(value);
    }

    /** Sets both numbers; under a write guard, no reader ever sees them differ. */
    public void set(long value) {
        left(value);
        right(value);
    }

    @Dealloc
    void dealloc() {
        DEATHS.incrementAndGet();
    }

    /**
     * Builds a chain of {@code n} pairs, values 0 to n - 1, and returns its head.
     *
     * @param n how many pairs, 1 to 10,000,000
     * @return the only reference to the head
     * @throws IllegalArgumentException if {@code n} is out of range
     */
    public static Pair chain(int n) {
        if (n < 1 || n > 10_000_000) {
            throw new IllegalArgumentException("a chain has 1 to 10,000,000 pairs, not " + n);
        }
        Pair head = Pair.create(n - 1);
        for (int i = n - 2; i >= 0; i--) {
            try (Pair rest = head) {
                head = Pair.create(i);
                head.next(rest);
            }
        }
        return head;
    }
}
