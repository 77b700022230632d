package org.cypclass.benchmarks.liveset;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/**
 * The live-set benchmark's record as a cypclass: two longs and a reference to another record,
 * off the Java heap ({@link CypLiveSet}). Its plain-Java twin is {@link JavaLiveSet.Rec}.
 */
@Cypclass
public class LiveRecord extends Cy_LiveRecord {

    interface Fields {
        long key();

        long value();

        LiveRecord next();
    }

    @Init
    void init(long key, long value, LiveRecord next) {
        key(key);
        value(value);
        next(next);
    }
}
