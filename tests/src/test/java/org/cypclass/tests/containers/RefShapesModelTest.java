package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.cypclass.examples.Node;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.containers.RefRefDict;
import org.cypclass.objects.containers.RefSet;
import org.cypclass.tests.support.property.Generator;
import org.cypclass.tests.support.property.PropertyCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based tests of the reference shapes keyed by identity: random sequences of operations,
 * applied to a {@link RefRefDict} (keys and values from one pool of nodes, values also null) or
 * a {@link RefSet} and to a {@code java.util.LinkedHashMap} / {@code LinkedHashSet} of node
 * numbers, must give the same results, the same exception for a missing key, the same entries
 * in the same order through the cursor, for-each and the view, exactly one count per key and
 * per value held, and leave no live block (the leak check). Nodes come from a small pool so
 * that removals hit and the entry block fills with removed entries and gets compacted.
 */
class RefShapesModelTest {

    private static final int POOL = 12;

    /** One operation: a kind, a node number (a key or element) and another (a value, POOL for null). */
    record Op(int kind, int key, int value) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> "put/add(" + key + ", " + value + ")";
                case 3, 4 -> "remove(" + key + ")";
                case 5 -> "get(" + key + ")";
                case 6 -> "getOrDefault/contains(" + key + ")";
                case 7 -> "containsKey/view contains(" + key + ")";
                case 8 -> "cursor remove of " + key;
                case 9 -> "iterator remove of " + key;
                case 10 -> "view put/add(" + key + ")";
                default -> "clear()";
            };
        }
    }

    /** Up to 120 operations, each drawn field by field. */
    static final Generator<List<Op>> OPERATIONS = choices -> choices.listOf(120, c -> new Op(
        c.between(0, 11), c.between(0, POOL - 1), c.between(0, POOL)));

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

    private static Integer number(Node node) {
        return node == null ? null : (int) node.payload();
    }

    @Test
    void aRefRefDictBehavesAsALinkedHashMap() {
        Node[] nodes = pool();
        try {
            PropertyCheck.forAll(10_000, OPERATIONS, operations -> aRefRefDictBehavesAsALinkedHashMap(nodes, operations));
        } finally {
            for (Node node : nodes) {
                node.close();
            }
        }
    }

    private void aRefRefDictBehavesAsALinkedHashMap(Node[] nodes, List<Op> operations) {
        Map<Integer, Integer> model = new LinkedHashMap<>();
        try (RefRefDict<Node, Node> dict = RefRefDict.create(Node.class, Node.class)) {
            Map<Node, Node> view = dict.asMap();
            for (Op op : operations) {
                Node key = nodes[op.key()];
                Node value = op.value() == POOL ? null : nodes[op.value()];
                int k = op.key();
                switch (op.kind()) {
                    case 0, 1, 2 -> {
                        dict.put(key, value);
                        model.put(k, number(value));
                    }
                    case 3, 4 -> {
                        assertEquals(model.containsKey(k), dict.remove(key), op::toString);
                        model.remove(k);
                    }
                    case 5 -> {
                        if (model.containsKey(k)) {
                            assertEquals(model.get(k), number(dict.get(key)));
                        } else {
                            assertThrows(NoSuchElementException.class, () -> dict.get(key));
                        }
                    }
                    case 6 -> assertEquals(model.containsKey(k) ? model.get(k) : Integer.valueOf(0),
                        number(dict.getOrDefault(key, nodes[0])));
                    case 7 -> {
                        assertEquals(model.containsKey(k), dict.containsKey(key));
                        assertEquals(model.get(k), number(view.get(key)));
                    }
                    case 8 -> {
                        RefRefDict.Cursor<Node, Node> cursor = dict.cursor();
                        while (cursor.next()) {
                            if (cursor.key().equals(key)) {
                                cursor.remove();
                            }
                        }
                        model.remove(k);
                    }
                    case 9 -> {
                        var iterator = dict.iterator();
                        while (iterator.hasNext()) {
                            if (iterator.next().equals(key)) {
                                iterator.remove();
                            }
                        }
                        model.remove(k);
                    }
                    case 10 -> {
                        Integer old = number(view.put(key, value));
                        assertEquals(model.put(k, number(value)), old);
                    }
                    default -> {
                        dict.clear();
                        model.clear();
                    }
                }
                assertEquals(model.size(), dict.size());
            }
            List<Map.Entry<Integer, Integer>> walked = new ArrayList<>();
            RefRefDict.Cursor<Node, Node> cursor = dict.cursor();
            while (cursor.next()) {
                walked.add(new java.util.AbstractMap.SimpleEntry<>(number(cursor.key()), number(cursor.value())));
            }
            assertEquals(new ArrayList<>(model.entrySet()), walked);
            List<Integer> keys = new ArrayList<>();
            for (Node key : dict) {
                keys.add(number(key));
            }
            assertEquals(new ArrayList<>(model.keySet()), keys);
            for (int i = 0; i < POOL; i++) {
                int held = model.containsKey(i) ? 1 : 0;
                for (Integer number : model.values()) {
                    held += number != null && number == i ? 1 : 0;
                }
                assertEquals(1 + held, count(nodes[i]), "node " + i + ": one count per key and per value holding it");
            }
            assertNull(view.get(null));
        }
        for (int i = 0; i < POOL; i++) {
            assertEquals(1, count(nodes[i]), "node " + i + " released by the dict's destruction");
        }
    }

    @Test
    void aRefSetBehavesAsALinkedHashSet() {
        Node[] nodes = pool();
        try {
            PropertyCheck.forAll(10_000, OPERATIONS, operations -> aRefSetBehavesAsALinkedHashSet(nodes, operations));
        } finally {
            for (Node node : nodes) {
                node.close();
            }
        }
    }

    private void aRefSetBehavesAsALinkedHashSet(Node[] nodes, List<Op> operations) {
        Set<Integer> model = new LinkedHashSet<>();
        try (RefSet<Node> set = RefSet.create(Node.class)) {
            Set<Node> view = set.asSet();
            for (Op op : operations) {
                Node element = nodes[op.key()];
                int k = op.key();
                switch (op.kind()) {
                    case 0, 1, 2 -> assertEquals(model.add(k), set.add(element));
                    case 3 -> assertEquals(model.remove(k), set.remove(element));
                    case 4 -> assertEquals(model.remove(k), view.remove(element));
                    case 5, 6 -> assertEquals(model.contains(k), set.contains(element));
                    case 7 -> assertEquals(model.contains(k), view.contains(element));
                    case 8 -> {
                        RefSet.Cursor<Node> cursor = set.cursor();
                        while (cursor.next()) {
                            if (cursor.element().equals(element)) {
                                cursor.remove();
                            }
                        }
                        model.remove(k);
                    }
                    case 9 -> assertEquals(model.removeIf(e -> e == k), view.removeIf(e -> e.equals(element)));
                    case 10 -> assertEquals(model.add(k), view.add(element));
                    default -> {
                        set.clear();
                        model.clear();
                    }
                }
                assertEquals(model.size(), set.size());
            }
            List<Integer> walked = new ArrayList<>();
            RefSet.Cursor<Node> cursor = set.cursor();
            while (cursor.next()) {
                walked.add(number(cursor.element()));
            }
            assertEquals(new ArrayList<>(model), walked);
            List<Integer> each = new ArrayList<>();
            for (Node node : set) {
                assertTrue(node.isBorrowed());
                each.add(number(node));
            }
            assertEquals(walked, each);
            for (int i = 0; i < POOL; i++) {
                assertEquals(model.contains(i) ? 2 : 1, count(nodes[i]), "node " + i + ": one count while an element");
            }
        }
    }
}
