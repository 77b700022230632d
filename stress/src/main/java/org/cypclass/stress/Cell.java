package org.cypclass.stress;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Dealloc;
import org.cypclass.objects.Init;

/**
 * The cypclass the tests of the public layers ({@code Locked}, {@code Isolated}, actors) race
 * on: two plain fields that a torn or lost update would set apart, a child for two-object
 * graphs, and the token of the test instance that made it, under which its destructor counts
 * its death ({@link Deaths}), so that a test can tell "freed exactly once" from a leak or a
 * double destruction.
 */
@Cypclass
public class Cell extends Cy_Cell {

    interface Fields {
        long token();

        int left();

        int right();

        Cell child();
    }

    @Init
    void init(long token, int value) {
        token(token);
        left(value);
        right(value);
    }

    /** Adds one to both fields, one plain store at a time. */
    public void incrementBoth() {
        int l = left();
        int r = right();
        left(l + 1);
        right(r + 1);
    }

    @Dealloc
    void dealloc() {
        Deaths.record(token());
    }
}
