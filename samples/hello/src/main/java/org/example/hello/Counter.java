package org.example.hello;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** A counter that lives off-heap: its field is named in {@code Fields}, its methods are plain Java. */
@Cypclass
public class Counter extends Cy_Counter {

    interface Fields {
        long count();
    }

    @Init
    void init(long start) {
        count(start);
    }

    /**
     * Adds to the count.
     *
     * @param n what to add
     * @return the new count
     */
    public long add(long n) {
        count(count() + n);
        return count();
    }
}
