package org.cypclass.objects.actors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An actor's mailbox: an unbounded, lock-free multi-producer single-consumer queue (Dmitry
 * Vyukov's intrusive MPSC node queue).
 *
 * <p>A producer swaps its node into {@link #tail} with one atomic exchange, then links the
 * previous tail to it with a release store; that exchange is the linearization point, so each
 * sender's messages come out in the order it sent them. The consumer follows {@code next} links
 * from {@link #head} with acquire loads. Between a producer's exchange and its link the queue
 * is briefly "in transit": the consumer sees no next node although the tail moved, and must
 * not conclude that the queue is empty ({@link #isEmpty} looks at the tail for that).
 *
 * <p>Memory ordering: everything a producer wrote before {@link #offer} happens before the
 * consumer's {@link #poll} returns its message (release store of {@code next}, acquire load).
 *
 * <p>Thread-safety: {@link #offer} from any thread; {@link #poll} and {@link #isEmpty} from one
 * consumer at a time (the worker running the actor, which the scheduler makes exclusive).
 */
final class Mailbox {

    /** One queued message. */
    static final class Node {
        /** Written once by the producer that links the next node (release), read by the consumer (acquire). */
        volatile Node next;
        /** The message; cleared by the consumer when it takes it. */
        Object message;

        Node(Object message) {
            this.message = message;
        }
    }

    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(Mailbox.class, "tail", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The last node; producers exchange it. */
    @SuppressWarnings("unused")     // through TAIL
    private volatile Node tail;
    /** The consumer's stub: the node before the next message. Consumer-only. */
    private Node head;

    Mailbox() {
        Node stub = new Node(null);
        head = stub;
        tail = stub;
    }

    /**
     * Queues a message, from any thread.
     *
     * @param message not null
     */
    void offer(Object message) {
        Node node = new Node(message);
        Node previous = (Node) TAIL.getAndSet(this, node);
        NEXT.setRelease(previous, node);
    }

    /**
     * Takes the oldest message, waiting out a producer caught between its exchange and its link.
     *
     * @return the message, or null if the queue is empty
     */
    Object poll() {
        Node current = head;
        Node next = (Node) NEXT.getAcquire(current);
        if (next == null) {
            if ((Node) TAIL.getVolatile(this) == current) {
                return null;
            }
            do {
                Thread.onSpinWait();    // a producer has swapped the tail and is about to link it
                next = (Node) NEXT.getAcquire(current);
            } while (next == null);
        }
        head = next;
        Object message = next.message;
        next.message = null;
        return message;
    }

    /**
     * Tells whether nothing is queued or in transit.
     *
     * @return true if a {@link #poll} now would find nothing and no producer is mid-offer
     */
    boolean isEmpty() {
        return (Node) TAIL.getVolatile(this) == head;
    }
}
