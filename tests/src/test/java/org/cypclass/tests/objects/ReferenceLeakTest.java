package org.cypclass.tests.objects;

import org.cypclass.examples.Adder;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.ReferenceLeaks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deterministic reference that is never closed is reported once the garbage collector finds
 * it, naming the instance and where the reference was taken. Runs in the diagnostics JVM,
 * where {@code -Dcypclass.objects.leakDetection=all} watches every reference.
 */
@Tag("diagnostics")
class ReferenceLeakTest {

    @Test
    void anUnclosedReferenceIsReportedWithItsAllocationSite() throws Exception {
        assertTrue(ReferenceLeaks.watchesAll(), "run through the diagnostics execution");
        ReferenceLeaks.clearReports();
        Adder keeper = Adder.create(1);
        long instance = keeper.pointer().address();
        String name = keeper.toString();
        leakAReference(keeper);
        GcReferenceTest.awaitTrue(() -> {
            System.gc();
            return ReferenceLeaks.reports().stream().anyMatch(r -> r.contains(name));
        });
        String report = ReferenceLeaks.reports().stream().filter(r -> r.contains(name)).findFirst().orElseThrow();
        assertTrue(report.contains("was never closed"), report);
        assertTrue(report.contains("ReferenceLeakTest.leakAReference"), report);
        // Fix the leak as the report asks: give back the count the lost reference held.
        RefCount.release(instance);
        keeper.close();
        System.gc();
        Thread.sleep(100);
        assertEquals(1, ReferenceLeaks.reports().stream().filter(r -> r.contains(name)).count(),
            "only the lost reference is reported, not the closed one");
    }

    private static void leakAReference(Adder keeper) {
        Adder lost = keeper.newReference();
        assertTrue(lost.isOpen());
    }
}
