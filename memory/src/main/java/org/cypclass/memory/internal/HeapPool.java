package org.cypclass.memory.internal;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
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
 * reach in time is retired by a daemon thread once its owner {@code Thread} object is
 * collected, so its free blocks are not stranded if no thread comes after it; that is the
 * only path on which a heap's counters are folded away and its regions' tails shelved.
 *
 * <p>That fallback rides on the weak reference each heap keeps to its owner, registered with
 * {@link #COLLECTED}, rather than on a {@code Cleaner}: a cleanable stays strongly reachable
 * (with its heap) until its thread is collected, so a million short threads left a million
 * cleanables and heaps to copy through young collections. A heap that was handed over
 * becomes garbage with its reference, which is then never enqueued: the collector does no
 * more for it than for any short-lived object.
 *
 * <p>Thread-safety: safe to use from any thread; one lock, taken once per thread lifetime (at the
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

    /** Where the collector puts a heap's owner reference once the owner {@code Thread} is collected. */
    static final ReferenceQueue<Thread> COLLECTED = new ReferenceQueue<>();

    static {
        Thread retirer = new Thread(HeapPool::retireCollected, "cypclass-local-heap-retirer");
        retirer.setDaemon(true);
        retirer.start();
    }

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
                    continue;   // retired: dropped here, at no cost to the scan
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
        return heap;
    }

    /** The retirer thread's loop: retires each heap whose owner was collected, unless an heir took it over first. */
    private static void retireCollected() {
        while (true) {
            Reference<? extends Thread> collected;
            try {
                collected = COLLECTED.remove();
            } catch (InterruptedException e) {
                continue;   // nobody may stop the retirer: it is the fallback for every heap
            }
            try {
                retire(((LocalHeap.OwnerReference) collected).heap);
            } catch (RuntimeException | Error e) {
                // A corrupt free list found while handing it over: report it, keep retiring the others.
                System.getLogger("org.cypclass.memory").log(System.Logger.Level.ERROR,
                    "retiring the heap of a collected thread failed", e);
            }
        }
    }

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

    /** {@return how many heaps the retirer thread retired} */
    static long retiredCount() {
        synchronized (HEAPS) {
            return retired;
        }
    }
}
