package org.cypclass.memory.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongConsumer;

/**
 * The work other threads hand to one thread, because only that thread may touch its
 * thread-local objects: releases of garbage-collected references that a cleaner found
 * unreachable ({@link RefCount#releaseGc}), and destructions of objects whose last reference
 * C released on another thread ({@link RefCount#lastReleasedByC}). Each {@link LocalHeap}
 * has one, for its thread.
 *
 * <p>The owner applies the entries at its next object allocation or
 * {@link LocalHeap#releaseDeferred} call; once it has ended, its objects are orphans and
 * whoever finds entries left applies them as orphan releases ({@link Orphans}). Telling
 * whether the owner has ended, and who drains then, is the heap's lifecycle
 * ({@link LocalHeap#deferRelease}, {@link LocalHeap#reportOrphans}), not this class's. Nobody
 * waits for this work, so a failure (a destructor that threw) is logged, as a {@code Cleaner}
 * would, rather than thrown into unrelated code.
 *
 * <p>Thread-safety: any thread offers; the owner, or after it the orphans' appliers, poll, and
 * each entry is polled exactly once, so no two appliers ever apply the same one.
 */
final class DeferredWork {

    private static final System.Logger LOG = System.getLogger("org.cypclass.memory");
    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(DeferredWork.class, "pending", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The owner's id, to name it in a failure report. */
    private final long ownerId;
    /**
     * Objects whose garbage-collected reference is to be released. Offered by any thread,
     * polled by the owner or, once it has ended, by whoever applies orphans. The queue is the
     * synchronization: an offer happens before the poll that returns it.
     */
    private final ConcurrentLinkedQueue<Long> releases = new ConcurrentLinkedQueue<>();
    /**
     * Objects whose count C took to zero: not yet marked dead, which only the owner may do.
     * Same threads and same synchronization as {@link #releases}.
     */
    private final ConcurrentLinkedQueue<Long> destructions = new ConcurrentLinkedQueue<>();
    /**
     * How many entries were offered and not yet polled; only through {@link #PENDING}. An
     * offering thread adds one (volatile {@code getAndAdd}) after its offer and a poller
     * subtracts one after each poll, so the value may dip below zero for the instant between
     * another thread's offer and its add. The owner reads it <b>opaque</b>, on every object
     * allocation: a non-zero value only sends it to poll the queues, which order themselves,
     * and a zero that misses an offer in flight leaves that entry to its next check, which
     * sees the add since an opaque read is not hoisted out of an allocation loop.
     */
    @SuppressWarnings("unused")     // through PENDING
    private int pending;

    DeferredWork(long ownerId) {
        this.ownerId = ownerId;
    }

    /** Queues the release of one garbage-collected reference to {@code object}. Any thread. */
    void offerRelease(long object) {
        releases.offer(object);
        PENDING.getAndAdd(this, 1);
    }

    /** Queues the destruction of {@code object}, whose count C took to zero. Any thread. */
    void offerDestruction(long object) {
        destructions.offer(object);
        PENDING.getAndAdd(this, 1);
    }

    /**
     * {@return whether nothing seems to be pending} One opaque load (see {@link #pending}), all
     * that the owner's allocation path pays while nobody hands it work.
     */
    boolean seemsEmpty() {
        return (int) PENDING.getOpaque(this) == 0;
    }

    /**
     * {@return whether an entry is queued} Reads the queues themselves (volatile), not the
     * count, which an offer updates only after its entry is in: what the heap pool's
     * hand-over relies on ({@link LocalHeap#deferRelease}).
     */
    boolean isQueued() {
        return !releases.isEmpty() || !destructions.isEmpty();
    }

    /**
     * Applies every queued entry on the owner thread, the caller.
     *
     * @return how many references were released plus how many objects were destroyed
     */
    int applyOnOwner() {
        return drain(releases, RefCount::releaseGc,
                "releasing a garbage-collected reference failed; the object was freed regardless")
            + drain(destructions, RefCount::destroyHandedOver,
                "destroying an object whose last reference C released on another thread failed");
    }

    /** Applies every queued entry on the calling thread, as orphan releases: the owner has ended. */
    void applyAsOrphans() {
        drain(releases, Orphans::releaseGcAnywhere,
            "releasing a garbage-collected reference of %s, which has ended, failed");
        drain(destructions, Orphans::destroyHandedOver,
            "destroying an object of %s, which has ended, whose last reference C released on another thread failed");
    }

    /**
     * The one drain loop: polls each entry of {@code queue} and applies {@code action} to it;
     * a failure is logged with {@code failure} (a format whose {@code %s}, if any, names the
     * owner) and the loop goes on.
     */
    private int drain(ConcurrentLinkedQueue<Long> queue, LongConsumer action, String failure) {
        int applied = 0;
        for (Long object; (object = queue.poll()) != null; applied++) {
            PENDING.getAndAdd(this, -1);
            try {
                action.accept(object);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, failure.formatted(ThreadNames.ofId(ownerId)), e);
            }
        }
        return applied;
    }
}
