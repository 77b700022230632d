package org.cypclass.tests.objects;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Big;
import org.cypclass.examples.Group;
import org.cypclass.examples.Node;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.WeakRef;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.capabilities.Locked;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weak references: no count, {@code get()} a borrowed reference while the target lives and null
 * after, whatever now occupies its block; the target's thread rules; parent pointers without a
 * cycle.
 */
class WeakRefTest {

    private static long live(Class<?> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long address(CyObject reference) {
        return reference.pointer().address();
    }

    /** Runs {@code action} on a new thread named {@code name}; returns what it threw, or null. */
    private static Throwable onAnotherThread(String name, Runnable action) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> failure.set(Gcc.thrownBy(action)), name);
        thread.start();
        thread.join();
        return failure.get();
    }

    @Test
    void getWhileTheTargetLivesIsAnEqualBorrowedReferenceForReadsAndWrites() {
        Node node = Node.create(5, null);
        long at = address(node);
        WeakRef<Node> weak = WeakRef.of(node);
        assertEquals(1, RefCount.count(at), "a weak reference takes no count");
        Node got = weak.get();
        assertNotNull(got);
        assertEquals(node, got);
        assertTrue(got.isBorrowed());
        assertEquals(5, got.payload());
        got.payload(7);
        assertEquals(7, node.payload(), "a write through get() reaches the target");
        assertEquals(1, RefCount.count(at));
        assertTrue(weak.isAlive());
        assertTrue(weak.toString().startsWith("weak <" + Node.class.getName() + " object at 0x"), weak.toString());
        assertEquals(weak, WeakRef.of(got), "weak references to one allocation are equal, whatever they came from");
        assertEquals(weak.hashCode(), WeakRef.of(got).hashCode());

        node.close();
        assertEquals(0, live(Node.class), "the weak reference kept nothing alive");
        assertNull(weak.get());
        assertFalse(weak.isAlive());
        assertTrue(weak.toString().endsWith(" (dead)"), weak.toString());
        assertFalse(got.isOpen(), "what get() returned fails as a borrowed reference does");
        assertThrows(IllegalStateException.class, got::payload);
    }

    @Test
    void aDeadTargetReadsNullAfterItsBlockHoldsAnotherInstanceOfTheSameType() {
        Node first = Node.create(1, null);
        long at = address(first);
        WeakRef<Node> weak = WeakRef.of(first);
        first.close();
        try (Node successor = Node.create(2, null)) {
            assertEquals(at, address(successor), "the freed block is reused at once, by the same type");
            assertNull(weak.get(), "a later allocation of the block is not the target");
            WeakRef<Node> fresh = WeakRef.of(successor);
            assertNotEquals(weak, fresh);
            assertEquals(2, fresh.get().payload());
            assertEquals(2, successor.payload(), "the successor was not touched");
        }
    }

    @Test
    void aDeadTargetReadsNullAfterItsBlockHoldsAnotherType() {
        Node node = Node.create(1, null);
        long at = address(node);
        WeakRef<Node> weak = WeakRef.of(node);
        node.close();
        try (Adder squatter = Adder.create(77)) {
            assertEquals(at, address(squatter), "the freed block is reused at once, by another type");
            assertNull(weak.get());
            assertEquals(77, squatter.value());
        }
    }

    @Test
    void aDeadBigTargetReadsNullWhateverMallocGivesOutAgain() {
        Big big = Big.create();
        big.data(1099, 42L);
        WeakRef<Big> weak = WeakRef.of(big);
        assertEquals(42L, weak.get().data(1099));
        long at = address(big);
        big.close();
        assertNull(weak.get());
        // malloc may give the same address out again, with a new stub whose word may equal the old
        // one's: the weak reference reads its own stub, whose stamp moved on when it was freed.
        List<Big> others = new ArrayList<>();
        try {
            boolean reused = false;
            for (int i = 0; i < 64 && !reused; i++) {
                Big other = Big.create();
                others.add(other);
                reused = address(other) == at;
                assertNull(weak.get(), "after " + (i + 1) + " big allocations");
            }
            for (Big other : others) {
                WeakRef<Big> fresh = WeakRef.of(other);
                assertNotEquals(weak, fresh);
                assertEquals(0L, fresh.get().data(1099));
            }
        } finally {
            others.forEach(Big::close);
        }
        assertEquals(0, live(Big.class));
    }

    @Test
    void anotherThreadGetsWrongThreadExceptionWhileTheTargetLivesAndNullAfter() throws Exception {
        Node node = Node.create(3, null);
        WeakRef<Node> weak = WeakRef.of(node);
        Throwable thrown = onAnotherThread("intruder", weak::get);
        WrongThreadException e = assertInstanceOf(WrongThreadException.class, thrown);
        assertTrue(e.getMessage().contains(Node.class.getName() + " object at 0x"), e.getMessage());
        assertTrue(e.getMessage().contains("thread \"intruder\""), e.getMessage());
        assertTrue(e.getMessage().contains("weak reference"), e.getMessage());
        assertNull(onAnotherThread("reader", weak::isAlive), "isAlive has no thread rule");
        assertEquals(3, weak.get().payload(), "the owner thread still may");
        node.close();
        AtomicReference<Object> seen = new AtomicReference<>("not run");
        assertNull(onAnotherThread("late", () -> seen.set(weak.get())));
        assertNull(seen.get(), "once the target died every thread reads null");
    }

    @Test
    void aFrozenTargetIsReadByAnyThreadAndNullOnceReleased() throws Exception {
        Frozen<Node> frozen = Isolated.consume(Node.create(9, null)).freeze();
        WeakRef<Node> weak = WeakRef.of(frozen.get());
        AtomicReference<Long> read = new AtomicReference<>();
        assertNull(onAnotherThread("reader", () -> read.set(weak.get().payload())));
        assertEquals(9L, read.get());
        Throwable write = onAnotherThread("writer", () -> weak.get().payload(10));
        assertInstanceOf(CapabilityException.class, write);
        assertThrows(CapabilityException.class, () -> weak.get().payload(10));
        frozen.close();
        assertEquals(0, live(Node.class));
        assertNull(weak.get());
        AtomicReference<Object> seen = new AtomicReference<>("not run");
        assertNull(onAnotherThread("late", () -> seen.set(weak.get())));
        assertNull(seen.get());
    }

    @Test
    void aChangeOfCapabilityEndsAWeakReferenceAsItEndsBorrowedOnes() {
        Node node = Node.create(4, null);
        WeakRef<Node> before = WeakRef.of(node);
        try (Frozen<Node> frozen = Isolated.consume(node).freeze()) {
            assertNull(before.get(), "taken while thread-local: the freeze renewed the stamp");
            WeakRef<Node> after = WeakRef.of(frozen.get());
            assertEquals(4, after.get().payload());
        }
    }

    @Test
    void aLockedTargetGivesAnyThreadAValueOnlyReferenceAndItsMembersNone() throws Exception {
        Node outer;
        try (Node inner = Node.create(7, null)) {
            outer = Node.create(6, inner);
        }
        try (Locked<Node> locked = Isolated.consume(outer).lock()) {
            WeakRef<Node> weak = WeakRef.of(locked.handle());
            AtomicReference<Object> seen = new AtomicReference<>("not run");
            assertNull(onAnotherThread("other", () -> {
                try (Locked<Node> again = Locked.from(weak.get()); Locked.Guard<Node> guard = again.read()) {
                    seen.set(guard.get().payload());
                }
            }));
            assertEquals(6L, seen.get(), "the reference get() gave reopens the lock from another thread");
            assertThrows(CapabilityException.class, () -> weak.get().payload(), "its fields only through a guard");
            try (Locked.Guard<Node> guard = locked.read()) {
                CapabilityException e = assertThrows(CapabilityException.class, () -> WeakRef.of(guard.get().next()));
                assertTrue(e.getMessage().contains("locked graph"), e.getMessage());
            }
        }
        assertEquals(0, live(Node.class));
    }

    @Test
    void aStrongBackReferenceIsTheCycleTheReportNamesAndPointsToWeakRef() {
        Group parent = Group.create(1);
        try (Group child = Group.create(2)) {
            parent.children(0, child);
            child.children(0, parent);      // the back reference as a counted field: a cycle
        }
        long at = address(parent);
        Group borrowed = parent.children(0);
        parent.close();
        LeakReport report = LeakReport.create();
        assertTrue(report.cycles().stream().flatMap(cycle -> cycle.objects().stream())
            .anyMatch(block -> block.address() == at), report.toString());
        assertTrue(report.toString().contains("org.cypclass.objects.WeakRef"), report.toString());
        borrowed.children(0, null);        // breaks the cycle: both die
        assertEquals(0, live(Group.class));
    }

    @Test
    @SuppressWarnings("cypclass:use-after-close") // checks the run-time error of a closed reference
    void aClosedReferenceGivesNoWeakReference() {
        Node node = Node.create(1, null);
        node.close();
        assertThrows(IllegalStateException.class, () -> WeakRef.of(node));
        assertThrows(NullPointerException.class, () -> WeakRef.of(null));
    }

    @Test
    void parentPointersAsWeakReferencesLeaveNoCycle() {
        // Children own nothing upward: each node's parent is a weak reference kept on the Java side.
        Map<WeakRef<Group>, WeakRef<Group>> parentOf = new HashMap<>();
        List<WeakRef<Group>> leaves = new ArrayList<>();
        Group root = Group.create(1);
        grow(root, 1, 6, parentOf, leaves);
        assertEquals(63, live(Group.class));
        assertEquals(32, leaves.size());
        for (WeakRef<Group> leaf : leaves) {
            // Walk up: ids of a heap-numbered tree halve at each step.
            int id = leaf.get().id();
            int depth = 0;
            for (WeakRef<Group> at = parentOf.get(leaf); at != null; at = parentOf.get(at)) {
                Group parent = at.get();
                assertEquals(id / 2, parent.id());
                id = parent.id();
                depth++;
            }
            assertEquals(1, id, "the walk up ends at the root");
            assertEquals(5, depth);
        }
        long rootAt = address(root);
        root.close();
        assertEquals(0, live(Group.class), "closing the root freed the whole tree: no back reference holds it");
        for (Map.Entry<WeakRef<Group>, WeakRef<Group>> link : parentOf.entrySet()) {
            assertNull(link.getKey().get());
            assertNull(link.getValue().get());
        }
        LeakReport report = LeakReport.create();
        assertTrue(report.cycles().stream().flatMap(cycle -> cycle.objects().stream())
            .noneMatch(block -> block.type().equals(Group.class.getName()) || block.address() == rootAt),
            report.toString());
    }

    /** Gives {@code node} (heap-numbered {@code id}) two children down to {@code depth}, each with a weak parent. */
    private static void grow(Group node, int id, int depth, Map<WeakRef<Group>, WeakRef<Group>> parentOf,
                             List<WeakRef<Group>> leaves) {
        WeakRef<Group> self = WeakRef.of(node);
        if (depth == 1) {
            leaves.add(self);
            return;
        }
        for (int i = 0; i < 2; i++) {
            try (Group child = Group.create(2 * id + i)) {
                node.children(i, child);
                parentOf.put(WeakRef.of(child), self);
            }
            grow(node.children(i), 2 * id + i, depth - 1, parentOf, leaves);
        }
    }

    @Test
    void aRepeatedGetOfALiveTargetAllocatesNothing() {
        try (Node node = Node.create(2, null)) {
            WeakRef<Node> weak = WeakRef.of(node);
            long sum = 0;
            for (int i = 0; i < 100_000; i++) {            // warm-up: let the JIT compile the loop
                sum += weak.get().payload();
            }
            long before = allocated();
            for (int i = 0; i < 100_000; i++) {
                sum += weak.get().payload();
            }
            long bytes = allocated() - before;
            assertEquals(400_000, sum);
            // The thread's borrow cache holds the target's borrowed reference: one per get() would be megabytes.
            assertTrue(bytes < 1024, bytes + " bytes allocated by 10^5 get() calls");
        }
    }

    @Test
    void anotherThreadPollingWeakReferencesToChurningTargetsNeverGetsOne() throws Exception {
        // The owner creates and closes 10^5 targets, publishing a weak reference to each while it
        // lives; another thread polls the latest. Whatever the interleaving, it may only see null
        // (the target died, its block perhaps reused) or WrongThreadException, never a reference.
        int rounds = 100_000;
        AtomicReference<WeakRef<Node>> latest = new AtomicReference<>();
        AtomicLong refused = new AtomicLong();
        AtomicLong nulls = new AtomicLong();
        AtomicReference<Object> handedOut = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread poller = new Thread(() -> {
            while (!done.get()) {
                WeakRef<Node> weak = latest.get();
                if (weak == null) {
                    continue;
                }
                try {
                    Node got = weak.get();
                    if (got == null) {
                        nulls.incrementAndGet();
                    } else {
                        handedOut.compareAndSet(null, weak);
                    }
                } catch (WrongThreadException expected) {
                    refused.incrementAndGet();
                }
            }
        }, "poller");
        poller.start();
        try {
            for (int i = 0; i < rounds; i++) {
                Node node = Node.create(i, null);
                latest.set(WeakRef.of(node));
                node.close();
                if (i % 1000 == 0) {
                    Thread.onSpinWait();
                }
            }
        } finally {
            done.set(true);
            poller.join();
        }
        assertNull(handedOut.get(), "a thread-local target's weak reference gave another thread a reference");
        assertTrue(refused.get() + nulls.get() > 0, "the poller ran");
        assertNull(latest.get().get(), "the last target is dead");
        assertEquals(0, live(Node.class));
    }

    @Test
    void aHundredThousandCreateWeakCloseGetCyclesReadNullForEveryDeadTarget() {
        // Every target dies at once and its block is reused by the next iteration (by a Node, an
        // Adder or a Big's stub), so each earlier weak reference must keep reading null.
        WeakRef<?>[] recent = new WeakRef<?>[64];
        long nulls = 0;
        for (int i = 0; i < 100_000; i++) {
            WeakRef<?> weak;
            if (i % 3 == 0) {
                Node node = Node.create(i, null);
                WeakRef<Node> nodeWeak = WeakRef.of(node);
                assertEquals(i, nodeWeak.get().payload());
                node.close();
                weak = nodeWeak;
            } else if (i % 1000 == 1) {
                Big big = Big.create();
                weak = WeakRef.of(big);
                assertNotNull(weak.get());
                big.close();
            } else {
                Adder adder = Adder.create(i);
                WeakRef<Adder> adderWeak = WeakRef.of(adder);
                assertEquals(i, adderWeak.get().value());
                adder.close();
                weak = adderWeak;
            }
            recent[i % recent.length] = weak;
            for (WeakRef<?> old : recent) {
                if (old != null && old.get() == null) {
                    nulls++;
                }
            }
        }
        long expected = 0;
        for (int i = 0; i < 100_000; i++) {
            expected += Math.min(i + 1, recent.length);
        }
        assertEquals(expected, nulls, "every weak reference of a dead target read null");
        assertEquals(0, live(Node.class));
        assertEquals(0, live(Adder.class));
        assertEquals(0, live(Big.class));
    }
}
