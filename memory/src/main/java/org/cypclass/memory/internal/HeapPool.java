package org.cypclass.memory.internal;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;

/**
 * Every {@link LocalHeap} in use, so that a thread starting after another one ended takes
 * over the dead thread's free lists, region and counters instead of getting fresh ones.
 * Without this, each short-lived thread left behind a carved-into region (at least a
 * resident page) and a heap waiting for the garbage collector.
 *
 * <p>A heap's life, its {@link LocalHeap#state} guarded by the pool's lock:
 * <pre>
 *   ACTIVE --(a new thread finds its owner terminated)--&gt; HANDED_OVER  (an heir carries on its memory)
 *   ACTIVE --(the owner Thread is collected first)------&gt; RETIRED      (memory given to the shared pools)
 * </pre>
 * The two transitions are made under the one lock from {@code ACTIVE} only, so a heap is
 * taken over or retired, never both, and never while its owner runs.
 *
 * <p>{@link #acquire} looks at up to {@value #SCAN} heaps from the head of a FIFO, rotating
 * the live ones to the tail, so each thread's first allocation costs amortised O(1) and
 * successive threads look at different heaps. It takes over the first heap whose owner has
 * terminated; only when it finds none does it create a heap. A dead heap the scans do not
 * reach in time is retired by a {@link Cleaner} once its owner {@code Thread} object is
 * collected, so its free blocks are not stranded if no thread comes after it; that is the
 * only path on which a heap's counters are folded away and its region tail shelved.
 *
 * <p>Thread-safety: safe from any thread; one lock, taken once per thread lifetime (at the
 * thread's first allocation) and once per retirement, never on the allocation hot path.
 */
final class HeapPool {

    /** Heaps examined per acquisition: enough to find a dead one among a few live ones, cheap under the lock. */
    static final int SCAN = 4;

    /** The heap's owner may still run; only its owner touches its memory. */
    static final int ACTIVE = 0;
    /** An heir took its memory over; nothing may touch it through this heap any more. */
    static final int HANDED_OVER = 1;
    /** Its memory went to {@link CentralFreeLists}, {@link ChunkSpace} and {@link Accounting}. */
    static final int RETIRED = 2;

    private static final Cleaner RETIRER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "cypclass-local-heap-retirer");
        thread.setDaemon(true);
        return thread;
    });

    /** Heaps in {@code ACTIVE} state, plus retired ones not yet dropped by a scan; guarded by itself. */
    private static final ArrayDeque<LocalHeap> HEAPS = new ArrayDeque<>();
    /** Statistics for tests and diagnostics; guarded by {@code HEAPS}. */
    private static long created;
    private static long handedOver;
    private static long retired;

    private HeapPool() {
    }

    /**
     * Gives the calling thread a heap: a dead thread's memory under a new heap when a scan
     * finds one, else a new heap. Call once per thread, from that thread.
     */
    static LocalHeap acquire() {
        Thread thread = Thread.currentThread();
        LocalHeap heap = null;
        LocalHeap predecessor = null;
        synchronized (HEAPS) {
            for (int examined = 0; examined < SCAN && !HEAPS.isEmpty(); ) {
                LocalHeap candidate = HEAPS.pollFirst();
                if (candidate.state != ACTIVE) {
                    continue;   // retired by the cleaner: dropped here, at no cost to the scan
                }
                examined++;
                if (candidate.ownerTerminated()) {
                    candidate.state = HANDED_OVER;
                    predecessor = candidate;
                    heap = new LocalHeap(thread, candidate);
                    handedOver++;
                    break;
                }
                HEAPS.addLast(candidate);
            }
            if (heap == null) {
                heap = new LocalHeap(thread, null);
                created++;
            }
            HEAPS.addLast(heap);
        }
        if (predecessor != null) {
            predecessor.reportOrphans();
        }
        // The heap, not the thread: the action must not keep the thread reachable.
        LocalHeap registered = heap;
        RETIRER.register(thread, () -> retire(registered));
        return heap;
    }

    /** The cleaner's action: retires the heap unless an heir took it over first. */
    private static void retire(LocalHeap heap) {
        synchronized (HEAPS) {
            if (heap.state != ACTIVE) {
                return;
            }
            heap.state = RETIRED;
            retired++;
        }
        // RETIRED is final and was set under the lock, so no scan will hand this heap over:
        // the work below needs no lock of the pool's.
        heap.retire();
    }

    /** {@return how many heaps were created since the JVM started} */
    static long createdCount() {
        synchronized (HEAPS) {
            return created;
        }
    }

    /** {@return how many times a new thread took over a dead thread's heap} */
    static long handedOverCount() {
        synchronized (HEAPS) {
            return handedOver;
        }
    }

    /** {@return how many heaps the cleaner retired} */
    static long retiredCount() {
        synchronized (HEAPS) {
            return retired;
        }
    }
}
