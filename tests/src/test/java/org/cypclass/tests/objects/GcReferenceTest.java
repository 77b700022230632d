package org.cypclass.tests.objects;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.cypclass.examples.Adder;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Garbage-collected references: counted in ob_refcnt, together one nogil count, released after GC. */
class GcReferenceTest {

    private static long live() {
        return MemoryStats.snapshot().of(Adder.class.getName()).liveBlocks();
    }

    @Test
    void allGcReferencesTogetherHoldOneNogilCount() {
        Adder adder = Adder.create(1);
        long instance = adder.pointer().address();
        Adder gc1 = adder.gcReference();
        Adder gc2 = adder.gcReference();
        assertEquals(2, RefCount.gcCount(instance), "ob_refcnt counts the GC references");
        assertEquals(2, RefCount.count(instance), "one deterministic count + one for all GC references");
        adder.close();
        assertEquals(1, live(), "the GC references keep the instance alive");
        assertEquals(1, gc1.value());
        gc1.close();
        assertEquals(1, RefCount.gcCount(instance));
        gc2.close();
        assertEquals(0, live(), "the last GC reference gave the nogil count back");
    }

    @Test
    void anUnreachableGcReferenceIsReleasedAfterCollection() throws Exception {
        Adder adder = Adder.create(3);
        dropGcReference(adder);
        adder.close();
        assertEquals(1, live(), "only the unreachable GC reference holds the instance now");
        // The cleaner runs on its own thread; the owner (this thread) applies the release.
        awaitTrue(() -> {
            System.gc();
            CyObject.releaseCollected();
            return live() == 0;
        });
        assertEquals(0, live());
    }

    @Test
    void theReleaseIsAppliedByTheOwnerThreadNotTheCleaner() throws Exception {
        Adder adder = Adder.create(3);
        dropGcReference(adder);
        adder.close();
        int[] released = {0};
        awaitTrue(() -> {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Until this thread asks, the instance stays: the cleaner may not touch a thread-local count.
            if (live() != 1) {
                throw new AssertionError("the cleaner thread released a thread-local instance itself");
            }
            released[0] = CyObject.releaseCollected();
            return released[0] > 0;
        });
        assertEquals(0, live());
    }

    @Test
    void aGcReferenceIsThreadLocalToo() throws Exception {
        try (Adder adder = Adder.create(1); Adder gc = adder.gcReference()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    gc.value();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            other.start();
            other.join();
            assertInstanceOf(WrongThreadException.class, failure.get());
            assertFalse(failure.get().getMessage().isEmpty());
        }
        assertEquals(0, live());
    }

    private static void dropGcReference(Adder adder) {
        Adder gc = adder.gcReference();
        assertTrue(gc.isOpen());
    }

    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 20 s");
            }
            Thread.sleep(10);
        }
    }
}
