package org.cypclass.objects.actors;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An actor's mailbox: an unbounded, lock-free multi-producer single-consumer queue (Dmitry
 * Vyukov's intrusive MPSC node queue) whose nodes are recycled, so that a steady stream of
 * messages allocates nothing.
 *
 * <h2>The queue</h2>
 * A producer swaps its node into {@link #tail} with one atomic exchange, then links the
 * previous tail to it with a release store; that exchange is the linearization point, so each
 * sender's messages come out in the order it sent them. The consumer follows {@code next} links
 * from {@link #head} with acquire loads. Between a producer's exchange and its link the queue
 * is briefly "in transit": the consumer sees no next node although the tail moved, and must
 * not conclude that the queue is empty ({@link #isEmpty} looks at the tail for that).
 *
 * <h2>Recycling</h2>
 * Each producer thread has a {@link Returns}: a free list only it pops (plain), and a stack
 * consumers push used nodes onto (compare-and-set) that it takes whole with one exchange when
 * its free list runs dry. Taking the whole stack at once is what makes the stack safe to use
 * lock-free (no pop of a single node, so no ABA). A node goes back to its producer only once
 * the consumer has moved past it: the consumer's current {@link #head} is the node of the last
 * message taken (the stub), and producers may still link behind the tail, so the node recycled
 * at each step is the previous stub. The consumer gathers used nodes per producer and hands
 * them back in one push ({@link #flushReturns}) at the end of each batch.
 *
 * <p>Memory ordering: everything a producer wrote before {@link #offer} happens before the
 * consumer's {@link #poll} returns its message (release store of {@code next}, acquire load);
 * the consumer's clearing of a used node happens before its reuse (the push is a volatile
 * compare-and-set, the producer's take a volatile exchange).
 *
 * <p>Thread-safety: {@link #offer} from any thread; {@link #poll}, {@link #isEmpty} and
 * {@link #flushReturns} from one consumer at a time (the worker running the actor, which the
 * scheduler makes exclusive and orders).
 */
final class Mailbox {

    /** One queued message. */
    static final class Node {
        /**
         * Written once by the producer that links the next node (release), read by the consumer
         * (acquire); cleared by the consumer before the node is handed back (plain, see recycle).
         */
        volatile Node next;
        /** The message; cleared by the consumer when it takes it. */
        Object message;
        /** The producer thread's recycling lists this node belongs to; null for the first stub. */
        final Returns home;
        /** The link in a free list or a returned stack. */
        Node free;

        Node(Object message, Returns home) {
            this.message = message;
            this.home = home;
        }
    }

    /** One producer thread's nodes: its free list and what consumers have handed back. */
    static final class Returns {
        /** Popped and pushed by its thread only. */
        private Node local;
        /** Pushed by consumers; taken whole by its thread. */
        @SuppressWarnings("unused")     // through RETURNED
        private volatile Node returned;

        /** A node for {@code message}: from the free list, else what came back, else a new one. */
        Node take(Object message) {
            Node node = local;
            if (node == null && (Node) RETURNED.getVolatile(this) != null) {
                node = (Node) RETURNED.getAndSet(this, (Node) null);
            }
            if (node == null) {
                return new Node(message, this);
            }
            local = node.free;
            node.free = null;
            node.message = message;
            return node;
        }

        /** Hands back a chain of used nodes, {@code first} to {@code last} through {@code free}. */
        void giveBack(Node first, Node last) {
            while (true) {
                Node top = (Node) RETURNED.getVolatile(this);
                last.free = top;
                if (RETURNED.compareAndSet(this, top, first)) {
                    return;
                }
            }
        }
    }

    private static final VarHandle TAIL;
    private static final VarHandle NEXT;
    private static final VarHandle RETURNED;
    private static final ThreadLocal<Returns> RETURNS = ThreadLocal.withInitial(Returns::new);

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(Mailbox.class, "tail", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
            RETURNED = lookup.findVarHandle(Returns.class, "returned", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The last node; producers exchange it. */
    @SuppressWarnings("unused")     // through TAIL
    private volatile Node tail;
    /** The consumer's stub: the node of the last message taken. Consumer-only. */
    private Node head;
    /** Used nodes gathered for one producer, not yet handed back. Consumer-only. */
    private Returns pendingHome;
    private Node pendingFirst;
    private Node pendingLast;

    Mailbox() {
        Node stub = new Node(null, null);
        head = stub;
        tail = stub;
    }

    /**
     * Queues a message, from any thread.
     *
     * @param message not null
     */
    void offer(Object message) {
        Node node = RETURNS.get().take(message);
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
        recycle(current);
        return message;
    }

    /** The consumer has moved past {@code used}: no producer or consumer reaches it any more. */
    private void recycle(Node used) {
        Returns home = used.home;
        if (home == null) {
            return;
        }
        // Plain: no producer links behind this node any more (its one link is the one just
        // followed). Whoever touches the link next, a producer linking behind the reused node or
        // a consumer reading it, does so after the node's producer has taken it back through
        // giveBack's compare-and-set and take's exchange, which order this store first.
        NEXT.set(used, (Node) null);
        if (home != pendingHome) {
            flushReturns();
            pendingHome = home;
            pendingLast = used;
        }
        used.free = pendingFirst;
        pendingFirst = used;
    }

    /** Hands the gathered used nodes back to their producer; the consumer calls it after each batch. */
    void flushReturns() {
        if (pendingFirst != null) {
            pendingHome.giveBack(pendingFirst, pendingLast);
            pendingFirst = null;
            pendingLast = null;
            pendingHome = null;
        }
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
