package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Equals;
import org.cypclass.objects.Hash;
import org.cypclass.objects.Init;

/**
 * A key whose {@code int} hash collides on purpose: every id with the same remainder by 3 has the
 * same hash, so the containers must tell keys apart by their {@code @Equals} method alone.
 */
@Cypclass
public class Clash extends Cy_Clash {

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
        return id() == other.id();
    }
}
