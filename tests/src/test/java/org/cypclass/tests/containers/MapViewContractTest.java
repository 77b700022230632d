package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestMapGenerator;
import com.google.common.collect.testing.features.Feature;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import junit.framework.TestSuite;
import org.cypclass.examples.Node;
import org.cypclass.examples.Point;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyStr;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.containers.HashDict;
import org.cypclass.objects.containers.IntDoubleDict;
import org.cypclass.objects.containers.IntIntDict;
import org.cypclass.objects.containers.IntLongDict;
import org.cypclass.objects.containers.IntRefDict;
import org.cypclass.objects.containers.LongDoubleDict;
import org.cypclass.objects.containers.LongIntDict;
import org.cypclass.objects.containers.LongLongDict;
import org.cypclass.objects.containers.LongRefDict;
import org.cypclass.objects.containers.KeyLongDict;
import org.cypclass.objects.containers.KeyRefDict;
import org.cypclass.objects.containers.RefLongDict;
import org.cypclass.objects.containers.RefRefDict;
import org.cypclass.objects.containers.StrLongDict;
import org.cypclass.objects.containers.StrRefDict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code java.util.Map} views of the dicts against Guava testlib's map contract
 * ({@link MapTestSuiteBuilder}: every {@code Map} method, the entry set, key set and values
 * views and their iterators, equality and hashing) for every feature the views claim: all
 * optional operations, null queries (answered, not thrown), insertion order, fail-fast
 * iterators, iterator removal; for the reference dicts, null values ({@code LongRefDict},
 * {@code IntRefDict}) and a non-standard {@code toString} (their references print as
 * borrowed); {@code RefRefDict} has nodes on both sides, and {@code KeyLongDict} and
 * {@code KeyRefDict} are keyed by frozen points, compared by content. Their samples (nodes,
 * points) are made by the test factory and closed after the suite, so that every key or value
 * the dicts retained is released by the teardown of each Guava test, and the leak check stays
 * at zero.
 */
class MapViewContractTest {

    /** Every dict the generators made, closed after each Guava test and at the end. */
    private static final List<CyObject> MADE = new ArrayList<>();
    private static final Runnable CLOSE_MADE = () -> {
        MADE.forEach(CyObject::close);
        MADE.clear();
    };

    /** The sample nodes of a reference dict suite, made by its factory. */
    private static Node[] nodes;
    /** The sample strings of a string-keyed dict suite, made by its factory. */
    private static CyStr[] strings;
    /** The sample nodes of the value side of a dict with references on both sides. */
    private static Node[] values;
    /** The frozen sample points of a suite keyed by content. */
    private static List<Frozen<Point>> points = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        CLOSE_MADE.run();
        if (nodes != null) {
            Arrays.stream(nodes).forEach(Node::close);
            nodes = null;
        }
        if (strings != null) {
            Arrays.stream(strings).forEach(CyStr::close);
            strings = null;
        }
        if (values != null) {
            Arrays.stream(values).forEach(Node::close);
            values = null;
        }
        points.forEach(Frozen::close);
        points.clear();
    }

    private static CyStr[] sampleStrings() {
        String[] texts = {"alpha", "", "日本語のテキスト", "a key longer than sixteen bytes", "😀"};
        strings = new CyStr[texts.length];
        for (int i = 0; i < texts.length; i++) {
            strings[i] = CyStr.of(texts[i]);
        }
        return strings;
    }

    private static Node[] sampleValues() {
        values = new Node[5];
        for (int i = 0; i < values.length; i++) {
            values[i] = Node.create(100 + i, null);
        }
        return values;
    }

    /** Five frozen points, distinct by content (the views compare keys as the dicts do). */
    private static Point[] samplePoints() {
        Point[] samples = new Point[5];
        for (int i = 0; i < samples.length; i++) {
            Frozen<Point> point = Isolated.consume(Point.create(i, -i)).freeze();
            points.add(point);
            samples[i] = point.get();
        }
        return samples;
    }

    private static Node[] sampleNodes() {
        nodes = new Node[5];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = Node.create(i, null);
        }
        return nodes;
    }

    private static <K, V, D extends HashDict<K, V>> TestMapGenerator<K, V> generator(K[] keys, V[] values,
            IntFunction<K[]> keyArrays, IntFunction<V[]> valueArrays, Supplier<D> create) {
        return new TestMapGenerator<>() {
            @Override
            public SampleElements<Map.Entry<K, V>> samples() {
                return new SampleElements<>(Map.entry(keys[0], values[0]), Map.entry(keys[1], values[1]),
                    Map.entry(keys[2], values[2]), Map.entry(keys[3], values[3]), Map.entry(keys[4], values[4]));
            }

            @Override
            @SuppressWarnings("unchecked")
            public Map<K, V> create(Object... entries) {
                D dict = create.get();
                MADE.add(dict);
                Map<K, V> map = dict.asMap();
                for (Object entry : entries) {
                    Map.Entry<K, V> e = (Map.Entry<K, V>) entry;
                    map.put(e.getKey(), e.getValue());
                }
                return map;
            }

            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public Map.Entry<K, V>[] createArray(int length) {
                return new Map.Entry[length];
            }

            @Override
            public Iterable<Map.Entry<K, V>> order(List<Map.Entry<K, V>> insertionOrder) {
                return insertionOrder;
            }

            @Override
            public K[] createKeyArray(int length) {
                return keyArrays.apply(length);
            }

            @Override
            public V[] createValueArray(int length) {
                return valueArrays.apply(length);
            }
        };
    }

    private static Stream<DynamicNode> suite(String name, TestMapGenerator<?, ?> generator, Feature<?>... extra) {
        List<Feature<?>> features = new ArrayList<>(List.of(
                MapFeature.GENERAL_PURPOSE, MapFeature.ALLOWS_NULL_KEY_QUERIES, MapFeature.ALLOWS_NULL_VALUE_QUERIES,
                 MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
                CollectionFeature.KNOWN_ORDER, CollectionFeature.SUPPORTS_ITERATOR_REMOVE, CollectionSize.ANY));
        features.addAll(List.of(extra));
        TestSuite suite = MapTestSuiteBuilder.using(generator).named(name).withFeatures(features)
            .withTearDown(CLOSE_MADE::run).createTestSuite();
        assertTrue(GuavaSuites.count(suite) > 300, name + " has " + GuavaSuites.count(suite) + " tests");
        return GuavaSuites.of(suite);
    }

    private static final Long[] LONG_KEYS = {3L, -1L, 0L, Long.MIN_VALUE, 1L << 40};
    private static final Integer[] INT_KEYS = {3, -1, 0, Integer.MIN_VALUE, 42};

    @TestFactory
    Stream<DynamicNode> longLongDictView() {
        return suite("LongLongDict.asMap", generator(LONG_KEYS, new Long[] {10L, 11L, 12L, Long.MAX_VALUE, -5L},
            Long[]::new, Long[]::new, LongLongDict::create));
    }

    @TestFactory
    Stream<DynamicNode> longIntDictView() {
        return suite("LongIntDict.asMap", generator(LONG_KEYS, new Integer[] {10, 11, 12, Integer.MAX_VALUE, -5},
            Long[]::new, Integer[]::new, LongIntDict::create));
    }

    @TestFactory
    Stream<DynamicNode> longDoubleDictView() {
        return suite("LongDoubleDict.asMap", generator(LONG_KEYS, new Double[] {1.5, Double.NaN, -0.0, 1e300, 7.0},
            Long[]::new, Double[]::new, LongDoubleDict::create));
    }

    @TestFactory
    Stream<DynamicNode> intLongDictView() {
        return suite("IntLongDict.asMap", generator(INT_KEYS, new Long[] {10L, 11L, 12L, Long.MAX_VALUE, -5L},
            Integer[]::new, Long[]::new, IntLongDict::create));
    }

    @TestFactory
    Stream<DynamicNode> intIntDictView() {
        return suite("IntIntDict.asMap", generator(INT_KEYS, new Integer[] {10, 11, 12, Integer.MAX_VALUE, -5},
            Integer[]::new, Integer[]::new, IntIntDict::create));
    }

    @TestFactory
    Stream<DynamicNode> intDoubleDictView() {
        return suite("IntDoubleDict.asMap", generator(INT_KEYS, new Double[] {1.5, Double.NaN, -0.0, 1e300, 7.0},
            Integer[]::new, Double[]::new, IntDoubleDict::create));
    }

    @TestFactory
    Stream<DynamicNode> longRefDictView() {
        return suite("LongRefDict.asMap", generator(LONG_KEYS, sampleNodes(), Long[]::new, Node[]::new,
            () -> LongRefDict.create(Node.class)), MapFeature.ALLOWS_NULL_VALUES, CollectionFeature.NON_STANDARD_TOSTRING);
    }

    @TestFactory
    Stream<DynamicNode> intRefDictView() {
        return suite("IntRefDict.asMap", generator(INT_KEYS, sampleNodes(), Integer[]::new, Node[]::new,
            () -> IntRefDict.create(Node.class)), MapFeature.ALLOWS_NULL_VALUES, CollectionFeature.NON_STANDARD_TOSTRING);
    }

    @TestFactory
    Stream<DynamicNode> refLongDictView() {
        return suite("RefLongDict.asMap", generator(sampleNodes(), new Long[] {10L, 11L, 12L, Long.MAX_VALUE, -5L},
            Node[]::new, Long[]::new, () -> RefLongDict.create(Node.class)), CollectionFeature.NON_STANDARD_TOSTRING);
    }

    @TestFactory
    Stream<DynamicNode> strLongDictView() {
        return suite("StrLongDict.asMap", generator(sampleStrings(), new Long[] {10L, 11L, 12L, Long.MAX_VALUE, -5L},
            CyStr[]::new, Long[]::new, StrLongDict::create));
    }

    @TestFactory
    Stream<DynamicNode> strRefDictView() {
        return suite("StrRefDict.asMap", generator(sampleStrings(), sampleNodes(), CyStr[]::new, Node[]::new,
            () -> StrRefDict.create(Node.class)), MapFeature.ALLOWS_NULL_VALUES, CollectionFeature.NON_STANDARD_TOSTRING);
    }

    @TestFactory
    Stream<DynamicNode> refRefDictView() {
        return suite("RefRefDict.asMap", generator(sampleNodes(), sampleValues(), Node[]::new, Node[]::new,
            () -> RefRefDict.create(Node.class, Node.class)), MapFeature.ALLOWS_NULL_VALUES,
            CollectionFeature.NON_STANDARD_TOSTRING);
    }

    @TestFactory
    Stream<DynamicNode> keyLongDictView() {
        return suite("KeyLongDict.asMap", generator(samplePoints(), new Long[] {10L, 11L, 12L, Long.MAX_VALUE, -5L},
            Point[]::new, Long[]::new, () -> KeyLongDict.create(Point.class)), CollectionFeature.NON_STANDARD_TOSTRING);
    }

    @TestFactory
    Stream<DynamicNode> keyRefDictView() {
        return suite("KeyRefDict.asMap", generator(samplePoints(), sampleNodes(), Point[]::new, Node[]::new,
            () -> KeyRefDict.create(Point.class, Node.class)), MapFeature.ALLOWS_NULL_VALUES,
            CollectionFeature.NON_STANDARD_TOSTRING);
    }
}
