package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.cypclass.examples.Node;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.RefList;
import org.cypclass.tests.support.property.Generator;
import org.cypclass.tests.support.property.PropertyCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based tests: random sequences of list operations, each applied to a container and to
 * a {@code java.util.ArrayList}, must give the same results, the same exceptions for bad
 * indices, the same contents, and (for references) the counts the slots should hold. Each
 * sequence must end with as many live off-heap blocks and bytes as it started with
 * ({@link PropertyCheck} checks every case).
 */
class ListModelTest {

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

    /** Up to 80 operations, each drawn field by field. */
    static final Generator<List<Op>> OPERATIONS = choices -> choices.listOf(80, c -> new Op(
        c.between(0, 9), c.between(-2, 40), c.between(-3L, 8L)));

    @Test
    void aLongListBehavesAsAnArrayList() {
        PropertyCheck.forAll(10_000, OPERATIONS, this::aLongListBehavesAsAnArrayList);
    }

    void aLongListBehavesAsAnArrayList(List<Op> operations) {
        aLongListBehavesAs(new ArrayList<>(), operations);
    }

    /**
     * The model check itself shown to work: a model broken on purpose (its {@code remove(index)}
     * removes the last element) is caught, and the failure shrinks to the three steps that show it.
     */
    @Test
    void aBrokenModelFailsWithTheMinimalSequence() {
        AssertionError error = assertThrows(AssertionError.class, () -> PropertyCheck.forAll(10_000, OPERATIONS,
            operations -> aLongListBehavesAs(new RemovesTheLast(), operations)));
        assertTrue(error.getMessage().contains("the smallest failing case:\n    [add(0), add(1), removeAt(0)]\n"),
            error.getMessage());
        assertTrue(error.getMessage().contains("replay with -Dcypclass.property.seed=0x"), error.getMessage());
    }

    /** An {@code ArrayList} whose {@code remove(index)} is wrong: it removes the last element. */
    private static final class RemovesTheLast extends ArrayList<Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long remove(int index) {
            Objects.checkIndex(index, size());
            return super.remove(size() - 1);
        }
    }

    /** Applies {@code operations} to a {@link LongList} and to {@code model} (empty at first): they must agree. */
    static void aLongListBehavesAs(List<Long> model, List<Op> operations) {
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
    }

    @Test
    void aRefListBehavesAsAnArrayListAndHoldsOneCountPerSlot() {
        PropertyCheck.forAll(10_000, OPERATIONS, this::aRefListBehavesAsAnArrayListAndHoldsOneCountPerSlot);
    }

    void aRefListBehavesAsAnArrayListAndHoldsOneCountPerSlot(List<Op> operations) {
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
    }
}
