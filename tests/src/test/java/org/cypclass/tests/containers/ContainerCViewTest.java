package org.cypclass.tests.containers;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

import org.cypclass.examples.Circle;
import org.cypclass.examples.Inventory;
import org.cypclass.examples.Node;
import org.cypclass.examples.Point;
import org.cypclass.examples.Registry;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.containers.DoubleList;
import org.cypclass.objects.containers.IntDoubleDict;
import org.cypclass.objects.containers.IntList;
import org.cypclass.objects.containers.IntRefDict;
import org.cypclass.objects.containers.IntSet;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.LongLongDict;
import org.cypclass.objects.containers.LongRefDict;
import org.cypclass.objects.containers.LongSet;
import org.cypclass.objects.containers.RefList;
import org.cypclass.objects.containers.KeyLongDict;
import org.cypclass.objects.containers.KeyRefDict;
import org.cypclass.objects.containers.KeySet;
import org.cypclass.objects.containers.RefLongDict;
import org.cypclass.objects.containers.RefRefDict;
import org.cypclass.objects.containers.RefSet;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The C view of the containers: {@code cypclass/containers.h} compiles (its static assertions
 * hold), every offset and size it declares equals the Java layout, and C code reads live lists,
 * follows a reference list's slots to its elements, and reaches lists through a user
 * cypclass's fields declared by the processor's header, walks a dict's live entries, and
 * follows the counted pointers of the reference dicts (values, and identity keys) to their nodes,
 * directly and through a user cypclass's dict fields, and those of the reference sets and of
 * the dicts keyed by content, whose stored hashes it finds in the index.
 */
class ContainerCViewTest {

    @Test
    void cReadsLiveContainersThroughTheHandWrittenHeader(@TempDir Path dir) throws Throwable {
        Gcc.assumeAvailable();
        Path generated = Gcc.repoRoot().resolve("tests/target/generated-test-sources/test-annotations");
        Path library = Gcc.compile(dir.resolve("libcontainers.so"), List.of("-I", generated.toString(), "-shared", "-fPIC"),
            "containers_view.c");
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lib = Gcc.load(library, arena);
            MethodHandle layout = Gcc.downcall(lib, "container_layout",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MemorySegment text = arena.allocate(4096);
            int length = (int) layout.invokeExact(text, 4096);
            int checked = 0;
            for (String line : text.getString(0).strip().split("\n")) {
                String[] parts = line.split(" ");
                String[] name = parts[0].split("\\.");
                CyType<?> type = switch (name[0]) {
                    case "LongList" -> LongList.TYPE;
                    case "IntList" -> IntList.TYPE;
                    case "DoubleList" -> DoubleList.TYPE;
                    case "RefList" -> RefList.TYPE;
                    case "LongLongDict" -> LongLongDict.TYPE;
                    case "IntDoubleDict" -> IntDoubleDict.TYPE;
                    case "LongSet" -> LongSet.TYPE;
                    case "IntSet" -> IntSet.TYPE;
                    case "LongRefDict" -> LongRefDict.TYPE;
                    case "IntRefDict" -> IntRefDict.TYPE;
                    case "RefLongDict" -> RefLongDict.TYPE;
                    default -> throw new AssertionError(line);
                };
                long c = Long.parseLong(parts[parts.length - 1]);
                long java = parts[1].equals("sizeof") ? type.layout().byteSize() : type.offsetOf(name[1]);
                assertEquals(java, c, line);
                checked++;
            }
            assertEquals(35, checked, "lines of " + length + " characters");

            MethodHandle sum = Gcc.downcall(lib, "long_list_sum", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MethodHandle payloads = Gcc.downcall(lib, "node_list_payloads",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MethodHandle total = Gcc.downcall(lib, "inventory_total", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MethodHandle typeName = Gcc.downcall(lib, "ref_list_type_name",
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

            try (LongList numbers = LongList.create()) {
                for (long i = 1; i <= 1000; i++) {
                    numbers.add(i);
                }
                assertEquals(500_500L, (long) sum.invokeExact(numbers.pointer()));
            }
            try (Inventory inventory = Inventory.create(); LongList counts = LongList.of(1, 2);
                 RefList<Node> nodes = RefList.create(Node.class); Node a = Node.create(10, null)) {
                nodes.add(a);
                nodes.add(null);
                nodes.add(a);
                inventory.counts(counts);
                inventory.nodes(nodes);
                assertEquals(20L, (long) payloads.invokeExact(nodes.pointer()));
                assertEquals(23L, (long) total.invokeExact(inventory.pointer()));
            }
            MethodHandle weighted = Gcc.downcall(lib, "long_long_dict_weighted_sum",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            try (LongLongDict dict = LongLongDict.create()) {
                for (long k = 1; k <= 100; k++) {
                    dict.put(k, k);
                }
                for (long k = 1; k <= 100; k += 2) {
                    dict.remove(k);
                }
                dict.put(7, 1000);
                long expected = 7 * 1000;
                for (long k = 2; k <= 100; k += 2) {
                    expected += k * k;
                }
                assertEquals(expected, (long) weighted.invokeExact(dict.pointer()));
            }
            MethodHandle ordered = Gcc.downcall(lib, "long_set_ordered_sum",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            try (LongSet set = LongSet.create()) {
                for (long k = 1; k <= 100; k++) {
                    set.add(k);
                }
                for (long k = 1; k <= 100; k += 2) {
                    set.remove(k);
                }
                set.add(7);
                long expected = 0;
                long position = 0;
                for (long k = 2; k <= 100; k += 2) {
                    expected += ++position * k;
                }
                expected += ++position * 7;
                assertEquals(expected, (long) ordered.invokeExact(set.pointer()));
            }
            referenceDicts(lib);
            referenceShapes(lib);
            try (RefList<CyObject> mixed = RefList.create(CyObject.class); Circle circle = Circle.create(1, 1.0)) {
                mixed.add(circle);
                MemorySegment name = (MemorySegment) typeName.invokeExact(mixed.pointer(), 0L);
                assertEquals(Circle.class.getName(), cString(name));
            }
        }
    }

    /** C follows the value pointers of a LongRefDict and the key pointers of a RefLongDict, in order. */
    private static void referenceDicts(SymbolLookup lib) throws Throwable {
        MethodHandle values = Gcc.downcall(lib, "long_ref_dict_weighted_sum",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MethodHandle keys = Gcc.downcall(lib, "ref_long_dict_ordered_sum",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MethodHandle registryTotal = Gcc.downcall(lib, "registry_total",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        try (Registry registry = Registry.create(); LongRefDict<Node> byId = LongRefDict.create(Node.class);
             IntRefDict<Node> byCode = IntRefDict.create(Node.class); RefLongDict<Node> ranks = RefLongDict.create(Node.class)) {
            registry.byId(byId);
            registry.byCode(byCode);
            registry.ranks(ranks);
            long expectedValues = 0;
            for (long k = 1; k <= 20; k++) {
                try (Node node = Node.create(k * 3, null)) {
                    byId.put(k, node);
                    byCode.put((int) -k, k % 4 == 0 ? null : node);
                    ranks.put(node, k);
                }
            }
            for (long k = 1; k <= 20; k += 3) {
                byId.remove(k);
                try (Node node = byCode.get((int) -k) == null ? Node.create(1, null) : byCode.get((int) -k).newReference()) {
                    ranks.remove(node);
                    ranks.put(node, 100);                      // re-inserted: now last
                }
            }
            byId.put(2, null);
            for (long k = 1; k <= 20; k++) {
                if (byId.containsKey(k) && byId.get(k) != null) {
                    expectedValues += k * byId.get(k).payload();
                }
            }
            long expectedKeys = 0;
            long position = 0;
            RefLongDict.Cursor<Node> cursor = ranks.cursor();
            while (cursor.next()) {
                expectedKeys += ++position * cursor.key().payload() * cursor.value();
            }
            assertEquals(expectedValues, (long) values.invokeExact(byId.pointer()));
            assertEquals(expectedKeys, (long) keys.invokeExact(ranks.pointer()));
            assertEquals(expectedValues + 15 + expectedKeys, (long) registryTotal.invokeExact(registry.pointer()));
        }
    }

    /**
     * The reference sets and the dicts with reference keys besides RefLongDict: every offset and
     * size the header declares equals the Java layout, and C follows the pointers of a
     * RefRefDict, a RefSet and a KeyLongDict in insertion order, and finds each KeyLongDict
     * entry's stored hash in the index.
     */
    private static void referenceShapes(SymbolLookup lib) throws Throwable {
        MethodHandle layout = Gcc.downcall(lib, "ref_shapes_layout",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        int checked = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(4096);
            int length = (int) layout.invokeExact(text, 4096);
            for (String line : text.getString(0).strip().split("\n")) {
                String[] parts = line.split(" ");
                String[] name = parts[0].split("\\.");
                CyType<?> type = switch (name[0]) {
                    case "RefRefDict" -> RefRefDict.TYPE;
                    case "KeyLongDict" -> KeyLongDict.TYPE;
                    case "KeyRefDict" -> KeyRefDict.TYPE;
                    case "RefSet" -> RefSet.TYPE;
                    case "KeySet" -> KeySet.TYPE;
                    default -> throw new AssertionError(line);
                };
                long c = Long.parseLong(parts[parts.length - 1]);
                long java = parts[1].equals("sizeof") ? type.layout().byteSize() : type.offsetOf(name[1]);
                assertEquals(java, c, line);
                checked++;
            }
            assertEquals(16, checked, "lines of " + length + " characters");
        }
        MethodHandle refRef = Gcc.downcall(lib, "ref_ref_dict_ordered_sum",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MethodHandle refSet = Gcc.downcall(lib, "ref_set_ordered_sum",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        MethodHandle keyLong = Gcc.downcall(lib, "key_long_dict_ordered_sum",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        List<Node> nodes = new java.util.ArrayList<>();
        List<Frozen<Point>> points = new java.util.ArrayList<>();
        try (RefRefDict<Node, Node> pairs = RefRefDict.create(Node.class, Node.class); RefSet<Node> set = RefSet.create(Node.class);
             KeyLongDict<Point> byPoint = KeyLongDict.create(Point.class)) {
            for (int i = 1; i <= 30; i++) {
                nodes.add(Node.create(i, null));
                points.add(Isolated.consume(Point.create(i, i % 7)).freeze());
            }
            for (int i = 0; i < 30; i++) {
                pairs.put(nodes.get(i), i % 5 == 0 ? null : nodes.get(29 - i));
                set.add(nodes.get(i));
                byPoint.put(points.get(i).get(), i * 3L);
            }
            for (int i = 0; i < 30; i += 4) {
                pairs.remove(nodes.get(i));
                set.remove(nodes.get(i));
                try (Point equal = Point.create(i + 1, (i + 1) % 7)) {
                    byPoint.remove(equal);
                }
            }
            set.add(nodes.get(0));
            long expectedPairs = 0;
            long position = 0;
            RefRefDict.Cursor<Node, Node> entries = pairs.cursor();
            while (entries.next()) {
                position++;
                expectedPairs += entries.value() == null ? 0 : position * entries.key().payload() * entries.value().payload();
            }
            long expectedSet = 0;
            position = 0;
            for (Node node : set) {
                expectedSet += ++position * node.payload();
            }
            long expectedPoints = 0;
            position = 0;
            KeyLongDict.Cursor<Point> keys = byPoint.cursor();
            while (keys.next()) {
                expectedPoints += ++position * (keys.key().x() * 1000 + keys.key().y()) * keys.value();
            }
            assertEquals(expectedPairs, (long) refRef.invokeExact(pairs.pointer()));
            assertEquals(expectedSet, (long) refSet.invokeExact(set.pointer()));
            assertEquals(expectedPoints, (long) keyLong.invokeExact(byPoint.pointer()));
        } finally {
            nodes.forEach(Node::close);
            points.forEach(Frozen::close);
        }
    }

    @SuppressWarnings("restricted")
    private static String cString(MemorySegment pointer) {
        return pointer.reinterpret(256).getString(0);
    }

}
