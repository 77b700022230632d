package org.cypclass.tests.nogil;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.memory.NogilRegion;
import org.cypclass.memory.NogilViolationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checked nogil regions (the {@code nogil} surefire execution runs this class with
 * {@code -Dcypclass.nogil.check=true}): each broken promise is reported, naming the region.
 */
@Tag("nogil")
class NogilRegionTest {

    /** Kept reachable so that the allocation below cannot be optimized away. */
    static volatile Object sink;

    @BeforeAll
    static void checkingIsOn() {
        assertTrue(NogilRegion.checking(), "run through the nogil execution");
    }

    @SuppressWarnings("cypclass:nogil") // checks the run-time check of a nogil region
    @Test
    void anAllocationInsideIsReportedWithItsSizeAndTheRegionsName() {
        NogilViolationException e = assertThrows(NogilViolationException.class, () -> {
            try (NogilRegion _ = NogilRegion.enter("allocating")) {
                sink = new long[1000];
            }
        });
        assertEquals("allocating", e.region());
        assertTrue(e.allocatedBytes() >= 8000, "at least the array: " + e.allocatedBytes());
        assertTrue(e.getMessage().contains("\"allocating\""), e.getMessage());
        assertTrue(e.getMessage().contains("bytes allocated on the Java heap"), e.getMessage());
    }

    @Test
    void aRegionThatAllocatesNothingClosesQuietly() {
        long[] values = new long[64];
        assertDoesNotThrow(() -> {
            try (NogilRegion _ = NogilRegion.enter("arithmetic")) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = values[i] * 31 + i;
                }
            }
        });
    }

    @SuppressWarnings("cypclass:nogil") // checks the run-time check of a nogil region
    @Test
    void blockingOnAContendedMonitorIsReported() throws Exception {
        Object lock = new Object();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (lock) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "lock-holder");
        holder.start();
        held.await();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try (NogilRegion _ = NogilRegion.enter("waiting for a lock")) {
                synchronized (lock) {
                    sink = lock;
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "waiter");
        waiter.start();
        while (waiter.getState() != Thread.State.BLOCKED) {
            Thread.onSpinWait();
        }
        release.countDown();
        waiter.join();
        holder.join();
        NogilViolationException e = assertInstanceOf(NogilViolationException.class, failure.get());
        assertTrue(e.monitorBlocks() >= 1, e.getMessage());
        assertTrue(e.getMessage().contains("entering a Java monitor"), e.getMessage());
    }

    @Test
    void aMonitorStillHeldAtCloseIsReported() {
        Object lock = new Object();
        NogilRegion region = NogilRegion.enter("closing under a lock");
        NogilViolationException e;
        synchronized (lock) {
            e = assertThrows(NogilViolationException.class, region::close);
        }
        assertTrue(e.getMessage().contains("still holding"), e.getMessage());
    }

    @Test
    void aMonitorHeldBeforeTheRegionIsNotItsFault() {
        Object lock = new Object();
        synchronized (lock) {
            assertDoesNotThrow(() -> {
                try (NogilRegion _ = NogilRegion.enter("inside a lock taken before")) {
                    sink = null;
                }
            });
        }
    }

    @Test
    void onlyItsOwnThreadMayCloseARegion() throws Exception {
        NogilRegion region = NogilRegion.enter("confined");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                region.close();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "other");
        other.start();
        other.join();
        WrongThreadException e = assertInstanceOf(WrongThreadException.class, failure.get());
        assertTrue(e.getMessage().contains("\"confined\""), e.getMessage());
        // The refused close left the region open; starting a thread inside it allocated.
        assertThrows(NogilViolationException.class, region::close);
        assertDoesNotThrow(region::close, "closing again does nothing");
    }
}
