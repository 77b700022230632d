package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.cypclass.objects.containers.IntSet;
import org.cypclass.objects.containers.LongSet;
import org.cypclass.tests.support.property.Generator;
import org.cypclass.tests.support.property.PropertyCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Model-based tests of the sets: random sequences of set operations, applied to a
 * {@link LongSet} (and an {@link IntSet}) and to a {@code java.util.LinkedHashSet} (insertion
 * order, a present element keeps its place, a re-insertion goes last), must give the same
 * results, the same contents in the same order through the cursor and the view, and leave no
 * live block. Elements come from a small range so that removals hit and the entry block fills
 * with removed entries and gets compacted.
 */
class SetModelTest {

    /** One operation on an element (and a capacity for ensureCapacity). */
    record Op(int kind, long element, long capacity) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> "add(" + element + ")";
                case 3, 4 -> "remove(" + element + ")";
                case 5, 6 -> "contains(" + element + ")";
                case 7 -> "cursor remove of " + element;
                case 8 -> "ensureCapacity(" + capacity + ")";
                default -> "clear()";
            };
        }
    }

    /** Up to 120 operations, each drawn field by field. */
    static final Generator<List<Op>> OPERATIONS = choices -> choices.listOf(120, c -> new Op(
        c.between(0, 9), c.between(-4L, 30L), c.between(-2L, 40L)));

    @Test
    void aLongSetBehavesAsALinkedHashSet() {
        PropertyCheck.forAll(10_000, OPERATIONS, this::aLongSetBehavesAsALinkedHashSet);
    }

    void aLongSetBehavesAsALinkedHashSet(List<Op> operations) {
        Set<Long> model = new LinkedHashSet<>();
        try (LongSet set = LongSet.create()) {
            for (Op op : operations) {
                long element = op.element() == 30 ? Long.MIN_VALUE : op.element();
                switch (op.kind()) {
                    case 0, 1, 2 -> assertEquals(model.add(element), set.add(element));
                    case 3, 4 -> assertEquals(model.remove(element), set.remove(element));
                    case 5, 6 -> assertEquals(model.contains(element), set.contains(element));
                    case 7 -> {
                        LongSet.Cursor cursor = set.cursor();
                        while (cursor.next()) {
                            if (cursor.value() == element) {
                                cursor.remove();
                            }
                        }
                        model.remove(element);
                    }
                    case 8 -> {
                        if (op.capacity() < 0) {
                            assertThrows(IllegalArgumentException.class, () -> set.ensureCapacity(op.capacity()));
                        } else {
                            set.ensureCapacity(op.capacity());
                        }
                    }
                    default -> {
                        set.clear();
                        model.clear();
                    }
                }
                assertEquals(model.size(), set.size());
            }
            List<Long> walked = new ArrayList<>();
            LongSet.Cursor cursor = set.cursor();
            while (cursor.next()) {
                walked.add(cursor.value());
            }
            assertEquals(new ArrayList<>(model), walked);
            assertEquals(new ArrayList<>(model), new ArrayList<>(set.asSet()));
            assertEquals(model, set.asSet());
        }
    }

    @Test
    void anIntSetViewBehavesAsALinkedHashSet() {
        PropertyCheck.forAll(10_000, OPERATIONS, this::anIntSetViewBehavesAsALinkedHashSet);
    }

    void anIntSetViewBehavesAsALinkedHashSet(List<Op> operations) {
        Set<Integer> model = new LinkedHashSet<>();
        try (IntSet set = IntSet.create()) {
            Set<Integer> view = set.asSet();
            for (Op op : operations) {
                int element = op.element() == 30 ? Integer.MIN_VALUE : (int) op.element();
                switch (op.kind()) {
                    case 0, 1 -> assertEquals(model.add(element), set.add(element));
                    case 2 -> assertEquals(model.add(element), view.add(element));
                    case 3 -> assertEquals(model.remove(element), set.remove(element));
                    case 4 -> assertEquals(model.remove(element), view.remove(element));
                    case 5 -> assertEquals(model.contains(element), set.contains(element));
                    case 6 -> assertEquals(model.contains(element), view.contains(element));
                    case 7 -> assertEquals(model.removeIf(e -> e == element), view.removeIf(e -> e == element));
                    case 8 -> set.ensureCapacity(Math.max(0, op.capacity()));
                    default -> {
                        view.clear();
                        model.clear();
                    }
                }
                assertEquals(model.size(), view.size());
            }
            assertEquals(new ArrayList<>(model), new ArrayList<>(view));
        }
    }
}
