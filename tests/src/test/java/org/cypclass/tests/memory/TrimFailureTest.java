package org.cypclass.tests.memory;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The central free lists when the trimmer's pass fails while taking batches (an
 * {@code OutOfMemoryError} growing its record of them, say): a batch the sink refused stays
 * listed, with every later one, and a batch it took is gone from the list, so no batch is both
 * in the pass's hands and listed (which would hand its blocks out twice). Reached through
 * reflection, as the lists are internal; the trimmer's own passes wait meanwhile (its lock is
 * held).
 */
class TrimFailureTest {

    private static final String NAME = "org.cypclass.tests.TrimFailureBlock";
    private static final int TYPE = BlockTypes.register(NAME);
    /** A size class of its own among the tests, so that the batches are this test's. */
    private static final int SIZE = 2_600;

    /** A batch as the lists hand it out. */
    private record Batch(long head, int count, long epoch) {
    }

    @Test
    void aSinkThatThrowsLeavesItsBatchAndTheRestListed() throws Exception {
        Class<?> lists = Class.forName("org.cypclass.memory.internal.CentralFreeLists");
        Class<?> sinkType = Class.forName("org.cypclass.memory.internal.CentralFreeLists$BatchSink");
        Method takeOld = lists.getDeclaredMethod("takeOld", int.class, long.class, sinkType);
        Method putBack = lists.getDeclaredMethod("putBack", int.class, long.class, int.class, long.class);
        Method classOf = Class.forName("org.cypclass.memory.internal.SizeClasses").getDeclaredMethod("of", long.class);
        Field passLock = Class.forName("org.cypclass.memory.internal.Trimmer").getDeclaredField("PASS");
        for (java.lang.reflect.AccessibleObject member : List.of(takeOld, putBack, classOf, passLock)) {
            member.setAccessible(true);
        }
        int sizeClass = (int) classOf.invoke(null, (long) SIZE);

        // A dead thread's frees: its cache goes to the central lists in batches.
        RefCountConcurrencyTest.runAll(1, index -> {
            long[] blocks = new long[600];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = Allocator.allocate(TYPE, SIZE);
            }
            for (long block : blocks) {
                Allocator.free(block);
            }
        });
        synchronized (passLock.get(null)) {
            List<Batch> before = new ArrayList<>();
            take(takeOld, sinkType, sizeClass, Integer.MAX_VALUE, null, before);
            assertTrue(before.size() >= 2, "the dead thread left " + before.size() + " batches");
            giveBack(putBack, sizeClass, before);

            RuntimeException refusal = new IllegalStateException("the sink refuses its second batch");
            List<Batch> taken = new ArrayList<>();
            InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> take(takeOld, sinkType, sizeClass, 1, refusal, taken));
            assertSame(refusal, thrown.getCause(), "takeOld rethrows what the sink threw");
            assertEquals(List.of(before.get(0)), taken, "the sink took the first batch only");

            List<Batch> after = new ArrayList<>();
            take(takeOld, sinkType, sizeClass, Integer.MAX_VALUE, null, after);
            giveBack(putBack, sizeClass, after);
            giveBack(putBack, sizeClass, taken);
            Set<Long> afterHeads = new HashSet<>();
            after.forEach(b -> afterHeads.add(b.head()));
            assertEquals(after.size(), afterHeads.size(), "no batch listed twice");
            assertEquals(before.size() - 1, after.size(), "one batch taken, the others listed once");
            assertFalse(afterHeads.contains(before.get(0).head()), "the batch the sink took is no longer listed");
            for (Batch batch : before.subList(1, before.size())) {
                assertTrue(afterHeads.contains(batch.head()), "batch 0x" + Long.toHexString(batch.head()) + " stayed");
            }
        }
        assertEquals(0, MemoryStats.snapshot().of(NAME).liveBlocks());
    }

    /**
     * Takes the batches of a class with {@code takeOld}, whatever their age, into {@code into},
     * through a sink that accepts {@code accept} of them and then throws {@code refusal} (null:
     * accepts all).
     */
    private static void take(Method takeOld, Class<?> sinkType, int sizeClass, int accept, RuntimeException refusal,
                             List<Batch> into) throws ReflectiveOperationException {
        Object sink = Proxy.newProxyInstance(sinkType.getClassLoader(), new Class<?>[] {sinkType}, (proxy, method, args) -> {
            if (!method.getName().equals("accept")) {
                throw new UnsupportedOperationException(method.getName());   // takeOld calls accept only
            }
            if (into.size() == accept && refusal != null) {
                throw refusal;
            }
            into.add(new Batch((long) args[0], (int) args[1], (long) args[2]));
            return null;
        });
        takeOld.invoke(null, sizeClass, Long.MAX_VALUE, sink);
    }

    private static void giveBack(Method putBack, int sizeClass, List<Batch> batches) throws ReflectiveOperationException {
        for (Batch batch : batches) {
            putBack.invoke(null, sizeClass, batch.head(), batch.count(), batch.epoch());
        }
    }
}
