package org.cypclass.tests.containers;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.cypclass.examples.Node;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyStr;
import org.cypclass.objects.containers.StrLongDict;
import org.cypclass.objects.containers.StrRefDict;
import org.cypclass.objects.containers.StrSet;
import org.cypclass.tests.support.property.Generator;
import org.cypclass.tests.support.property.PropertyCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based tests of the containers keyed by string content: random sequences of operations
 * applied to a {@link StrLongDict}, a {@link StrRefDict} (values from a pool of nodes, or null)
 * or a {@link StrSet} and to a {@code LinkedHashMap} / {@code LinkedHashSet} of Java strings
 * (Python's order) must give the same results through every way in (a fresh {@code CyStr} per
 * operation, so keys match by content and never by instance; a {@code String}; bytes in a heap
 * or native segment), the same contents in the same order through the cursor, the iterator and
 * the view, one count per entry that holds a node, and no live block at the end. The keys are
 * few (so removals hit and the entry block gets compacted), of lengths that take every branch
 * of the hash's tail (0 to 40 bytes), and include texts that share prefixes and lengths.
 */
class StrContainersModelTest {

    private static final String[] KEYS = {"", "a", "b", "ab", "ba", "abc", "日本", "😀", "abcdefg", "abcdefgh",
        "abcdefgi", "0123456789abcdef", "0123456789abcdeg", "0123456789abcdef0", "x".repeat(40), "y".repeat(40), "é",
        "ünïcödé ünïcödé", "key-17", "key-71"};
    private static final int POOL = 6;

    /** One operation on a key (and a value). */
    record Op(int kind, int key, int value) {
        @Override
        public String toString() {
            return "op" + kind + "(\"" + KEYS[key] + "\", " + value + ")";
        }
    }

    static final Generator<List<Op>> OPERATIONS = choices -> choices.listOf(150, c -> new Op(
        c.between(0, 11), c.between(0, KEYS.length - 1), c.between(0, POOL)));

    private static MemorySegment bytes(String text) {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStrLongDictBehavesAsALinkedHashMap() {
        PropertyCheck.forAll(5_000, OPERATIONS, this::aStrLongDictBehavesAsALinkedHashMap);
    }

    void aStrLongDictBehavesAsALinkedHashMap(List<Op> operations) {
        Map<String, Long> model = new LinkedHashMap<>();
        try (StrLongDict dict = StrLongDict.create()) {
            for (Op op : operations) {
                String text = KEYS[op.key()];
                long value = op.value() - 2;
                try (CyStr key = CyStr.of(text)) {
                    switch (op.kind()) {
                        case 0, 1 -> {
                            dict.put(key, value);
                            model.put(text, value);
                        }
                        case 2 -> assertEquals(model.merge(text, value, Long::sum).longValue(), dict.addTo(key, value));
                        case 3 -> assertEquals(model.merge(text, value, Long::sum).longValue(), dict.addTo(bytes(text), value));
                        case 4 -> {
                            assertEquals(model.containsKey(text), dict.remove(key));
                            model.remove(text);
                        }
                        case 5 -> {
                            if (model.containsKey(text)) {
                                assertEquals(model.get(text).longValue(), dict.get(key));
                                assertEquals(model.get(text).longValue(), dict.get(bytes(text)));
                            } else {
                                assertThrows(NoSuchElementException.class, () -> dict.get(key));
                                assertThrows(NoSuchElementException.class, () -> dict.get(bytes(text)));
                            }
                        }
                        case 6 -> {
                            long expected = model.getOrDefault(text, -99L);
                            assertEquals(expected, dict.getOrDefault(key, -99));
                            assertEquals(expected, dict.getOrDefault(text, -99));
                            assertEquals(expected, dict.getOrDefault(bytes(text), -99));
                        }
                        case 7 -> {
                            assertEquals(model.containsKey(text), dict.containsKey(key));
                            assertEquals(model.containsKey(text), dict.containsKey(text));
                            assertEquals(model.containsKey(text), dict.containsKey(bytes(text)));
                            assertEquals(model.containsKey(text), dict.asMap().containsKey(key));
                        }
                        case 8 -> {
                            StrLongDict.Cursor cursor = dict.cursor();
                            while (cursor.next()) {
                                if (cursor.key().equals(key)) {
                                    cursor.remove();
                                }
                            }
                            model.remove(text);
                        }
                        case 9 -> assertEquals(model.get(text), dict.asMap().get(key));
                        case 10 -> {
                            // A key made by the dict from bytes, then its value overwritten through the view.
                            dict.addTo(bytes(text), 0);
                            model.merge(text, 0L, Long::sum);
                            dict.asMap().put(key, value * 3);
                            model.put(text, value * 3);
                        }
                        default -> {
                            dict.clear();
                            model.clear();
                        }
                    }
                }
                assertEquals(model.size(), dict.size());
            }
            List<Map.Entry<String, Long>> walked = new ArrayList<>();
            StrLongDict.Cursor cursor = dict.cursor();
            while (cursor.next()) {
                walked.add(Map.entry(cursor.key().toString(), cursor.value()));
            }
            assertEquals(new ArrayList<>(model.entrySet()), walked);
            List<String> keys = new ArrayList<>();
            for (CyStr key : dict) {
                keys.add(key.toString());
                assertEquals(1, RefCount.count(key.pointer().address()), "only the dict holds " + key);
            }
            assertEquals(new ArrayList<>(model.keySet()), keys);
        }
    }

    @Test
    void aStrRefDictBehavesAsALinkedHashMapAndCountsKeysAndValues() {
        PropertyCheck.forAll(5_000, OPERATIONS, this::aStrRefDictBehavesAsALinkedHashMap);
    }

    private static Integer payload(Node node) {
        return node == null ? null : (int) node.payload();
    }

    void aStrRefDictBehavesAsALinkedHashMap(List<Op> operations) {
        Node[] nodes = new Node[POOL];
        for (int i = 0; i < POOL; i++) {
            nodes[i] = Node.create(i, null);
        }
        Map<String, Integer> model = new LinkedHashMap<>();
        try (StrRefDict<Node> dict = StrRefDict.create(Node.class)) {
            for (Op op : operations) {
                String text = KEYS[op.key()];
                Node value = op.value() == POOL ? null : nodes[op.value()];
                try (CyStr key = CyStr.of(text)) {
                    switch (op.kind()) {
                        case 0, 1, 2, 3 -> {
                            dict.put(key, value);
                            model.put(text, payload(value));
                        }
                        case 4, 5 -> {
                            assertEquals(model.containsKey(text), dict.remove(key));
                            model.remove(text);
                        }
                        case 6 -> {
                            if (model.containsKey(text)) {
                                assertEquals(model.get(text), payload(dict.get(key)));
                                assertEquals(model.get(text), payload(dict.get(bytes(text))));
                            } else {
                                assertThrows(NoSuchElementException.class, () -> dict.get(key));
                            }
                        }
                        case 7 -> {
                            Integer expected = model.containsKey(text) ? model.get(text) : Integer.valueOf(0);
                            assertEquals(expected, payload(dict.getOrDefault(key, nodes[0])));
                            assertEquals(expected, payload(dict.getOrDefault(text, nodes[0])));
                            assertEquals(expected, payload(dict.getOrDefault(bytes(text), nodes[0])));
                        }
                        case 8 -> {
                            assertEquals(model.containsKey(text), dict.containsKey(key));
                            assertEquals(model.containsKey(text), dict.containsKey(text));
                            assertEquals(model.containsKey(text), dict.containsKey(bytes(text)));
                        }
                        case 9 -> {
                            StrRefDict.Cursor<Node> cursor = dict.cursor();
                            while (cursor.next()) {
                                if (cursor.key().equals(key)) {
                                    cursor.setValue(nodes[1]);
                                    model.put(text, 1);
                                }
                            }
                        }
                        case 10 -> {
                            StrRefDict.Cursor<Node> cursor = dict.cursor();
                            while (cursor.next()) {
                                if (cursor.key().equals(key)) {
                                    cursor.remove();
                                }
                            }
                            model.remove(text);
                        }
                        default -> {
                            dict.clear();
                            model.clear();
                        }
                    }
                }
                assertEquals(model.size(), dict.size());
            }
            List<Map.Entry<String, Integer>> walked = new ArrayList<>();
            StrRefDict.Cursor<Node> cursor = dict.cursor();
            while (cursor.next()) {
                walked.add(new java.util.AbstractMap.SimpleEntry<>(cursor.key().toString(), payload(cursor.value())));
            }
            assertEquals(new ArrayList<>(model.entrySet()), walked);
            for (int i = 0; i < POOL; i++) {
                int held = 0;
                for (Integer number : model.values()) {
                    held += number != null && number == i ? 1 : 0;
                }
                assertEquals(1 + held, RefCount.count(nodes[i].pointer().address()), "node " + i);
            }
        } finally {
            for (Node node : nodes) {
                node.close();
            }
        }
    }

    @Test
    void aStrSetBehavesAsALinkedHashSet() {
        PropertyCheck.forAll(5_000, OPERATIONS, this::aStrSetBehavesAsALinkedHashSet);
    }

    void aStrSetBehavesAsALinkedHashSet(List<Op> operations) {
        Set<String> model = new LinkedHashSet<>();
        try (StrSet set = StrSet.create()) {
            for (Op op : operations) {
                String text = KEYS[op.key()];
                try (CyStr element = CyStr.of(text)) {
                    switch (op.kind()) {
                        case 0, 1, 2 -> assertEquals(model.add(text), set.add(element));
                        case 3 -> assertEquals(model.add(text), set.add(bytes(text)));
                        case 4, 5 -> assertEquals(model.remove(text), set.remove(element));
                        case 6 -> assertEquals(model.contains(text), set.contains(element));
                        case 7 -> assertEquals(model.contains(text), set.contains(text));
                        case 8 -> assertEquals(model.contains(text), set.contains(bytes(text)));
                        case 9 -> assertEquals(model.contains(text), set.asSet().contains(element));
                        case 10 -> {
                            StrSet.Cursor cursor = set.cursor();
                            while (cursor.next()) {
                                if (cursor.element().equals(element)) {
                                    cursor.remove();
                                }
                            }
                            model.remove(text);
                        }
                        default -> {
                            set.clear();
                            model.clear();
                        }
                    }
                }
                assertEquals(model.size(), set.size());
            }
            List<String> walked = new ArrayList<>();
            for (CyStr element : set) {
                walked.add(element.toString());
            }
            assertEquals(new ArrayList<>(model), walked);
        }
    }

    @Test
    void aDictKeepsItsFirstKeyStringAndGrowsThroughManyKeys() {
        try (StrLongDict dict = StrLongDict.create(); CyStr first = CyStr.of("same"); CyStr second = CyStr.of("same")) {
            dict.put(first, 1);
            dict.put(second, 2);
            assertEquals(1, dict.size());
            assertEquals(2, RefCount.count(first.pointer().address()), "the dict kept the first key's string");
            assertEquals(1, RefCount.count(second.pointer().address()), "and gave the second one's count back");
            for (int i = 0; i < 100_000; i++) {
                dict.addTo(bytes("word" + i), i);
            }
            assertEquals(100_001, dict.size());
            for (int i = 0; i < 100_000; i += 997) {
                assertEquals(i, dict.getOrDefault("word" + i, -1));
            }
            assertTrue(dict.dump().contains("same=2"), dict.dump());
        }
        try (StrSet set = StrSet.create(3)) {
            assertTrue(set.add(bytes("x")));
            assertFalse(set.add(bytes("x")));
            assertThrows(IllegalArgumentException.class, () -> set.add(MemorySegment.ofArray(new byte[] {(byte) 0xFF})));
            assertEquals(1, set.size());
            assertTrue(set.dump().contains("\"x\""), set.dump());
        }
        try (StrRefDict<Node> dict = StrRefDict.create(Node.class)) {
            assertNull(dict.getOrDefault("missing", null));
            assertEquals(Node.class, dict.valueType());
        }
    }
}
