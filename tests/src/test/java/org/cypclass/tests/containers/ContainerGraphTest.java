package org.cypclass.tests.containers;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Inventory;
import org.cypclass.examples.Node;
import org.cypclass.examples.Registry;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyStr;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.objects.containers.IntRefDict;
import org.cypclass.objects.containers.LongRefDict;
import org.cypclass.objects.containers.RefList;
import org.cypclass.objects.containers.RefLongDict;
import org.cypclass.objects.containers.StrRefDict;
import org.cypclass.objects.containers.StrSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The counted references a container holds (a {@link RefList}'s elements, a reference dict's
 * values or keys) are part of its graph, through the visitor each container type registers:
 * cycle reports name them, {@code Isolated.consume} counts them as inside references, locking,
 * freezing and adopting take them along, and reads through a guard are checked against it.
 */
class ContainerGraphTest {

    private static long live(Class<?> type) {
        MemoryStats.TypeStats stats = MemoryStats.snapshot().of(type.getName());
        return stats == null ? 0 : stats.liveBlocks();
    }

    private static long address(CyObject reference) {
        return reference.pointer().address();
    }

    private static int count(CyObject reference) {
        return RefCount.count(address(reference));
    }

    private static List<LeakReport.Cycle> cyclesWith(long object) {
        return LeakReport.create().cycles().stream()
            .filter(cycle -> cycle.objects().stream().anyMatch(block -> block.address() == object))
            .toList();
    }

    private static void onOtherThread(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    /** A registry whose three dicts hold nodes 1 to 3 (by id, by code, with a rank), and nothing else does. */
    private static Registry registry() {
        Registry registry = Registry.create();
        try (LongRefDict<Node> byId = LongRefDict.create(Node.class); IntRefDict<Node> byCode = IntRefDict.create(Node.class);
             RefLongDict<Node> ranks = RefLongDict.create(Node.class)) {
            registry.byId(byId);
            registry.byCode(byCode);
            registry.ranks(ranks);
            for (int i = 1; i <= 3; i++) {
                try (Node node = Node.create(10 * i, null)) {
                    byId.put(i, node);
                    byCode.put(-i, node);
                    ranks.put(node, i);
                }
            }
        }
        return registry;
    }

    @Test
    void aCycleThroughAListIsReportedWithItsSlotAndClearingItThroughABorrowedReferenceLeaksNothing() {
        long before = live(RefList.class);
        RefList<CyObject> list = RefList.create(CyObject.class);
        long at = address(list);
        list.add(null);
        list.add(list);
        @SuppressWarnings("unchecked")
        RefList<CyObject> borrowed = (RefList<CyObject>) list.get(1);
        list.close();
        List<LeakReport.Cycle> cycles = cyclesWith(at);
        assertEquals(1, cycles.size());
        assertEquals("elements[1]", cycles.get(0).links().get(0).field());
        borrowed.clear();                 // releases the list's last count: it dies inside its own clear
        assertFalse(borrowed.isOpen());
        assertEquals(before, live(RefList.class));
        assertEquals(0, live(RefList.class.getName() + " storage"));
    }

    private static long live(String typeName) {
        MemoryStats.TypeStats stats = MemoryStats.snapshot().of(typeName);
        return stats == null ? 0 : stats.liveBlocks();
    }

    @Test
    void cyclesThroughDictsNameTheValueByKeyAndTheKeyByPosition() {
        LongRefDict<CyObject> values = LongRefDict.create(CyObject.class);
        long valuesAt = address(values);
        values.put(42, values);
        @SuppressWarnings("unchecked")
        LongRefDict<CyObject> borrowedValues = (LongRefDict<CyObject>) values.get(42);
        values.close();

        RefLongDict<CyObject> keys = RefLongDict.create(CyObject.class);
        long keysAt = address(keys);
        try (Node other = Node.create(1, null)) {
            keys.put(other, 1);
        }
        keys.put(keys, 7);
        RefLongDict.Cursor<CyObject> cursor = keys.cursor();
        cursor.next();
        cursor.next();
        @SuppressWarnings("unchecked")
        RefLongDict<CyObject> borrowedKeys = (RefLongDict<CyObject>) cursor.key().newReference();
        keys.close();
        assertEquals(2, count(borrowedKeys), "the self key and our reference");

        assertEquals("values[42]", cyclesWith(valuesAt).get(0).links().get(0).field());
        assertTrue(cyclesWith(keysAt).isEmpty(), "held from outside by our reference");
        RefLongDict<CyObject> keysBorrowed = keys(borrowedKeys);
        borrowedKeys.close();
        assertEquals("keys[1]", cyclesWith(keysAt).get(0).links().get(0).field());

        borrowedValues.clear();           // the dict dies inside its own clear: its blocks are freed
        assertFalse(borrowedValues.isOpen());
        assertTrue(keysBorrowed.remove(keysBorrowed));
        assertFalse(keysBorrowed.isOpen());
        assertEquals(0, live(LongRefDict.class));
        assertEquals(0, live(RefLongDict.class));
        assertEquals(0, live(LongRefDict.class.getName() + " storage"));
        assertEquals(0, live(RefLongDict.class.getName() + " storage"));
    }

    @Test
    void stringKeyedContainersNameTheirSlotsByPositionAndMoveTheirValuesButNotTheirStrings() throws InterruptedException {
        StrRefDict<CyObject> dict = StrRefDict.create(CyObject.class);
        long dictAt = address(dict);
        try (CyStr a = CyStr.of("a"); CyStr self = CyStr.of("self")) {
            dict.put(a, null);
            dict.put(self, dict);
        }
        @SuppressWarnings("unchecked")
        StrRefDict<CyObject> borrowed = (StrRefDict<CyObject>) dict.getOrDefault("self", null);
        dict.close();
        assertEquals("values[1]", cyclesWith(dictAt).get(0).links().get(0).field(), "the value of the second key");
        borrowed.clear();                 // the dict dies inside its own clear, its key strings with it
        assertFalse(borrowed.isOpen());
        assertEquals(0, live(StrRefDict.class));
        assertEquals(0, live(CyStr.class));

        // A consumed string-keyed dict moves its thread-local values to the adopter; the keys,
        // frozen, stay shared and keep their header.
        long nodes = live(Node.class);
        StrRefDict<Node> byName = StrRefDict.create(Node.class);
        StrSet names = StrSet.create();
        try (CyStr key = CyStr.of("seven")) {
            try (Node node = Node.create(7, null)) {
                byName.put(key, node);
            }
            names.add(key);
            long keyOwner = RefCount.owner(address(key));
            Isolated<StrRefDict<Node>> parcel = Isolated.consume(byName);
            Isolated<StrSet> setParcel = Isolated.consume(names);
            onOtherThread(() -> {
                try (StrRefDict<Node> mine = parcel.adopt(); StrSet set = setParcel.adopt()) {
                    Node node = mine.get(MemorySegment.ofArray("seven".getBytes(StandardCharsets.UTF_8)));
                    assertEquals(7, node.payload());
                    assertEquals(Thread.currentThread().threadId(), RefCount.owner(address(node)));
                    assertTrue(set.contains("seven"));
                }
            });
            assertEquals(keyOwner, RefCount.owner(address(key)), "the string stays shared");
            assertEquals(1, count(key), "both containers released their counts on the other thread");
        }
        assertEquals(nodes, live(Node.class));
    }

    /** A borrowed reference to the dict that is its own key, read through its view. */
    @SuppressWarnings("unchecked")
    private static RefLongDict<CyObject> keys(RefLongDict<CyObject> dict) {
        for (CyObject key : dict.asMap().keySet()) {
            if (key.equals(dict)) {
                return (RefLongDict<CyObject>) key;
            }
        }
        throw new AssertionError("no self key");
    }

    @Test
    void consumeCountsTheContainersReferencesAsInsideAndTheAdopterOwnsThemAll() throws InterruptedException {
        long nodes = live(Node.class);
        Inventory inventory = Inventory.create();
        try (RefList<Node> list = RefList.create(Node.class); Node node = Node.create(42, null)) {
            inventory.nodes(list);
            list.add(node);
            list.add(node);
        }
        Isolated<Inventory> inventoryParcel = Isolated.consume(inventory);
        Isolated<Registry> registryParcel = Isolated.consume(registry());
        onOtherThread(() -> {
            try (Inventory mine = inventoryParcel.adopt(); Registry registry = registryParcel.adopt()) {
                assertEquals(84, mine.totalPayload());
                long me = Thread.currentThread().threadId();
                assertEquals(me, RefCount.owner(address(mine.nodes().get(0))));
                assertEquals(60, registry.totalPayload());
                assertEquals(20, registry.byCode().get(-2).payload());
                assertEquals(me, RefCount.owner(address(registry.byCode().get(-3))));
                RefLongDict.Cursor<Node> cursor = registry.ranks().cursor();
                long ranked = 0;
                while (cursor.next()) {
                    assertEquals(me, RefCount.owner(address(cursor.key())));
                    ranked += cursor.key().payload() * cursor.value();
                }
                assertEquals(10 + 40 + 90, ranked);
            }
        });
        assertEquals(nodes, live(Node.class));
    }

    @Test
    void aGraphHeldByAnotherReferenceToAValueIsNotIsolated() {
        Registry registry = registry();
        Node outside = registry.byId().get(2).newReference();
        assertThrows(org.cypclass.objects.capabilities.NotIsolatedException.class, () -> Isolated.consume(registry));
        outside.close();
        Isolated.consume(registry).close();
        assertEquals(0, live(Registry.class));
    }

    @Test
    void underAGuardContainersReadCheckedReferencesAndRefuseThreadLocalValues() {
        long nodes = live(Node.class);
        Inventory inventory = Inventory.create();
        try (RefList<Node> list = RefList.create(Node.class); Node node = Node.create(7, null)) {
            inventory.nodes(list);
            list.add(node);
        }
        try (Locked<Inventory> lockedInventory = Isolated.consume(inventory).lock();
             Locked<Registry> lockedRegistry = Isolated.consume(registry()).lock();
             Node local = Node.create(99, null)) {
            Node read;
            try (Locked.Guard<Inventory> g = lockedInventory.write(); Locked.Guard<Registry> r = lockedRegistry.write()) {
                RefList<Node> list = g.get().nodes();
                read = list.get(0);
                assertEquals(7, read.payload());
                assertEquals(7, g.get().totalPayload(), "a cursor under a guard");
                assertThrows(CapabilityException.class, () -> list.add(local));

                LongRefDict<Node> byId = r.get().byId();
                assertEquals(20, byId.get(2).payload());
                assertEquals(60, r.get().totalPayload(), "a cursor under a guard");
                assertThrows(CapabilityException.class, () -> byId.put(9, local));
                assertThrows(CapabilityException.class, () -> r.get().byCode().put(9, local));
                assertThrows(CapabilityException.class, () -> r.get().ranks().put(local, 9));
                assertEquals(1, count(local), "no refused store kept a count");
                RefLongDict.Cursor<Node> cursor = r.get().ranks().cursor();
                assertTrue(cursor.next());
                assertEquals(10, cursor.key().payload());
                byId.remove(1);
                byId.put(4, byId.get(3));                 // a member of the same locked graph
                assertEquals(30, byId.get(4).payload());
            }
            assertThrows(CapabilityException.class, read::payload, "a reference read under the guard dies with it");
        }
        assertEquals(nodes, live(Node.class));
    }

    @Test
    void aFrozenRegistryIsReadOnAnyThread() throws InterruptedException {
        try (Frozen<Registry> frozen = Isolated.consume(registry()).freeze()) {
            Frozen<Registry> theirs = frozen.newReference();
            onOtherThread(() -> {
                try (theirs) {
                    assertEquals(60, theirs.get().totalPayload());
                    assertEquals(30, theirs.get().byCode().get(-3).payload());
                    assertThrows(CapabilityException.class, () -> theirs.get().byId().remove(1));
                }
            });
            assertEquals(10, frozen.get().byId().get(1).payload());
        }
        assertEquals(0, live(Registry.class));
    }

    @Test
    void usingAnOrphanedRegistryAdoptsTheNodesItsDictsHold() throws InterruptedException {
        AtomicReference<Registry> made = new AtomicReference<>();
        Thread maker = new Thread(() -> made.set(registry()));
        maker.start();
        maker.join();
        try (Registry registry = made.get()) {
            long me = Thread.currentThread().threadId();
            LongRefDict<Node> byId = registry.byId();         // the use adopts the graph
            assertEquals(me, RefCount.owner(address(byId)));
            assertEquals(10, byId.get(1).payload(), "a value of the adopted dict is this thread's");
            assertEquals(me, RefCount.owner(address(byId.get(1))));
            assertEquals(3, registry.ranks().size());
        }
        assertEquals(0, live(Registry.class));
    }
}
