package org.cypclass.examples;

import org.cypclass.objects.Cypclass;

/**
 * A generic cypclass whose type parameter is bounded by a cypclass: its field is a
 * {@code struct org_cypclass_examples_Node *} in C, and stores are checked against {@code Node}.
 *
 * @param <N> the class of the head, a Node
 */
@Cypclass
public class Chain<N extends Node> extends Cy_Chain<N> {

    interface Fields<N extends Node> {
        N head();

        long length();
    }

    /**
     * Reads the head's payload through its bound.
     *
     * @return the head's payload, or -1 without a head
     */
    public long headPayload() {
        Node head = head();
        return head == null ? -1 : head.payload();
    }
}
