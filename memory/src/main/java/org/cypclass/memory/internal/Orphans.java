package org.cypclass.memory.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Thread-local objects whose owner thread has terminated: <em>orphans</em>. Nobody could use
 * or release them before; now any thread may, under one rule.
 *
 * <h2>The rule</h2>
 * <ul>
 *   <li><b>Use adopts.</b> A thread that uses an orphan through an owned or garbage-collected
 *       reference (a field access, {@code newReference}, a retain) takes it over for good: one
 *       compare-and-set of {@code ob_owner} from the dead owner's id to its own, so that of two
 *       threads racing to adopt one orphan exactly one wins and the other gets the
 *       {@link WrongThreadException} any non-owner gets. The stamp is renewed, so borrowed
 *       references taken under the dead owner fail. The adopter then follows the object's
 *       references ({@link ReferenceVisitor}) and adopts, the same way, every object reachable
 *       from it that still belongs to the same dead thread, with an explicit stack: a graph is
 *       usable as a whole, its fields read without surprises.</li>
 *   <li><b>Release does not adopt.</b> A thread that only gives a count back (closes a
 *       reference, a collected garbage-collected reference, a field of a dying object) holds
 *       the orphan for the length of that release: the same compare-and-set, the decrement,
 *       and, if the object survived, a volatile store of the dead owner's id back. The object
 *       stays an orphan, so that whoever holds its other references can still use or release
 *       it, and the library's own threads (the reference cleaner, the thread that applies a
 *       dead heap's deferred releases) never end up owning what they do not hold. If the count
 *       reaches zero, the object is destroyed on the releasing thread, and the releases its
 *       destructor makes of fields that belong to the dead thread are handled the same way,
 *       inside the destruction.</li>
 *   <li>A thread that meets an orphan held for an instant by another thread's release (its
 *       heap's {@link LocalHeap#holdingOrphan} names the object) waits the instant out, so
 *       racing releases are exact and none is refused.</li>
 * </ul>
 *
 * <h2>Why plain counts stay exact</h2>
 * The dead owner updated the count with plain stores. The adopter first sees the owner
 * terminated: {@link Thread#isAlive()} returning false (for platform and virtual threads), or
 * the owner's heap gone from {@link LocalHeap#ofThread}, which the heap pool removes only after
 * it saw the same (or after the owner {@code Thread} was collected, which it cannot be while
 * it runs). The owner's last action synchronizes-with that observation (JLS 17.4.4), so every
 * plain write it made happens before the compare-and-set, and the winner's plain loads see
 * them. The compare-and-set is volatile: after it, the winner's plain updates are its own; a
 * loser reads the winner's id and is refused. A temporary holder hands the object back with a
 * volatile store, which the next compare-and-set reads from: its plain writes happen before
 * the next holder's. Thread ids are never reused, so a dead id never comes back to life, and
 * every id in an {@code ob_owner} word belongs to a thread that registered a heap first (an
 * adopter gets its heap before the compare-and-set), so "no heap" means "ended".
 *
 * <p>Everything here runs on the slow paths (a refused fast path, the cleaner, the leak
 * report); the hot paths are unchanged.
 *
 * <p>Thread-safety: safe to use from any thread; the protocol above is the synchronization.
 */
public final class Orphans {

    private Orphans() {
    }

    /**
     * Returns the id of the terminated thread that owns {@code object} if it is an orphan, else
     * 0, waiting out an instant in which another thread's release holds it.
     */
    static long deadOwner(long object) {
        long me = Thread.currentThread().threadId();
        while (true) {
            long owner = RefCount.ownerVolatile(object);
            if (owner <= 0 || owner == me) {
                return 0;   // dead (0), shared (-1), or ours
            }
            LocalHeap heap = LocalHeap.ofThread(owner);
            if (heap == null || heap.ownerTerminated()) {
                return owner;
            }
            if (heap.holdingOrphan != object) {
                if (RefCount.ownerVolatile(object) != owner) {
                    continue;   // that thread handed it back between the two reads: look again
                }
                return 0;   // thread-local to a live thread
            }
            Thread.onSpinWait();
        }
    }

    /**
     * {@return whether {@code object} is an orphan now: thread-local to a thread that has
     * terminated}
     *
     * @param object a live object
     */
    public static boolean isOrphan(long object) {
        return deadOwner(object) != 0;
    }

    /**
     * Makes the calling thread the owner of {@code object} if it is an orphan, and of every
     * object reachable from it that belongs to the same dead thread.
     *
     * @param object a live object
     * @return whether the calling thread owns it now (it did already, or adopted it); false if
     *         it is shared, dead, or thread-local to a live thread (which may have just won it),
     *         or if its stamps are exhausted ({@link Allocator#canRenewStamp})
     */
    public static boolean adopt(long object) {
        long me = Thread.currentThread().threadId();
        // Registers this thread's heap before its id can appear in any header (see class doc).
        LocalHeap.current();
        while (true) {
            long dead = deadOwner(object);
            if (dead == 0) {
                return RefCount.ownerVolatile(object) == me;
            }
            if (!Allocator.canRenewStamp(object, 1)) {
                return false;   // an exhausted stamp cannot change: it stays with its dead owner
            }
            if (RefCount.casOwner(object, dead, me)) {
                Allocator.renewStamp(object);
                adoptGraph(object, dead, me);
                return true;
            }
        }
    }

    /** Adopts what {@code root} reaches that still belongs to {@code dead}; an explicit stack, no recursion. */
    private static void adoptGraph(long root, long dead, long me) {
        long[][] stack = {new long[16]};
        int[] top = {0};
        stack[0][top[0]++] = root;
        ReferenceVisitor.Slot adoptChild = (offset, target) -> {
            // A child still owned by the dead thread is adopted; one another thread won, or a
            // shared or live one, is left as it is: only objects this thread now owns are read.
            if (RefCount.ownerVolatile(target) == dead && Allocator.canRenewStamp(target, 1)
                    && RefCount.casOwner(target, dead, me)) {
                Allocator.renewStamp(target);
                if (top[0] == stack[0].length) {
                    stack[0] = Arrays.copyOf(stack[0], 2 * top[0]);
                }
                stack[0][top[0]++] = target;
            }
        };
        while (top[0] > 0) {
            long object = stack[0][--top[0]];
            BlockTypes.references(Allocator.typeOf(object)).forEachReference(object, adoptChild);
        }
    }

    /**
     * Gives back one reference (nogil, or garbage-collected if {@code gc}) to an orphan on its
     * dead owner's behalf, holding it only for the release (see the class doc).
     *
     * @param object a live object
     * @param gc whether the reference is a garbage-collected one
     * @return null if {@code object} is not an orphan (the caller refuses as before), else
     *         whether the release destroyed it
     */
    static Boolean releaseOnBehalf(long object, boolean gc) {
        long me = Thread.currentThread().threadId();
        LocalHeap heap = LocalHeap.current();
        while (true) {
            long dead = deadOwner(object);
            if (dead == 0) {
                return null;
            }
            long previous = heap.holdingOrphan;
            // Announced before the compare-and-set, so that a thread that reads this thread's id
            // in ob_owner also sees why, and waits instead of refusing.
            heap.holdingOrphan = object;
            if (!RefCount.casOwner(object, dead, me)) {
                heap.holdingOrphan = previous;
                continue;
            }
            long stampAt = Allocator.stampAddress(object);
            long stamp = Allocator.stamp(stampAt);
            boolean died = false;
            try {
                died = gc ? RefCount.releaseGc(object) : RefCount.release(object);
                return died;
            } finally {
                // Still the same allocation, not dead, still ours (a failed release changed nothing):
                // back to the dead owner. A destroyed object's block may already hold a new object.
                if (!died && Allocator.stamp(stampAt) == stamp && RefCount.ownerVolatile(object) == me) {
                    RefCount.setOwnerVolatile(object, dead);
                }
                heap.holdingOrphan = previous;
            }
        }
    }

    /**
     * Releases a garbage-collected reference from whichever thread the collector runs its
     * action on: directly if the caller may (shared, its own, or an orphan), else handed to
     * the owner thread's heap ({@link LocalHeap#deferRelease}), which applies it itself or,
     * if the owner has ended meanwhile, on the calling thread.
     *
     * @param object a live object with at least one garbage-collected reference
     * @return whether the release destroyed the object on this thread
     * @throws org.cypclass.memory.IllegalRefCountException if the object is dead
     */
    public static boolean releaseGcAnywhere(long object) {
        long me = Thread.currentThread().threadId();
        while (true) {
            long owner = RefCount.ownerVolatile(object);
            if (owner > 0 && owner != me) {
                LocalHeap heap = LocalHeap.ofThread(owner);
                if (heap != null && !heap.ownerTerminated() && heap.holdingOrphan != object) {
                    heap.deferRelease(object);
                    return false;
                }
            }
            try {
                return RefCount.releaseGc(object);
            } catch (WrongThreadException adoptedMeanwhile) {
                // Refused before anything moved: a live thread adopted it since; hand it there.
            }
        }
    }

    /**
     * Destroys an orphan whose count C took to zero on another thread and whose owner ended
     * before doing it ({@link LocalHeap#deferDestruction}).
     */
    static void destroyHandedOver(long object) {
        long dead = deadOwner(object);
        if (dead != 0 && RefCount.casOwner(object, dead, Thread.currentThread().threadId())) {
            RefCount.destroyHandedOver(object);
        } else {
            throw new IllegalStateException("the destruction of " + RefCount.describe(object)
                + " handed over by C cannot run: its owner changed since (owner " + RefCount.owner(object) + ")");
        }
    }

    /** Receives each orphan of a heap walk. */
    @FunctionalInterface
    public interface OrphanVisitor {
        /**
         * Receives one orphan.
         *
         * @param object its address
         * @param typeId its type
         * @param size its block's usable size
         * @param ownerThreadId the id of the terminated thread that owns it
         */
        void visit(long object, int typeId, long size, long ownerThreadId);
    }

    /**
     * Visits every orphan: a live object thread-local to a thread that has terminated and that
     * nobody adopted. A heap walk, exact while no thread allocates, frees or adopts.
     *
     * @param visitor receives each orphan
     */
    public static void forEach(OrphanVisitor visitor) {
        Map<Long, Boolean> ended = new HashMap<>();
        Allocator.forEachLiveBlock((block, typeId, size) -> {
            if (!RefCount.isObject(block, typeId, size)) {
                return;
            }
            long owner = RefCount.ownerVolatile(block);
            if (owner > 0 && ended.computeIfAbsent(owner, Orphans::hasEnded)) {
                visitor.visit(block, typeId, size, owner);
            }
        });
    }

    /** Whether a thread that owned objects has ended: see the class doc for why "no heap" means so. */
    private static boolean hasEnded(long threadId) {
        LocalHeap heap = LocalHeap.ofThread(threadId);
        return heap == null || heap.ownerTerminated();
    }
}
