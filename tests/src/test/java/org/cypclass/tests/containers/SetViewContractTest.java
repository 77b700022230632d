package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.SetTestSuiteBuilder;
import com.google.common.collect.testing.TestSetGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.Feature;
import junit.framework.TestSuite;
import org.cypclass.examples.Node;
import org.cypclass.examples.Point;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyStr;
import org.cypclass.objects.capabilities.Frozen;
import org.cypclass.objects.capabilities.Isolated;
import org.cypclass.objects.containers.IntSet;
import org.cypclass.objects.containers.KeySet;
import org.cypclass.objects.containers.LongSet;
import org.cypclass.objects.containers.StrSet;
import org.cypclass.objects.containers.PrimitiveSet;
import org.cypclass.objects.containers.RefSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code java.util.Set} views of the sets against Guava testlib's set contract
 * ({@link SetTestSuiteBuilder}: every {@code Set} method, its iterator, equality and hashing)
 * for every feature the views claim: all optional operations, null queries (answered, not
 * thrown), insertion order, fail-fast iterators, iterator removal; for the reference sets
 * ({@code RefSet} of nodes, {@code KeySet} of frozen points), a non-standard {@code toString}
 * (their references print as borrowed), their samples made by the test factory and closed
 * after the suite.
 */
class SetViewContractTest {

    /** Every set the generators made, closed after each Guava test and at the end. */
    private static final List<CyObject> MADE = new ArrayList<>();
    private static final Runnable CLOSE_MADE = () -> {
        MADE.forEach(CyObject::close);
        MADE.clear();
    };

    /** The sample elements of a reference set suite, made by its factory, closed after it. */
    private static final List<AutoCloseable> SAMPLES = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        CLOSE_MADE.run();
        for (AutoCloseable sample : SAMPLES) {
            sample.close();
        }
        SAMPLES.clear();
    }

    private static <E, S extends PrimitiveSet<E>> TestSetGenerator<E> generator(E[] elements, IntFunction<E[]> arrays,
            Supplier<S> create) {
        return generator(elements, arrays, create, PrimitiveSet::asSet);
    }

    private static <E, S extends CyObject> TestSetGenerator<E> generator(E[] elements, IntFunction<E[]> arrays,
            Supplier<S> create, Function<S, Set<E>> view) {
        return new TestSetGenerator<>() {
            @Override
            public SampleElements<E> samples() {
                return new SampleElements<>(elements[0], elements[1], elements[2], elements[3], elements[4]);
            }

            @Override
            @SuppressWarnings("unchecked")
            public Set<E> create(Object... contents) {
                S set = create.get();
                MADE.add(set);
                Set<E> asSet = view.apply(set);
                for (Object element : contents) {
                    asSet.add((E) element);
                }
                return asSet;
            }

            @Override
            public E[] createArray(int length) {
                return arrays.apply(length);
            }

            @Override
            public Iterable<E> order(List<E> insertionOrder) {
                return insertionOrder;
            }
        };
    }

    /** The sample strings of the StrSet suite, made by its factory. */
    private static CyStr[] strings;

    @AfterEach
    void closeStrings() {
        if (strings != null) {
            for (CyStr string : strings) {
                string.close();
            }
            strings = null;
        }
    }

    private static TestSetGenerator<CyStr> strGenerator() {
        String[] texts = {"alpha", "", "日本語のテキスト", "a key longer than sixteen bytes", "😀"};
        strings = new CyStr[texts.length];
        for (int i = 0; i < texts.length; i++) {
            strings[i] = CyStr.of(texts[i]);
        }
        return new TestSetGenerator<>() {
            @Override
            public SampleElements<CyStr> samples() {
                return new SampleElements<>(strings[0], strings[1], strings[2], strings[3], strings[4]);
            }

            @Override
            public Set<CyStr> create(Object... contents) {
                StrSet set = StrSet.create();
                MADE.add(set);
                Set<CyStr> view = set.asSet();
                for (Object element : contents) {
                    view.add((CyStr) element);
                }
                return view;
            }

            @Override
            public CyStr[] createArray(int length) {
                return new CyStr[length];
            }

            @Override
            public Iterable<CyStr> order(List<CyStr> insertionOrder) {
                return insertionOrder;
            }
        };
    }

    private static Stream<DynamicNode> suite(String name, TestSetGenerator<?> generator, Feature<?>... extra) {
        List<Feature<?>> features = new ArrayList<>(List.of(
                CollectionFeature.GENERAL_PURPOSE, CollectionFeature.ALLOWS_NULL_QUERIES,
                CollectionFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION, CollectionFeature.KNOWN_ORDER,
                CollectionFeature.SUPPORTS_ITERATOR_REMOVE, CollectionSize.ANY));
        features.addAll(List.of(extra));
        TestSuite suite = SetTestSuiteBuilder.using(generator).named(name).withFeatures(features)
            .withTearDown(CLOSE_MADE::run).createTestSuite();
        assertTrue(GuavaSuites.count(suite) > 200, name + " has " + GuavaSuites.count(suite) + " tests");
        return GuavaSuites.of(suite);
    }

    @TestFactory
    Stream<DynamicNode> longSetView() {
        return suite("LongSet.asSet", generator(new Long[] {3L, -1L, 0L, Long.MIN_VALUE, 1L << 40}, Long[]::new,
            LongSet::create));
    }

    @TestFactory
    Stream<DynamicNode> intSetView() {
        return suite("IntSet.asSet", generator(new Integer[] {3, -1, 0, Integer.MIN_VALUE, 42}, Integer[]::new,
            IntSet::create));
    }

    @TestFactory
    Stream<DynamicNode> strSetView() {
        return suite("StrSet.asSet", strGenerator());
    }

    @TestFactory
    Stream<DynamicNode> refSetView() {
        Node[] nodes = new Node[5];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = Node.create(i, null);
            SAMPLES.add(nodes[i]);
        }
        return suite("RefSet.asSet", generator(nodes, Node[]::new, () -> RefSet.create(Node.class), RefSet::asSet),
            CollectionFeature.NON_STANDARD_TOSTRING);
    }

    @TestFactory
    Stream<DynamicNode> keySetView() {
        Point[] points = new Point[5];
        for (int i = 0; i < points.length; i++) {
            Frozen<Point> point = Isolated.consume(Point.create(i, i * i)).freeze();
            SAMPLES.add(point);
            points[i] = point.get();
        }
        return suite("KeySet.asSet", generator(points, Point[]::new, () -> KeySet.create(Point.class), KeySet::asSet),
            CollectionFeature.NON_STANDARD_TOSTRING);
    }
}
