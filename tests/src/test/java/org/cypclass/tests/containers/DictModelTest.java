package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.cypclass.objects.containers.LongLongDict;
import org.cypclass.tests.support.property.Generator;
import org.cypclass.tests.support.property.PropertyCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Model-based tests of the dict engine: random sequences of dict operations, applied to a
 * {@link LongLongDict} and to a {@code java.util.LinkedHashMap} (whose order is Python's:
 * insertion order, an overwrite keeps its place, a re-insertion goes last), must give the same
 * results, the same exception for a missing key, the same contents in the same order through
 * the cursor and the view, and leave no live block. Keys come from a small range so that
 * removals hit and the entry block fills with removed entries and gets compacted.
 */
class DictModelTest {

    /** One operation on a key (and a value for puts). */
    record Op(int kind, long key, long value) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> "put(" + key + ", " + value + ")";
                case 3, 4 -> "remove(" + key + ")";
                case 5 -> "get(" + key + ")";
                case 6 -> "getOrDefault(" + key + ")";
                case 7 -> "containsKey(" + key + ")";
                case 8 -> "ensureCapacity(" + value + ")";
                default -> "clear()";
            };
        }
    }

    /** Up to 120 operations, each drawn field by field. */
    static final Generator<List<Op>> OPERATIONS = choices -> choices.listOf(120, c -> new Op(
        c.between(0, 9), c.between(-4L, 30L), c.between(-2L, 40L)));

    @Test
    void aLongLongDictBehavesAsALinkedHashMap() {
        PropertyCheck.forAll(10_000, OPERATIONS, this::aLongLongDictBehavesAsALinkedHashMap);
    }

    void aLongLongDictBehavesAsALinkedHashMap(List<Op> operations) {
        Map<Long, Long> model = new LinkedHashMap<>();
        try (LongLongDict dict = LongLongDict.create()) {
            for (Op op : operations) {
                long key = op.key() == 30 ? Long.MIN_VALUE : op.key();
                switch (op.kind()) {
                    case 0, 1, 2 -> {
                        dict.put(key, op.value());
                        model.put(key, op.value());
                    }
                    case 3, 4 -> assertEquals(model.remove(key) != null, dict.remove(key));
                    case 5 -> {
                        if (model.containsKey(key)) {
                            assertEquals((long) model.get(key), dict.get(key));
                        } else {
                            assertThrows(NoSuchElementException.class, () -> dict.get(key));
                        }
                    }
                    case 6 -> assertEquals((long) model.getOrDefault(key, -99L), dict.getOrDefault(key, -99));
                    case 7 -> assertEquals(model.containsKey(key), dict.containsKey(key));
                    case 8 -> {
                        if (op.value() < 0) {
                            assertThrows(IllegalArgumentException.class, () -> dict.ensureCapacity(op.value()));
                        } else {
                            dict.ensureCapacity(op.value());
                        }
                    }
                    default -> {
                        dict.clear();
                        model.clear();
                    }
                }
                assertEquals(model.size(), dict.size());
            }
            List<Map.Entry<Long, Long>> walked = new ArrayList<>();
            LongLongDict.Cursor cursor = dict.cursor();
            while (cursor.next()) {
                walked.add(Map.entry(cursor.key(), cursor.value()));
            }
            assertEquals(new ArrayList<>(model.entrySet()), walked);
            assertEquals(new ArrayList<>(model.entrySet()), new ArrayList<>(dict.asMap().entrySet()));
            assertEquals(model, dict.asMap());
        }
    }
}
