package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cypclass.examples.Node;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.RefList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based tests: random sequences of list operations, each applied to a container and to
 * a {@code java.util.ArrayList}, must give the same results, the same exceptions for bad
 * indices, the same contents, and (for references) the counts the slots should hold. Each try
 * ends with as many live off-heap blocks as it started with (jqwik runs outside the JUnit
 * Jupiter leak check, so the properties check it themselves).
 */
class ListModelProperties {

    /** One operation; {@code index} may fall outside the list on purpose. */
    record Op(int kind, int index, long value) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> "add(" + value + ")";
                case 3 -> "insert(" + index + ", " + value + ")";
                case 4 -> "set(" + index + ", " + value + ")";
                case 5, 6 -> "removeAt(" + index + ")";
                case 7 -> "get(" + index + ")";
                case 8 -> "indexOf(" + value + ")";
                default -> "clear()";
            };
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
            Arbitraries.integers().between(0, 9).edgeCases(edges -> edges.includeOnly(0)),
            Arbitraries.integers().between(-2, 40),
            Arbitraries.longs().between(-3, 8)).as(Op::new);
        return op.list().ofMaxSize(80);
    }

    @Property(tries = 10_000)
    void aLongListBehavesAsAnArrayList(@ForAll("operations") List<Op> operations) {
        long blocks = MemoryStats.snapshot().liveBlocks();
        List<Long> model = new ArrayList<>();
        try (LongList list = LongList.create()) {
            for (Op op : operations) {
                int index = op.index();
                boolean inRange = index >= 0 && index < model.size();
                switch (op.kind()) {
                    case 0, 1, 2 -> {
                        list.add(op.value());
                        model.add(op.value());
                    }
                    case 3 -> {
                        if (index >= 0 && index <= model.size()) {
                            list.add(index, op.value());
                            model.add(index, op.value());
                        } else {
                            assertThrows(IndexOutOfBoundsException.class, () -> list.add(index, op.value()));
                        }
                    }
                    case 4 -> {
                        if (inRange) {
                            assertEquals((long) model.set(index, op.value()), list.set(index, op.value()));
                        } else {
                            assertThrows(IndexOutOfBoundsException.class, () -> list.set(index, op.value()));
                        }
                    }
                    case 5, 6 -> {
                        if (inRange) {
                            assertEquals((long) model.remove(index), list.removeAt(index));
                        } else {
                            assertThrows(IndexOutOfBoundsException.class, () -> list.removeAt(index));
                        }
                    }
                    case 7 -> {
                        if (inRange) {
                            assertEquals((long) model.get(index), list.get(index));
                        } else {
                            assertThrows(IndexOutOfBoundsException.class, () -> list.get(index));
                        }
                    }
                    case 8 -> assertEquals(model.indexOf(op.value()), list.indexOf(op.value()));
                    default -> {
                        list.clear();
                        model.clear();
                    }
                }
                assertEquals(model.size(), list.size());
            }
            assertEquals(model, list.asList());
            List<Long> walked = new ArrayList<>();
            LongList.Cursor cursor = list.cursor();
            while (cursor.next()) {
                walked.add(cursor.value());
            }
            assertEquals(model, walked);
            assertTrue(list.capacity() >= list.size());
        }
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks(), "the try leaked");
    }

    @Property(tries = 10_000)
    void aRefListBehavesAsAnArrayListAndHoldsOneCountPerSlot(@ForAll("operations") List<Op> operations) {
        long blocks = MemoryStats.snapshot().liveBlocks();
        Node[] pool = new Node[9];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = Node.create(i, null);
        }
        List<Node> model = new ArrayList<>();
        try (RefList<Node> list = RefList.create(Node.class)) {
            for (Op op : operations) {
                int index = op.index();
                boolean inRange = index >= 0 && index < model.size();
                // Values -3..-1 stand for null, 0..8 for the pool's nodes.
                Node value = op.value() < 0 ? null : pool[(int) op.value()];
                switch (op.kind()) {
                    case 0, 1, 2 -> {
                        list.add(value);
                        model.add(value);
                    }
                    case 3 -> {
                        if (index >= 0 && index <= model.size()) {
                            list.add(index, value);
                            model.add(index, value);
                        } else {
                            assertThrows(IndexOutOfBoundsException.class, () -> list.add(index, value));
                        }
                    }
                    case 4 -> {
                        if (inRange) {
                            list.set(index, value);
                            model.set(index, value);
                        } else {
                            assertThrows(IndexOutOfBoundsException.class, () -> list.set(index, value));
                        }
                    }
                    case 5, 6 -> {
                        if (inRange) {
                            list.removeAt(index);
                            model.remove(index);
                        } else {
                            assertThrows(IndexOutOfBoundsException.class, () -> list.removeAt(index));
                        }
                    }
                    case 7 -> {
                        if (inRange) {
                            Node read = list.get(index);
                            assertEquals(model.get(index), read);
                            if (read != null) {
                                assertTrue(read.isBorrowed());
                                assertEquals(model.get(index).payload(), read.payload());
                            }
                        } else {
                            assertThrows(IndexOutOfBoundsException.class, () -> list.get(index));
                        }
                    }
                    case 8 -> assertEquals(model.indexOf(value), list.indexOf(value));
                    default -> {
                        list.clear();
                        model.clear();
                    }
                }
                assertEquals(model.size(), list.size());
            }
            for (Node node : pool) {
                long slots = model.stream().filter(node::equals).count();
                assertEquals(1 + slots, RefCount.count(node.pointer().address()), "one count per slot holding " + node);
            }
            RefList.Cursor<Node> cursor = list.cursor();
            int i = 0;
            while (cursor.next()) {
                Node element = cursor.element();
                if (model.get(i) == null) {
                    assertSame(null, element);
                } else {
                    assertEquals(model.get(i).payload(), element.payload());
                }
                i++;
            }
            assertEquals(model.size(), i);
            assertEquals(model, list.asList());
        } finally {
            for (Node node : pool) {
                node.close();
            }
        }
        for (Node node : pool) {
            assertFalse(node.isOpen());
        }
        assertEquals(blocks, MemoryStats.snapshot().liveBlocks(), "the try leaked");
    }
}
