package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

import org.cypclass.examples.Clash;
import org.cypclass.examples.Node;
import org.cypclass.examples.Point;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.containers.KeyLongDict;
import org.cypclass.objects.containers.KeyRefDict;
import org.cypclass.objects.containers.KeySet;
import org.cypclass.tests.support.property.Generator;
import org.cypclass.tests.support.property.PropertyCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based tests of the containers keyed by content ({@link KeyLongDict} over
 * {@link Point}s, {@link KeyRefDict} and {@link KeySet} over {@link Clash}es, whose hashes
 * collide on purpose): random sequences of operations, applied to the container and to a
 * {@code java.util.LinkedHashMap} / {@code LinkedHashSet} of key numbers, must agree. Every key
 * number has two frozen instances equal by content, and lookups use either of them or a new
 * thread-local instance, so a lookup by an equal but different instance must find the entry;
 * the container keeps the instance that was inserted first (Python's rule), holding exactly one
 * count of it, and releases it on removal, clear and destruction. A put of a key that is not
 * frozen is refused and changes nothing. {@link KeyLongDict} also checks that the {@code @Hash}
 * method runs once per operation, however the entry block is rebuilt meanwhile.
 */
class KeyContainersModelTest {

    private static final int KEYS = 20;

    /** One operation: a kind, a key number, which instance (0, 1 frozen; 2 a new thread-local one), a value. */
    record Op(int kind, int key, int instance, int value) {
        @Override
        public String toString() {
            return switch (kind) {
                case 0, 1, 2 -> "put/add(" + key + "#" + instance + ", " + value + ")";
                case 3, 4 -> "remove(" + key + "#" + instance + ")";
                case 5 -> "get/contains(" + key + "#" + instance + ")";
                case 6 -> "getOrDefault/contains(" + key + "#" + instance + ")";
                case 7 -> "view get/contains(" + key + "#" + instance + ")";
                case 8 -> "cursor remove of " + key;
                case 9 -> "view remove(" + key + "#" + instance + ")";
                case 10 -> "ensureCapacity(" + value * 7 + ")";
                default -> "clear()";
            };
        }
    }

    /** Up to 120 operations, each drawn field by field. */
    static final Generator<List<Op>> OPERATIONS = choices -> choices.listOf(120, c -> new Op(
        c.between(0, 11), c.between(0, KEYS - 1), c.between(0, 2), c.between(0, 8)));

    /** Two frozen instances per key number, equal by content. */
    private static <K extends CyObject> List<List<Frozen<K>>> frozenPool(Function<Integer, K> make) {
        List<List<Frozen<K>>> pool = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            pool.add(List.of(Isolated.consume(make.apply(i)).freeze(), Isolated.consume(make.apply(i)).freeze()));
        }
        return pool;
    }

    private static void close(List<? extends List<? extends Frozen<?>>> pool) {
        pool.forEach(pair -> pair.forEach(Frozen::close));
    }

    private static int count(CyObject reference) {
        return RefCount.count(reference.pointer().address());
    }

    private static Point point(int i) {
        return Point.create(i, i % 5);
    }

    /** Checks that each frozen key has one count, plus one if it is the instance the container holds. */
    private static void checkCounts(List<? extends List<? extends Frozen<?>>> pool, Map<Integer, Integer> stored) {
        for (int i = 0; i < KEYS; i++) {
            for (int which = 0; which < 2; which++) {
                boolean held = stored.containsKey(i) && stored.get(i) == which;
                assertEquals(held ? 2 : 1, count(pool.get(i).get(which).get()), "key " + i + "#" + which);
            }
        }
    }

    @Test
    void aKeyLongDictBehavesAsALinkedHashMapByContent() {
        List<List<Frozen<Point>>> pool = frozenPool(KeyContainersModelTest::point);
        try {
            PropertyCheck.forAll(10_000, OPERATIONS, operations -> aKeyLongDictBehavesAsALinkedHashMap(pool, operations));
        } finally {
            close(pool);
        }
    }

    private void aKeyLongDictBehavesAsALinkedHashMap(List<List<Frozen<Point>>> pool, List<Op> operations) {
        Map<Integer, Long> model = new LinkedHashMap<>();
        Map<Integer, Integer> stored = new LinkedHashMap<>();
        try (KeyLongDict<Point> dict = KeyLongDict.create(Point.class)) {
            Map<Point, Long> view = dict.asMap();
            for (Op op : operations) {
                int k = op.key();
                long value = op.value() * 1000L + k;
                try (Point fresh = point(k)) {
                    Point key = op.instance() == 2 ? fresh : pool.get(k).get(op.instance()).get();
                    long before = Point.HASHES.get();
                    // The @Hash calls the operation makes: one per lookup, none for a walk, a
                    // refused key, a rebuild or a clear.
                    int calls = 1;
                    switch (op.kind()) {
                        case 0, 1, 2 -> {
                            if (op.instance() == 2) {
                                assertThrows(IllegalArgumentException.class, () -> dict.put(fresh, value));
                                calls = 0;
                            } else {
                                dict.put(key, value);
                                model.put(k, value);
                                stored.putIfAbsent(k, op.instance());
                            }
                        }
                        case 3, 4 -> {
                            assertEquals(model.remove(k) != null, dict.remove(key));
                            stored.remove(k);
                        }
                        case 5 -> {
                            if (model.containsKey(k)) {
                                assertEquals((long) model.get(k), dict.get(key));
                            } else {
                                assertThrows(NoSuchElementException.class, () -> dict.get(key));
                            }
                        }
                        case 6 -> assertEquals((long) model.getOrDefault(k, -99L), dict.getOrDefault(key, -99));
                        case 7 -> {
                            assertEquals(model.containsKey(k), dict.containsKey(key));
                            assertEquals(model.get(k), view.get(key));
                            calls = 2;
                        }
                        case 8 -> {
                            KeyLongDict.Cursor<Point> cursor = dict.cursor();
                            while (cursor.next()) {
                                if (cursor.key().x() == k) {
                                    cursor.remove();
                                }
                            }
                            model.remove(k);
                            stored.remove(k);
                            calls = 0;
                        }
                        case 9 -> {
                            assertEquals(model.remove(k), view.remove(key));
                            stored.remove(k);
                            calls = 2;                              // the view's get, then its remove
                        }
                        case 10 -> {
                            dict.ensureCapacity(op.value() * 7L);
                            calls = 0;
                        }
                        default -> {
                            dict.clear();
                            model.clear();
                            stored.clear();
                            calls = 0;
                        }
                    }
                    long made = before + calls;
                    assertEquals(made, Point.HASHES.get(), () -> op + ": the @Hash method runs once per lookup");
                }
                assertEquals(model.size(), dict.size());
            }
            List<Map.Entry<Integer, Long>> walked = new ArrayList<>();
            KeyLongDict.Cursor<Point> cursor = dict.cursor();
            while (cursor.next()) {
                walked.add(Map.entry((int) cursor.key().x(), cursor.value()));
                assertTrue(cursor.key().equals(pool.get((int) cursor.key().x()).get(stored.get((int) cursor.key().x())).get()),
                    "the dict keeps the instance inserted first");
            }
            assertEquals(new ArrayList<>(model.entrySet()), walked);
            List<Integer> keys = new ArrayList<>();
            for (Point key : dict) {
                keys.add((int) key.x());
            }
            assertEquals(new ArrayList<>(model.keySet()), keys);
            checkCounts(pool, stored);
        }
        checkCounts(pool, Map.of());
    }

    @Test
    void aKeyRefDictOfCollidingKeysBehavesAsALinkedHashMapByContent() {
        List<List<Frozen<Clash>>> pool = frozenPool(i -> Clash.create(i));
        Node[] nodes = new Node[4];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = Node.create(i, null);
        }
        try {
            PropertyCheck.forAll(10_000, OPERATIONS, operations -> aKeyRefDictBehavesAsALinkedHashMap(pool, nodes, operations));
        } finally {
            close(pool);
            for (Node node : nodes) {
                node.close();
            }
        }
    }

    private void aKeyRefDictBehavesAsALinkedHashMap(List<List<Frozen<Clash>>> pool, Node[] nodes, List<Op> operations) {
        Map<Integer, Integer> model = new LinkedHashMap<>();
        Map<Integer, Integer> stored = new LinkedHashMap<>();
        try (KeyRefDict<Clash, Node> dict = KeyRefDict.create(Clash.class, Node.class)) {
            Map<Clash, Node> view = dict.asMap();
            for (Op op : operations) {
                int k = op.key();
                Node value = op.value() >= nodes.length ? null : nodes[op.value()];
                Integer number = value == null ? null : (int) value.payload();
                try (Clash fresh = Clash.create(k)) {
                    Clash key = op.instance() == 2 ? fresh : pool.get(k).get(op.instance()).get();
                    switch (op.kind()) {
                        case 0, 1 -> {
                            if (op.instance() == 2) {
                                assertThrows(IllegalArgumentException.class, () -> dict.put(fresh, value));
                            } else {
                                dict.put(key, value);
                                model.put(k, number);
                                stored.putIfAbsent(k, op.instance());
                            }
                        }
                        case 2 -> {
                            if (op.instance() != 2) {
                                Node old = view.put(key, value);
                                assertEquals(model.put(k, number), old == null ? null : (int) old.payload());
                                stored.putIfAbsent(k, op.instance());
                            }
                        }
                        case 3, 4 -> {
                            assertEquals(model.containsKey(k), dict.remove(key));
                            model.remove(k);
                            stored.remove(k);
                        }
                        case 5 -> {
                            if (model.containsKey(k)) {
                                Node found = dict.get(key);
                                assertEquals(model.get(k), found == null ? null : (int) found.payload());
                            } else {
                                assertThrows(NoSuchElementException.class, () -> dict.get(key));
                            }
                        }
                        case 6 -> {
                            Node found = dict.getOrDefault(key, nodes[0]);
                            assertEquals(model.containsKey(k) ? model.get(k) : Integer.valueOf(0),
                                found == null ? null : (int) found.payload());
                        }
                        case 7 -> {
                            assertEquals(model.containsKey(k), dict.containsKey(key));
                            assertEquals(model.containsKey(k), view.containsKey(key));
                        }
                        case 8 -> {
                            var iterator = dict.iterator();
                            while (iterator.hasNext()) {
                                if (iterator.next().id() == k) {
                                    iterator.remove();
                                }
                            }
                            model.remove(k);
                            stored.remove(k);
                        }
                        case 9 -> {
                            Node old = view.remove(key);
                            assertEquals(model.remove(k), old == null ? null : (int) old.payload());
                            assertFalse(dict.containsKey(key));
                            stored.remove(k);
                        }
                        case 10 -> dict.ensureCapacity(op.value() * 7L);
                        default -> {
                            dict.clear();
                            model.clear();
                            stored.clear();
                        }
                    }
                }
                assertEquals(model.size(), dict.size());
            }
            List<Map.Entry<Integer, Integer>> walked = new ArrayList<>();
            KeyRefDict.Cursor<Clash, Node> cursor = dict.cursor();
            while (cursor.next()) {
                Node value = cursor.value();
                walked.add(new java.util.AbstractMap.SimpleEntry<>((int) cursor.key().id(),
                    value == null ? null : (int) value.payload()));
            }
            assertEquals(new ArrayList<>(model.entrySet()), walked);
            checkCounts(pool, stored);
            for (int i = 0; i < nodes.length; i++) {
                int held = 0;
                for (Integer n : model.values()) {
                    held += n != null && n == i ? 1 : 0;
                }
                assertEquals(1 + held, count(nodes[i]), "node " + i + ": one count per entry holding it");
            }
        }
        checkCounts(pool, Map.of());
    }

    @Test
    void aKeySetOfCollidingKeysBehavesAsALinkedHashSetByContent() {
        List<List<Frozen<Clash>>> pool = frozenPool(i -> Clash.create(i));
        try {
            PropertyCheck.forAll(10_000, OPERATIONS, operations -> aKeySetBehavesAsALinkedHashSet(pool, operations));
        } finally {
            close(pool);
        }
    }

    private void aKeySetBehavesAsALinkedHashSet(List<List<Frozen<Clash>>> pool, List<Op> operations) {
        Set<Integer> model = new LinkedHashSet<>();
        Map<Integer, Integer> stored = new LinkedHashMap<>();
        try (KeySet<Clash> set = KeySet.create(Clash.class)) {
            Set<Clash> view = set.asSet();
            for (Op op : operations) {
                int k = op.key();
                try (Clash fresh = Clash.create(k)) {
                    Clash element = op.instance() == 2 ? fresh : pool.get(k).get(op.instance()).get();
                    switch (op.kind()) {
                        case 0, 1 -> {
                            if (op.instance() == 2) {
                                assertThrows(IllegalArgumentException.class, () -> set.add(fresh));
                            } else {
                                assertEquals(model.add(k), set.add(element));
                                stored.putIfAbsent(k, op.instance());
                            }
                        }
                        case 2 -> {
                            if (op.instance() != 2) {
                                assertEquals(model.add(k), view.add(element));
                                stored.putIfAbsent(k, op.instance());
                            }
                        }
                        case 3, 4 -> {
                            assertEquals(model.remove(k), set.remove(element));
                            stored.remove(k);
                        }
                        case 5, 6 -> assertEquals(model.contains(k), set.contains(element));
                        case 7 -> assertEquals(model.contains(k), view.contains(element));
                        case 8 -> {
                            KeySet.Cursor<Clash> cursor = set.cursor();
                            while (cursor.next()) {
                                if (cursor.element().id() == k) {
                                    cursor.remove();
                                }
                            }
                            model.remove(k);
                            stored.remove(k);
                        }
                        case 9 -> {
                            assertEquals(model.remove(k), view.remove(element));
                            stored.remove(k);
                        }
                        case 10 -> set.ensureCapacity(op.value() * 7L);
                        default -> {
                            set.clear();
                            model.clear();
                            stored.clear();
                        }
                    }
                }
                assertEquals(model.size(), set.size());
            }
            List<Integer> walked = new ArrayList<>();
            for (Clash element : set) {
                walked.add((int) element.id());
            }
            assertEquals(new ArrayList<>(model), walked);
            assertFalse(view.contains(null));
            checkCounts(pool, stored);
        }
        checkCounts(pool, Map.of());
    }
}
