package org.cypclass.tests.objects;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.cypclass.examples.Group;
import org.cypclass.examples.Node;
import org.cypclass.memory.LeakReport;
import org.cypclass.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The leak report finds reference cycles that nothing outside holds, names their objects and
 * the fields that close them, and leaves alone the cycles something still holds. Each test
 * breaks its cycle through a borrowed reference at the end, so that nothing leaks.
 */
class CycleReportTest {

    private static long address(Object reference) {
        return ((org.cypclass.objects.CyObject) reference).pointer().address();
    }

    /** The cycles of the report that contain this object (other tests' leaks are not ours to judge). */
    private static List<LeakReport.Cycle> cyclesWith(LeakReport report, long object) {
        return report.cycles().stream()
            .filter(cycle -> cycle.objects().stream().anyMatch(block -> block.address() == object))
            .toList();
    }

    @Test
    void aSelfCycleIsReportedWithItsField() {
        Node node = Node.create(1, null);
        long at = address(node);
        node.next(node);
        Node borrowed = node.next();
        node.close();
        assertTrue(borrowed.isOpen(), "the cycle keeps the node alive");

        LeakReport report = LeakReport.create();
        List<LeakReport.Cycle> cycles = cyclesWith(report, at);
        assertEquals(1, cycles.size(), report.toString());
        LeakReport.Cycle cycle = cycles.get(0);
        assertEquals(1, cycle.objects().size());
        assertEquals(Node.class.getName(), cycle.objects().get(0).type());
        assertEquals(1, cycle.links().size());
        assertEquals("next", cycle.links().get(0).field());
        assertEquals(at, cycle.links().get(0).from().address());
        assertEquals(at, cycle.links().get(0).to().address());
        assertTrue(report.toString().contains("unreachable reference cycle"), report.toString());
        assertTrue(report.toString().contains(".next -> " + Node.class.getName()), report.toString());

        borrowed.next(null);
        assertFalse(borrowed.isOpen(), "breaking the cycle freed it");
    }

    @Test
    void aTwoCycleAcrossTypesNamesBothFields() {
        // Two types and an array slot: the names come from the registration, not from offsets.
        Group group = Group.create(7);
        Group other = Group.create(8);
        group.children(1, other);
        other.children(0, group);
        long groupAt = address(group);
        long otherAt = address(other);
        Group borrowed = group.children(1);
        group.close();
        other.close();

        LeakReport report = LeakReport.create();
        List<LeakReport.Cycle> cycles = cyclesWith(report, groupAt);
        assertEquals(1, cycles.size(), report.toString());
        LeakReport.Cycle cycle = cycles.get(0);
        assertEquals(Set.of(groupAt, otherAt), cycle.objects().stream().map(LeakReport.LiveBlock::address).collect(Collectors.toSet()));
        assertEquals(Set.of(groupAt + "children[1]" + otherAt, otherAt + "children[0]" + groupAt),
            cycle.links().stream().map(link -> link.from().address() + link.field() + link.to().address()).collect(Collectors.toSet()));

        borrowed.children(0, null);
        assertFalse(borrowed.isOpen());
    }

    @Test
    void aCycleHeldByAnOwnedReferenceIsNotReported() {
        Node a = Node.create(1, null);
        Node b = Node.create(2, a);
        a.next(b);
        long at = address(a);
        // a: one count from b, one from this test; b: one from a, one from this test.
        assertTrue(cyclesWith(LeakReport.create(), at).isEmpty());
        b.close();
        // Only a's reference is left outside: b is reachable through it.
        assertTrue(cyclesWith(LeakReport.create(), at).isEmpty());
        a.next(null);
        a.close();
    }

    @Test
    void aCycleHangingOffALiveObjectIsNotReportedUntilLet() {
        try (Node holder = Node.create(0, null)) {
            Node a = Node.create(1, null);
            Node b = Node.create(2, a);
            a.next(b);
            holder.next(a);
            long at = address(a);
            a.close();
            b.close();
            assertTrue(cyclesWith(LeakReport.create(), at).isEmpty(), "the live holder reaches the cycle");

            Node borrowed = holder.next();
            holder.next(null);              // now nothing outside holds the cycle
            LeakReport report = LeakReport.create();
            List<LeakReport.Cycle> cycles = cyclesWith(report, at);
            assertEquals(1, cycles.size(), report.toString());
            assertEquals(2, cycles.get(0).objects().size());
            assertFalse(cyclesWith(report, address(holder)).size() > 0, "the holder is no part of it");

            borrowed.next(null);
            assertFalse(borrowed.isOpen());
        }
    }

    @Test
    void anObjectHangingOffACycleIsFreedWithItNotListedAsACycle() {
        Group hub = Group.create(1);
        Group leaf = Group.create(2);
        hub.children(0, hub);               // a self-cycle through an array element
        hub.children(1, leaf);              // leaf hangs off it
        long hubAt = address(hub);
        long leafAt = address(leaf);
        Group borrowed = hub.children(0);
        hub.close();
        leaf.close();

        LeakReport report = LeakReport.create();
        List<LeakReport.Cycle> cycles = cyclesWith(report, hubAt);
        assertEquals(1, cycles.size(), report.toString());
        assertEquals(1, cycles.get(0).objects().size());
        assertEquals("children[0]", cycles.get(0).links().get(0).field());
        assertTrue(cyclesWith(report, leafAt).isEmpty(), "leaf is in no cycle: it is freed with hub");
        assertTrue(report.blocksByType().get(Group.class.getName()).stream().anyMatch(b -> b.address() == leafAt),
            "leaf is still a live block");

        borrowed.children(0, null);
        assertFalse(borrowed.isOpen());
    }

    @Test
    void aCycleOfAHundredThousandNodesIsFoundInBoundedStack() throws Exception {
        int nodes = 100_000;
        Node first = Node.create(0, null);
        Node head = first.newReference();
        for (int i = 1; i < nodes; i++) {
            Node next = Node.create(i, head);
            head.close();
            head = next;
        }
        first.next(head);                   // close the ring: first -> head -> ... -> first
        long firstAt = address(first);
        Node borrowed = head.next();
        head.close();
        first.close();

        // A thread with a small stack: a recursive search would overflow it.
        AtomicReference<Object> result = new AtomicReference<>();
        Thread finder = new Thread(null, () -> {
            try {
                result.set(LeakReport.create());
            } catch (Throwable t) {
                result.set(t);
            }
        }, "cycle-finder", 128 * 1024);
        finder.start();
        finder.join();
        if (result.get() instanceof Throwable failure) {
            throw new AssertionError(failure);
        }
        LeakReport report = (LeakReport) result.get();
        List<LeakReport.Cycle> cycles = cyclesWith(report, firstAt);
        assertEquals(1, cycles.size());
        assertEquals(nodes, cycles.get(0).objects().size());
        assertEquals(nodes, cycles.get(0).links().size());
        assertTrue(report.toString().contains("more links"), "the printed report stays short");

        long before = MemoryStats.snapshot().of(Node.class.getName()).liveBlocks();
        borrowed.next(null);                // breaks the ring; the chain is destroyed iteratively
        assertEquals(before - nodes, MemoryStats.snapshot().of(Node.class.getName()).liveBlocks());
    }
}
