package org.cypclass.examples;

import java.util.concurrent.atomic.AtomicLong;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Equals;
import org.cypclass.objects.Hash;
import org.cypclass.objects.Init;

/**
 * A key compared by content: two points are equal when their coordinates are, whatever the
 * instances. Counts the calls of its {@code @Hash} and {@code @Equals} methods, so that tests
 * can tell when the containers run user code.
 */
@Cypclass
public class Point extends Cy_Point {

    /** Calls of {@link #hash()}, all threads. */
    public static final AtomicLong HASHES = new AtomicLong();
    /** Calls of {@link #equals(Point)}, all threads. */
    public static final AtomicLong EQUALITIES = new AtomicLong();

    interface Fields {
        long x();

        long y();
    }

    @Init
    void init(long x, long y) {
        x(x);
        y(y);
    }

    @Hash
    long hash() {
        HASHES.incrementAndGet();
        return 31 * x() + y();
    }

    @Equals
    boolean equals(Point other) {
        EQUALITIES.incrementAndGet();
        return x() == other.x() && y() == other.y();
    }
}
