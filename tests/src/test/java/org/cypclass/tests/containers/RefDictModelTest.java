package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.cypclass.examples.Node;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.containers.LongRefDict;
import org.cypclass.objects.containers.RefLongDict;
import org.cypclass.tests.support.property.Generator;
import org.cypclass.tests.support.property.PropertyCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Model-based tests of the reference dicts: random sequences of dict operations, applied to a
 * {@link LongRefDict} (values from a pool of eight nodes, or null) or a {@link RefLongDict}
 * (keys from the pool) and to a {@code java.util.LinkedHashMap} of node numbers (Python's
 * order), must give the same results, the same exception for a missing key, the same entries
 * in the same order through the cursor and the view, exactly one count per entry that holds a
 * node, and leave no live block. Keys come from a small range so that removals hit and the
 * entry block fills with removed entries and gets compacted.
 */
class RefDictModelTest {

    private static final int POOL = 8;

    /** One operation on a key (and a node number or value). */
    record Op(int kind, long key, int value) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> "put(" + key + ", " + value + ")";
                case 3, 4 -> "remove(" + key + ")";
                case 5 -> "get(" + key + ")";
                case 6 -> "getOrDefault(" + key + ")";
                case 7 -> "containsKey(" + key + ")";
                case 8 -> "cursor remove of " + key;
                default -> "clear()";
            };
        }
    }

    /** Up to 120 operations, each drawn field by field. */
    static final Generator<List<Op>> OPERATIONS = choices -> choices.listOf(120, c -> new Op(
        c.between(0, 9), c.between(-4L, 30L), c.between(0, POOL)));

    private static Node[] pool() {
        Node[] nodes = new Node[POOL];
        for (int i = 0; i < POOL; i++) {
            nodes[i] = Node.create(i, null);
        }
        return nodes;
    }

    private static int count(Node node) {
        return RefCount.count(node.pointer().address());
    }

    private static Integer payload(Node node) {
        return node == null ? null : (int) node.payload();
    }

    @Test
    void aLongRefDictBehavesAsALinkedHashMap() {
        PropertyCheck.forAll(10_000, OPERATIONS, this::aLongRefDictBehavesAsALinkedHashMap);
    }

    void aLongRefDictBehavesAsALinkedHashMap(List<Op> operations) {
        Node[] nodes = pool();
        Map<Long, Integer> model = new LinkedHashMap<>();
        try (LongRefDict<Node> dict = LongRefDict.create(Node.class)) {
            for (Op op : operations) {
                long key = op.key() == 30 ? Long.MIN_VALUE : op.key();
                Node value = op.value() == POOL ? null : nodes[op.value()];
                switch (op.kind()) {
                    case 0, 1, 2 -> {
                        dict.put(key, value);
                        model.put(key, payload(value));
                    }
                    case 3, 4 -> {
                        assertEquals(model.containsKey(key), dict.remove(key));
                        model.remove(key);
                    }
                    case 5 -> {
                        if (model.containsKey(key)) {
                            assertEquals(model.get(key), payload(dict.get(key)));
                        } else {
                            assertThrows(NoSuchElementException.class, () -> dict.get(key));
                        }
                    }
                    case 6 -> {
                        Node found = dict.getOrDefault(key, nodes[0]);
                        assertEquals(model.containsKey(key) ? model.get(key) : Integer.valueOf(0), payload(found));
                    }
                    case 7 -> assertEquals(model.containsKey(key), dict.containsKey(key));
                    case 8 -> {
                        LongRefDict.Cursor<Node> cursor = dict.cursor();
                        while (cursor.next()) {
                            if (cursor.key() == key) {
                                cursor.remove();
                            }
                        }
                        model.remove(key);
                    }
                    default -> {
                        dict.clear();
                        model.clear();
                    }
                }
                assertEquals(model.size(), dict.size());
            }
            List<Map.Entry<Long, Integer>> walked = new ArrayList<>();
            LongRefDict.Cursor<Node> cursor = dict.cursor();
            while (cursor.next()) {
                walked.add(new java.util.AbstractMap.SimpleEntry<>(cursor.key(), payload(cursor.value())));
            }
            assertEquals(new ArrayList<>(model.entrySet()), walked);
            assertEquals(new ArrayList<>(model.keySet()), new ArrayList<>(dict.asMap().keySet()));
            for (int i = 0; i < POOL; i++) {
                int held = 0;
                for (Integer number : model.values()) {
                    held += number != null && number == i ? 1 : 0;
                }
                assertEquals(1 + held, count(nodes[i]), "node " + i + ": one count per entry holding it");
            }
        } finally {
            for (Node node : nodes) {
                node.close();
            }
        }
    }

    @Test
    void aRefLongDictBehavesAsALinkedHashMapOfInstances() {
        PropertyCheck.forAll(10_000, OPERATIONS, this::aRefLongDictBehavesAsALinkedHashMapOfInstances);
    }

    void aRefLongDictBehavesAsALinkedHashMapOfInstances(List<Op> operations) {
        Node[] nodes = pool();
        Map<Integer, Long> model = new LinkedHashMap<>();
        try (RefLongDict<Node> dict = RefLongDict.create(Node.class)) {
            for (Op op : operations) {
                int number = Math.floorMod(op.key(), POOL);
                Node key = nodes[number];
                long value = op.value() * 1000L + op.key();
                switch (op.kind()) {
                    case 0, 1, 2 -> {
                        dict.put(key, value);
                        model.put(number, value);
                    }
                    case 3, 4 -> assertEquals(model.remove(number) != null, dict.remove(key));
                    case 5 -> {
                        if (model.containsKey(number)) {
                            assertEquals((long) model.get(number), dict.get(key));
                        } else {
                            assertThrows(NoSuchElementException.class, () -> dict.get(key));
                        }
                    }
                    case 6 -> assertEquals((long) model.getOrDefault(number, -99L), dict.getOrDefault(key, -99));
                    case 7 -> assertEquals(model.containsKey(number), dict.containsKey(key));
                    case 8 -> {
                        RefLongDict.Cursor<Node> cursor = dict.cursor();
                        while (cursor.next()) {
                            if (cursor.key().equals(key)) {
                                cursor.remove();
                            }
                        }
                        model.remove(number);
                    }
                    default -> {
                        dict.clear();
                        model.clear();
                    }
                }
                assertEquals(model.size(), dict.size());
            }
            List<Map.Entry<Integer, Long>> walked = new ArrayList<>();
            RefLongDict.Cursor<Node> cursor = dict.cursor();
            while (cursor.next()) {
                walked.add(Map.entry((int) cursor.key().payload(), cursor.value()));
            }
            assertEquals(new ArrayList<>(model.entrySet()), walked);
            Map<Node, Long> view = dict.asMap();
            for (int i = 0; i < POOL; i++) {
                assertEquals(model.containsKey(i) ? 2 : 1, count(nodes[i]), "node " + i + ": one count while a key");
                assertEquals(model.get(i), view.get(nodes[i]));
            }
            assertNull(view.get(null));
        } finally {
            for (Node node : nodes) {
                node.close();
            }
        }
    }
}
