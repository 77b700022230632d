package org.cypclass.tests.objects;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Node;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Borrowed references under the debug allocator (run by the {@code diagnostics} execution):
 * freed blocks are poisoned and quarantined before reuse, and a stale borrowed reference fails
 * in both phases, never reading the poison or the next tenant.
 */
@Tag("diagnostics")
class BorrowedDebugTest {

    @Test
    void aStaleBorrowedReferenceFailsInQuarantineAndAfterReuseByAnotherType() {
        assertEquals("true", System.getProperty(MemoryStats.DEBUG_PROPERTY), "run through the diagnostics execution");
        try (Node head = Node.create(1, null)) {
            try (Node second = Node.create(2, null)) {
                head.next(second);
            }
            Node borrowed = head.next();
            long address = borrowed.pointer().address();
            head.next(null);
            assertThrows(IllegalStateException.class, borrowed::payload, "poisoned and quarantined");
            // Each free pushes one block into the quarantine and lets the oldest out to be
            // reused: churn until another type gets the stale block.
            Adder tenant = null;
            for (int i = 0; i < 5_000 && tenant == null; i++) {
                Adder adder = Adder.create(i);
                if (adder.pointer().address() == address) {
                    tenant = adder;
                } else {
                    adder.close();
                }
            }
            assertTrue(tenant != null, "the block left quarantine and was reused");
            try (Adder held = tenant) {
                int value = held.value();
                IllegalStateException e = assertThrows(IllegalStateException.class, borrowed::payload);
                assertTrue(e.getMessage().contains("borrowed reference"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> borrowed.payload(-1));
                assertEquals(value, held.value(), "the tenant was not written");
            }
        }
        assertEquals(0, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks());
    }
}
