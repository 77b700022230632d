package org.cypclass.tests.memory;

import java.lang.foreign.ValueLayout;

import org.cypclass.memory.IllegalRefCountException;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.LeakTracker;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.RefCount;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leak tracking and the debug allocator. These switches are read once at start-up, so the
 * build runs this class in its own JVM with {@code -Dcypclass.memory.debug=true} and
 * {@code -Dcypclass.memory.leakTracking=true} (the {@code diagnostics} surefire execution).
 */
@Tag("diagnostics")
class DiagnosticsTest {

    private static final long POISON = 0xDEADBEEF_DEADBEEFL;
    private static final int TYPE = BlockTypes.register("org.cypclass.tests.DebugProbe");

    @BeforeAll
    static void switchesAreOn() {
        assertEquals("true", System.getProperty(MemoryStats.DEBUG_PROPERTY), "run through the diagnostics execution");
        assertTrue(LeakTracker.enabled());
    }

    @Test
    void theLeakReportShowsWhereEachLiveBlockWasAllocated() {
        long block = Allocator.allocate(TYPE, 32);
        try {
            LeakReport report = LeakReport.create();
            LeakReport.LiveBlock live = report.blocksByType().get("org.cypclass.tests.DebugProbe").get(0);
            assertNotNull(live.allocationSite());
            String text = report.toString();
            assertTrue(text.contains("allocated by thread \"" + Thread.currentThread().getName() + "\""), text);
            assertTrue(text.contains("DiagnosticsTest.theLeakReportShowsWhereEachLiveBlockWasAllocated"), text);
        } finally {
            Allocator.free(block);
        }
    }

    @Test
    void freedBlocksArePoisonedAndNotReusedAtOnce() {
        long block = Allocator.allocate(TYPE, 64);
        Allocator.free(block);
        for (int offset = 0; offset < 64; offset += 8) {
            assertEquals(POISON, NativeAccess.segment(block, 64).get(ValueLayout.JAVA_LONG, offset));
        }
        long next = Allocator.allocate(TYPE, 64);
        assertNotEquals(block, next, "reuse is delayed in debug mode");
        Allocator.free(next);
    }

    @Test
    void aStaleObjectAddressReadsAsDead() {
        long object = TestObjects.newNode(0);
        RefCount.release(object);
        IllegalRefCountException e = assertThrows(IllegalRefCountException.class, () -> RefCount.retain(object));
        assertTrue(e.getMessage().contains("dead"), e.getMessage());
        assertThrows(IllegalRefCountException.class, () -> RefCount.release(object));
    }

    @Test
    void aWriteAfterFreeIsCaughtWhenTheBlockLeavesQuarantine() {
        long[] others = new long[2 * 1024 + 1];
        for (int i = 0; i < others.length; i++) {
            others[i] = Allocator.allocate(TYPE, 48);
        }
        long victim = Allocator.allocate(TYPE, 48);
        Allocator.free(victim);
        NativeAccess.segment(victim, 48).set(ValueLayout.JAVA_LONG, 16, 42L);
        IllegalStateException caught = null;
        for (long other : others) {
            try {
                Allocator.free(other);
            } catch (IllegalStateException e) {
                assertTrue(caught == null, "reported once");
                caught = e;
            }
        }
        assertNotNull(caught, "the stale write was detected");
        assertTrue(caught.getMessage().contains("write after free"), caught.getMessage());
        assertTrue(caught.getMessage().contains(String.format("0x%x", victim)), caught.getMessage());
        assertTrue(caught.getMessage().contains("offset 16"), caught.getMessage());
        assertEquals(0, MemoryStats.snapshot().of("org.cypclass.tests.DebugProbe").liveBlocks());
    }
}
