package org.cypclass.examples;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Init;

/** A linked-list node: a reference field of its own type. */
@Cypclass
public class Node extends Cy_Node {

    interface Fields {
        long payload();

        Node next();
    }

    @Init
    void init(long payload, Node next) {
        payload(payload);
        next(next);
    }
}
