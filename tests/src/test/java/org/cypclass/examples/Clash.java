package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Equals;
import org.cypclass.objects.Hash;
import org.cypclass.objects.Init;

/**
 * A key whose {@code int} hash collides on purpose: every id with the same remainder by 3 has the
 * same hash, so the containers must tell keys apart by their {@code @Equals} method alone. Its
 * {@code @Hash} is an {@code int}, and its methods are not named {@code hash} and
 * {@code equals}: the annotations name them.
 */
@Cypclass
public class Clash extends Cy_Clash {

    /** Run by every {@link #sameId} call when set: lets a test change a container from inside a lookup. */
    public static volatile Runnable whileComparing;

    interface Fields {
        long id();
    }

    @Init
    void init(long id) {
        id(id);
    }

    @Hash
    public int bucket() {
        return (int) Math.floorMod(id(), 3L);
    }

    @Equals
    public boolean sameId(Clash other) {
        Runnable hook = whileComparing;
        if (hook != null) {
            hook.run();
        }
        return id() == other.id();
    }
}
