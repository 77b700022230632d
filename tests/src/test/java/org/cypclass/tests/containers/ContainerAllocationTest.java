package org.cypclass.tests.containers;

import java.lang.management.ManagementFactory;

import org.cypclass.examples.Node;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.LongLongDict;
import org.cypclass.objects.containers.LongRefDict;
import org.cypclass.objects.containers.RefList;
import org.cypclass.objects.containers.RefLongDict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot paths allocate nothing on the Java heap, measured for the calling thread alone
 * ({@code ThreadMXBean.getCurrentThreadAllocatedBytes}), which JMH's {@code -prof gc} cannot
 * show for operations of a million elements (its own allocation per iteration, divided by few
 * long operations, is hundreds of bytes per operation on every row, baselines included).
 */
class ContainerAllocationTest {

    private static final int ELEMENTS = 100_000;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long walk(RefList<Node> list) {
        long sum = 0;
        RefList.Cursor<Node> cursor = list.cursor();
        while (cursor.next()) {
            sum += cursor.element().payload();
        }
        return sum;
    }

    private static long addAndGet(LongList list) {
        list.clear();
        for (int i = 0; i < ELEMENTS; i++) {
            list.add(i);
        }
        long sum = 0;
        for (int i = 0; i < ELEMENTS; i++) {
            sum += list.get(i);
        }
        return sum;
    }

    /** The bulk form: appends and reads in chunks through one caller-owned array. */
    private static long addAndGetInChunks(LongList list, long[] chunk) {
        list.clear();
        for (int from = 0; from < ELEMENTS; from += chunk.length) {
            int length = Math.min(chunk.length, ELEMENTS - from);
            for (int i = 0; i < length; i++) {
                chunk[i] = from + i;
            }
            list.addAll(chunk, 0, length);
        }
        long sum = 0;
        for (int from = 0; from < ELEMENTS; from += chunk.length) {
            int length = Math.min(chunk.length, ELEMENTS - from);
            list.get(from, chunk, 0, length);
            for (int i = 0; i < length; i++) {
                sum += chunk[i];
            }
        }
        return sum;
    }

    @Test
    void walkingAReferenceListAndAppendingToALongListAllocateNothing() {
        long expected = (long) ELEMENTS * (ELEMENTS - 1) / 2;
        long[] chunk = new long[1000];
        try (RefList<Node> nodes = RefList.create(Node.class); LongList numbers = LongList.create()) {
            for (int i = 0; i < ELEMENTS; i++) {
                try (Node node = Node.create(i, null)) {
                    nodes.add(node);
                }
            }
            for (int i = 0; i < 30; i++) {                  // warm-up: let the JIT compile both loops
                assertEquals(expected, walk(nodes));
                assertEquals(expected, addAndGet(numbers));
                assertEquals(expected, addAndGetInChunks(numbers, chunk));
            }
            long before = allocated();
            for (int i = 0; i < 10; i++) {
                walk(nodes);
                addAndGet(numbers);
                addAndGetInChunks(numbers, chunk);
            }
            long bytes = allocated() - before;
            // Ten walks and twenty fills of 10^5 elements: one allocation per element would be megabytes.
            assertTrue(bytes < 1024, bytes + " bytes allocated by 10 x 3 x 10^5 element operations");
        }
    }

    private static long putGetWalk(LongLongDict dict) {
        dict.clear();
        for (int i = 0; i < ELEMENTS; i++) {
            dict.put(i * 31L, i);
        }
        long sum = 0;
        for (int i = 0; i < ELEMENTS; i++) {
            sum += dict.get(i * 31L);
        }
        for (int i = 0; i < ELEMENTS; i += 2) {
            dict.remove(i * 31L);
        }
        LongLongDict.Cursor cursor = dict.cursor();
        while (cursor.next()) {
            sum += cursor.value();
        }
        return sum;
    }

    @Test
    void puttingGettingRemovingAndWalkingADictAllocateNothing() {
        long expected = (long) ELEMENTS * (ELEMENTS - 1) / 2 + (long) ELEMENTS * ELEMENTS / 4;
        try (LongLongDict dict = LongLongDict.create()) {
            for (int i = 0; i < 30; i++) {
                assertEquals(expected, putGetWalk(dict));
            }
            long before = allocated();
            for (int i = 0; i < 10; i++) {
                putGetWalk(dict);
            }
            long bytes = allocated() - before;
            assertTrue(bytes < 1024, bytes + " bytes allocated by 10 x 4 x 10^5 dict operations");
        }
    }

    /** Walks both reference dicts with their cursors, then stores and removes a thousand references. */
    private static long walkAndChurn(LongRefDict<Node> byId, RefLongDict<Node> ranks, Node node) {
        long sum = 0;
        LongRefDict.Cursor<Node> values = byId.cursor();
        while (values.next()) {
            sum += values.value().payload();
        }
        RefLongDict.Cursor<Node> keys = ranks.cursor();
        while (keys.next()) {
            sum += keys.key().payload() + keys.value();
        }
        for (int i = 0; i < 1000; i++) {
            byId.put(ELEMENTS + i, node);
        }
        for (int i = 0; i < 1000; i++) {
            byId.remove(ELEMENTS + i);
        }
        ranks.put(node, 1);
        ranks.remove(node);
        return sum;
    }

    @Test
    void walkingReferenceDictsAndStoringReferencesAllocateNothing() {
        long expected = 3 * ((long) ELEMENTS * (ELEMENTS - 1) / 2);
        // Room for every append of the 40 rounds (removed entries keep theirs until a rebuild), so
        // that no rebuild, whose big blocks come from malloc, falls in the measured rounds.
        try (LongRefDict<Node> byId = LongRefDict.create(Node.class, 2 * ELEMENTS);
             RefLongDict<Node> ranks = RefLongDict.create(Node.class, 2 * ELEMENTS); Node spare = Node.create(-1, null)) {
            for (int i = 0; i < ELEMENTS; i++) {
                try (Node node = Node.create(i, null)) {
                    byId.put(i, node);
                    ranks.put(node, i);
                }
            }
            for (int i = 0; i < 30; i++) {
                assertEquals(expected, walkAndChurn(byId, ranks, spare));
            }
            long before = allocated();
            for (int i = 0; i < 10; i++) {
                walkAndChurn(byId, ranks, spare);
            }
            long bytes = allocated() - before;
            assertTrue(bytes < 1024, bytes + " bytes allocated by 10 walks of 2 x 10^5 entries and 2 x 10^4 stores");
        }
    }
}
