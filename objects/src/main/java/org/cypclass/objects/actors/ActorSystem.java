package org.cypclass.objects.actors;

import java.lang.System.Logger.Level;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The workers that run active objects' messages: a work-stealing pool of N platform threads
 * (a {@link ForkJoinPool} in FIFO mode: each worker keeps a local queue of actors ready to run,
 * idle workers steal from the others and park when there is nothing to steal).
 *
 * <pre>{@code
 * try (ActorSystem system = ActorSystem.start()) {
 *     Active<Adder> adder = Isolated.consume(Adder.create(0)).activate(system);
 *     adder.tell(a -> a.add(3));                               // fire and forget
 *     int sum = adder.ask(a -> a.add(4)).join();               // 7
 *     adder.close();
 * }                                                            // drains, then stops
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>An actor runs one message at a time; messages of one sender run in the order sent;
 *       different actors run in parallel on all workers.</li>
 *   <li>A message that throws: an {@code ask} completes its future exceptionally; a
 *       {@code tell} is reported to this system's logger (and counted, {@link #failures()});
 *       the actor keeps running.</li>
 *   <li>{@link #close()} refuses new messages from outside, runs everything queued (messages
 *       sent by actors while draining included), then stops the workers: nothing queued is
 *       lost, nothing runs twice.</li>
 * </ul>
 *
 * <p>Thread-safety: safe to use from any thread.
 */
public final class ActorSystem implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("org.cypclass.objects.actors");
    private static final AtomicInteger SYSTEMS = new AtomicInteger();

    final ForkJoinPool pool;
    private final int workers;
    private volatile boolean closing;
    /** Actors scheduled or running: close waits until none is. */
    private final LongAdder activeActors = new LongAdder();
    private final LongAdder failures = new LongAdder();

    private ActorSystem(int workers) {
        this.workers = workers;
        int id = SYSTEMS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = pool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName("cypclass-actors-" + id + "-worker-" + threads.incrementAndGet());
            return thread;
        };
        this.pool = new ForkJoinPool(workers, factory, null, true);
    }

    /**
     * Starts a system with one worker per available processor.
     *
     * @return the running system, to close when done
     */
    public static ActorSystem start() {
        return start(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts a system with {@code workers} worker threads.
     *
     * @param workers from 1 to 32767
     * @return the running system, to close when done
     * @throws IllegalArgumentException if {@code workers} is out of range
     */
    public static ActorSystem start(int workers) {
        if (workers < 1 || workers > 32767) {
            throw new IllegalArgumentException("an actor system has 1 to 32767 workers, not " + workers);
        }
        return new ActorSystem(workers);
    }

    /**
     * Returns how many worker threads run messages.
     *
     * @return the number given to {@link #start(int)}
     */
    public int workers() {
        return workers;
    }

    /**
     * {@return how many {@code tell} (fire-and-forget) messages have thrown so far}
     */
    public long failures() {
        return failures.sum();
    }

    /**
     * {@return whether {@link #close()} has begun}
     */
    public boolean isClosed() {
        return closing;
    }

    /**
     * Stops accepting messages from outside the system, runs every queued message (and those
     * its actors send while draining), then stops the workers. Does nothing the second time.
     * A send racing with close is either refused ({@link IllegalStateException}) or its message
     * runs, never lost: a sender that passed the open check just before close began, and finds
     * the workers stopped when it schedules its actor, runs that actor's queued messages on its
     * own thread before it returns (such a message may then run after close has returned).
     *
     * @throws IllegalStateException if called from inside a message of this system (it would
     *         wait for itself)
     */
    @Override
    public void close() {
        if (ActorCell.isWorkerOf(pool)) {
            throw new IllegalStateException("cannot close " + this + " from inside one of its messages: closing waits"
                + " for every message to finish");
        }
        closing = true;
        boolean interrupted = false;
        while (activeActors.sum() != 0) {
            pool.awaitQuiescence(10, TimeUnit.MILLISECONDS);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        pool.shutdown();
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Refuses a sender once closing, unless it is a message of this system draining. A sender
     * that passed this check while close began still has its message run: its actor is either
     * scheduled already (close waits for it to drain, its message included) or, if the workers
     * stopped before the sender scheduled it, the sender runs the actor's queued messages itself.
     */
    void checkOpen() {
        if (closing && !ActorCell.isWorkerOf(pool)) {
            throw refused();
        }
    }

    private IllegalStateException refused() {
        return new IllegalStateException("cannot send a message: " + this + " is closed (close() drained it and stopped"
            + " its workers); send before closing, or start another system with ActorSystem.start()");
    }

    void activated() {
        activeActors.increment();
    }

    void deactivated() {
        activeActors.decrement();
    }

    void report(ActorCell cell, Throwable failure) {
        failures.increment();
        LOG.log(Level.WARNING, () -> "a message to " + cell + " threw; the actor keeps running", failure);
    }

    @Override
    public String toString() {
        return "ActorSystem(" + workers + " workers" + (closing ? ", closed" : "") + ")";
    }
}
