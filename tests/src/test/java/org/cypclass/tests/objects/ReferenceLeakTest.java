package org.cypclass.tests.objects;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;

import org.cypclass.examples.Adder;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.ReferenceLeaks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
        // The report starts at the line that took the reference, not in the library's frames.
        String firstFrame = report.lines().filter(line -> line.startsWith("\tat ")).findFirst().orElseThrow();
        assertTrue(firstFrame.contains("ReferenceLeakTest.leakAReference"), report);
        assertTrue(report.contains("through Cy_Adder.newReference"), report);
        // Fix the leak as the report asks: give back the count the lost reference held.
        RefCount.release(instance);
        WeakReference<Object> keeperCheck = new WeakReference<>(leakCheckOf(keeper));
        keeper.close();
        keeper = null;
        // The cleaner thread runs the closed reference's check once the reference is collected,
        // and drops the check once it has run: the check unreachable means it ran. Each round
        // closes one more watched reference, so that the cleaner thread, which may keep the last
        // check it ran until it runs the next one, lets go of it.
        GcReferenceTest.awaitTrue(() -> {
            Adder.create(2).close();
            System.gc();
            return keeperCheck.get() == null;
        });
        assertEquals(1, ReferenceLeaks.reports().stream().filter(r -> r.contains(name)).count(),
            "only the lost reference is reported, not the closed one");
    }

    /**
     * The check the cleaner runs when {@code reference} is collected: the {@code Runnable}
     * ({@code LeakWatch.State}) of the watch in its {@code tracker} field. Internal, reached by
     * reflection: only its collection tells, from outside, that the cleaner has run it.
     */
    private static Object leakCheckOf(CyObject reference) throws ReflectiveOperationException {
        Field tracker = CyObject.class.getDeclaredField("tracker");
        tracker.setAccessible(true);
        Object watch = tracker.get(reference);
        assertNotNull(watch, "every reference is watched in the diagnostics execution");
        Field state = watch.getClass().getDeclaredField("state");
        state.setAccessible(true);
        return assertInstanceOf(Runnable.class, state.get(watch));
    }

    private static void leakAReference(Adder keeper) {
        Adder lost = keeper.newReference();
        assertTrue(lost.isOpen());
    }
}
