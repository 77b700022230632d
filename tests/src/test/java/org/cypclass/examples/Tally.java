package org.cypclass.examples;

import java.util.concurrent.atomic.AtomicLong;

import org.cypclass.objects.Cypclass;
import org.cypclass.objects.Dealloc;

/**
 * What the actor tests send messages to: a running total and count, the last sequence number
 * seen from each of two senders and how many arrived out of order, and a neighbour to forward to.
 */
@Cypclass
public class Tally extends Cy_Tally {

    /** How many tallies have been destroyed, by any thread. */
    public static final AtomicLong DEATHS = new AtomicLong();

    interface Fields {
        long total();

        long count();

        long lastA();

        long lastB();

        long disorder();
    }

    /**
     * Adds {@code value} and counts the message.
     *
     * @param value what to add
     * @return the new total
     */
    public long add(long value) {
        total(total() + value);
        count(count() + 1);
        return total();
    }

    /**
     * Records message {@code sequence} of sender A or B, counting any that comes out of order.
     *
     * @param fromA whether sender A sent it
     * @param sequence 1, 2, 3, ... per sender
     */
    public void record(boolean fromA, long sequence) {
        long last = fromA ? lastA() : lastB();
        if (sequence != last + 1) {
            disorder(disorder() + 1);
        }
        if (fromA) {
            lastA(sequence);
        } else {
            lastB(sequence);
        }
        add(sequence);
    }

    /**
     * Adds a node's payload: its asynchronous form checks that the node may cross threads.
     *
     * @param node a node to read, frozen when sent to an actor
     * @return the new total
     */
    public long absorb(Node node) {
        return add(node.payload());
    }

    /**
     * Adds every value: a mutable array cannot be sent, so this method has no asynchronous form.
     *
     * @param values what to add
     */
    public void addAll(long[] values) {
        for (long value : values) {
            add(value);
        }
    }

    /**
     * Returns its argument: a cypclass result, exported by the asynchronous form when frozen.
     *
     * @param node any node
     * @return {@code node}
     */
    public Node echo(Node node) {
        return node;
    }

    @Dealloc
    void dealloc() {
        DEATHS.incrementAndGet();
    }
}
