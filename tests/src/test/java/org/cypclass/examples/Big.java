package org.cypclass.examples;

import org.cypclass.objects.Cypclass;

/**
 * An instance larger than the allocator's size classes (8,800 bytes of array): a big block
 * that goes back to the C library when it dies.
 */
@Cypclass
public class Big extends Cy_Big {

    interface Fields {
        @org.cypclass.objects.Length(1100) long[] data();

        Big next();
    }
}
