package org.cypclass.tests.memory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.LocalHeap;
import org.cypclass.memory.internal.RefCount;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Short-lived threads: each one's heap memory goes to a later thread instead of being cut
 * fresh, so heaps and regions stay bounded by how many threads run at once, not by how many
 * ever ran.
 */
class ThreadChurnTest {

    /** Sizes no other test uses, so that their free lists tell whose blocks a heap holds. */
    private static final long ODD_SIZE = 3968;
    private static final long OTHER_ODD_SIZE = 6950;
    private static final int PROBE = BlockTypes.register("org.cypclass.tests.ChurnProbe");

    /**
     * Runs {@code threads} threads, at most {@code inFlight} at a time, each creating
     * {@code objects} objects and releasing them, and checks that the heaps created and the
     * regions taken grow by a bounded amount.
     */
    private static void churn(Thread.Builder builder, int threads, int inFlight, int objects) throws InterruptedException {
        long heapsBefore = LocalHeap.createdCount();
        long regionsBefore = Allocator.regionsTaken();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable body = () -> {
            try {
                long[] nodes = new long[objects];
                for (int i = 0; i < objects; i++) {
                    nodes[i] = TestObjects.newNode(0);
                }
                for (long node : nodes) {
                    RefCount.release(node);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread[] ring = new Thread[inFlight];
        for (int i = 0; i < threads; i++) {
            int slot = i % inFlight;
            if (ring[slot] != null) {
                ring[slot].join();
            }
            ring[slot] = builder.start(body);
        }
        for (Thread thread : ring) {
            if (thread != null) {
                thread.join();
            }
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        long heaps = LocalHeap.createdCount() - heapsBefore;
        long regions = Allocator.regionsTaken() - regionsBefore;
        // Before heaps were handed over, each thread created one and cut one region: the
        // bound is the threads in flight with a wide margin for scans that meet only live
        // heaps (the pool also holds other tests' threads), far below one per thread.
        long bound = 4L * inFlight + 64;
        assertTrue(heaps <= bound, threads + " threads, " + inFlight + " at a time, created " + heaps + " heaps; expected at most " + bound);
        assertTrue(regions <= bound, threads + " threads, " + inFlight + " at a time, took " + regions + " regions; expected at most " + bound);
    }

    @Test
    void manyVirtualThreadsShareAFewHeaps() throws Exception {
        churn(Thread.ofVirtual(), 100_000, 32, 10);
    }

    @Test
    void virtualThreadsOneAfterAnotherShareAFewHeaps() throws Exception {
        churn(Thread.ofVirtual(), 20_000, 1, 10);
    }

    @Test
    void manyPlatformThreadsShareAFewHeaps() throws Exception {
        churn(Thread.ofPlatform(), 5_000, 8, 10);
    }

    @Test
    void aHeapIsNeverHandedToALiveThreadsSuccessor() throws Exception {
        // Two threads alive together must get two heaps, however many dead ones the pool holds.
        for (int round = 0; round < 200; round++) {
            AtomicReference<LocalHeap> first = new AtomicReference<>();
            AtomicReference<LocalHeap> second = new AtomicReference<>();
            java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
            Thread a = Thread.ofVirtual().start(() -> holdHeap(first, both));
            Thread b = Thread.ofVirtual().start(() -> holdHeap(second, both));
            a.join();
            b.join();
            assertNotSame(first.get(), second.get(), "round " + round);
        }
    }

    private static void holdHeap(AtomicReference<LocalHeap> seen, java.util.concurrent.CountDownLatch both) {
        LocalHeap heap = LocalHeap.current();
        seen.set(heap);
        heap.free(heap.allocate(PROBE, 32));
        both.countDown();
        try {
            both.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heap.free(heap.allocate(PROBE, 32));
    }

    @Test
    void aSuccessorStartsCleanAndTheDeadOwnersDeferredReleaseIsApplied() throws Exception {
        AtomicReference<LocalHeap> deadHeap = new AtomicReference<>();
        AtomicLong orphan = new AtomicLong();
        AtomicLong freedBlock = new AtomicLong();
        Thread owner = Thread.ofVirtual().start(() -> {
            deadHeap.set(LocalHeap.current());
            orphan.set(TestObjects.newNode(0));
            RefCount.retainGc(orphan.get());     // one garbage-collected reference: two nogil counts
            long block = Allocator.allocate(PROBE, ODD_SIZE);
            Allocator.free(block);
            freedBlock.set(block);
        });
        owner.join();
        // As a reference cleaner would for a garbage-collected reference, after the owner has ended:
        // the owner cannot apply it any more, so it is applied here, on the orphan's behalf.
        deadHeap.get().deferRelease(orphan.get());
        assertEquals(0, RefCount.gcCount(orphan.get()));
        assertEquals(1, RefCount.count(orphan.get()));

        // Threads one after another take the pool's dead heaps over, oldest first; one of them
        // gets the owner's memory (or, had the retirer thread retired it, the central lists do).
        boolean reused = false;
        for (int i = 0; i < 1000 && !reused; i++) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            boolean[] gotIt = new boolean[1];
            Thread successor = Thread.ofVirtual().start(() -> {
                try {
                    LocalHeap heap = LocalHeap.current();
                    assertNotSame(deadHeap.get(), heap, "a new thread got the dead thread's heap object");
                    assertEquals(0, heap.releaseDeferred(), "a new thread applied releases deferred to another");
                    long block = heap.allocate(PROBE, ODD_SIZE);
                    gotIt[0] = block == freedBlock.get();
                    heap.free(block);
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            successor.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            reused = gotIt[0];
        }
        assertTrue(reused, "no later thread got the dead thread's freed block back");
        // The successors left the orphan alone: still one reference, still the dead owner's.
        assertTrue(Allocator.isAllocated(orphan.get()));
        assertEquals(1, RefCount.count(orphan.get()));
        assertEquals(owner.threadId(), RefCount.owner(orphan.get()));
        // Any thread may release it now, on its dead owner's behalf.
        assertTrue(RefCount.release(orphan.get()));
    }

    @Test
    void aDeadThreadsFreeBlocksAreNotStrandedWhenNoThreadFollows() throws Exception {
        AtomicReference<LocalHeap> deadHeap = new AtomicReference<>();
        AtomicLong freedBlock = new AtomicLong();
        Thread owner = new Thread(() -> {
            deadHeap.set(LocalHeap.current());
            long block = Allocator.allocate(PROBE, OTHER_ODD_SIZE);
            Allocator.free(block);
            freedBlock.set(block);
        });
        owner.start();
        owner.join();
        owner = null;   // let the collector find the Thread unreachable: that is what retires its heap
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!deadHeap.get().isRetired() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        // This test starts no other thread, so no heir can have taken the heap over first.
        assertTrue(deadHeap.get().isRetired(), "the dead thread's heap was not retired");
        // Its free block went to the central lists, where this thread, whose own list of that
        // size is empty, finds it.
        long block = Allocator.allocate(PROBE, OTHER_ODD_SIZE);
        try {
            assertEquals(freedBlock.get(), block, "the retired heap's free block was stranded");
        } finally {
            Allocator.free(block);
        }
    }

    /** A JVM of 128 MiB runs a million thread lifetimes: heaps no longer pile up waiting for the collector. */
    @Test
    void aMillionThreadLifetimesFitInASmallJavaHeap() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-ea", "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), ThreadChurnMain.class.getName(), "1000000"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the churn did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("churn ok"), output);
    }
}
