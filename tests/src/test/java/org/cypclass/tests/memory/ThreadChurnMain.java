package org.cypclass.tests.memory;

import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.LocalHeap;
import org.cypclass.memory.internal.RefCount;

/**
 * Run in its own JVM by {@link ThreadChurnTest}, with a small Java heap: many virtual
 * threads, 64 at a time, each creating and releasing ten objects. It ends with
 * {@code churn ok} and status 0, or with an error (an {@link OutOfMemoryError} if heaps piled
 * up on the Java heap) and a non-zero status.
 */
final class ThreadChurnMain {

    private ThreadChurnMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = Integer.parseInt(args[0]);
        Thread[] ring = new Thread[64];
        Runnable body = () -> {
            long[] nodes = new long[10];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = TestObjects.newNode(0);
            }
            for (long node : nodes) {
                RefCount.release(node);
            }
        };
        for (int i = 0; i < threads; i++) {
            int slot = i % ring.length;
            if (ring[slot] != null) {
                ring[slot].join();
            }
            ring[slot] = Thread.ofVirtual().start(body);
        }
        for (Thread thread : ring) {
            thread.join();
        }
        long live = MemoryStats.snapshot().liveBlocks();
        String figures = "heaps created " + LocalHeap.createdCount() + ", handed over " + LocalHeap.handedOverCount()
            + ", retired " + LocalHeap.retiredCount() + ", regions " + Allocator.regionsTaken() + ", live blocks " + live;
        if (live != 0 || LocalHeap.createdCount() > 1000) {
            throw new AssertionError("churn failed: " + figures);
        }
        System.out.println("churn ok: " + threads + " threads; " + figures);
    }
}
