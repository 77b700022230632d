package org.cypclass.tests.containers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.google.common.collect.testing.ListTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestListGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.ListFeature;
import junit.framework.TestSuite;
import org.cypclass.examples.Node;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.containers.DoubleList;
import org.cypclass.objects.containers.IntList;
import org.cypclass.objects.containers.LongList;
import org.cypclass.objects.containers.RefList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code java.util.List} views of the lists against Guava testlib's list contract
 * ({@link ListTestSuiteBuilder}: every {@code List} method, iterators and list iterators,
 * sub-lists, equality and hashing) for every feature the views claim: all optional
 * operations, fail-fast iterators, and, for {@code RefList}, null elements. A reference list's
 * elements print as borrowed references, so its view claims a non-standard {@code toString}.
 */
class ListViewContractTest {

    /** Every list the generators made, closed after each Guava test and at the end. */
    private static final List<CyObject> MADE = new ArrayList<>();
    private static final Runnable CLOSE_MADE = () -> {
        MADE.forEach(CyObject::close);
        MADE.clear();
    };
    /** The sample nodes of the reference list suite, made on first use. */
    private static Node[] nodes;

    @AfterEach
    void closeEverything() {
        CLOSE_MADE.run();
        if (nodes != null) {
            for (Node node : nodes) {
                node.close();
            }
            nodes = null;
        }
    }

    private static <E, L extends CyObject> TestListGenerator<E> generator(E[] samples, Function<Integer, E[]> arrays,
            java.util.function.Supplier<L> create, java.util.function.BiConsumer<L, E> add, Function<L, List<E>> view) {
        return new TestListGenerator<>() {
            @Override
            public SampleElements<E> samples() {
                return new SampleElements<>(samples[0], samples[1], samples[2], samples[3], samples[4]);
            }

            @Override
            @SuppressWarnings("unchecked")
            public List<E> create(Object... elements) {
                L list = create.get();
                MADE.add(list);
                for (Object element : elements) {
                    add.accept(list, (E) element);
                }
                return view.apply(list);
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

    private static java.util.stream.Stream<DynamicNode> suite(String name, TestListGenerator<?> generator,
                                                              com.google.common.collect.testing.features.Feature<?>... extra) {
        List<com.google.common.collect.testing.features.Feature<?>> features = new ArrayList<>(List.of(
            ListFeature.GENERAL_PURPOSE, CollectionSize.ANY, CollectionFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION));
        features.addAll(List.of(extra));
        TestSuite suite = ListTestSuiteBuilder.using(generator).named(name).withFeatures(features)
            .withTearDown(CLOSE_MADE::run).createTestSuite();
        assertTrue(GuavaSuites.count(suite) > 300, name + " has " + GuavaSuites.count(suite) + " tests");
        return GuavaSuites.of(suite);
    }

    @TestFactory
    java.util.stream.Stream<DynamicNode> longListView() {
        return suite("LongList.asList", generator(new Long[] {3L, -1L, 0L, Long.MAX_VALUE, 42L}, Long[]::new,
            LongList::create, LongList::add, LongList::asList));
    }

    @TestFactory
    java.util.stream.Stream<DynamicNode> intListView() {
        return suite("IntList.asList", generator(new Integer[] {3, -1, 0, Integer.MIN_VALUE, 42}, Integer[]::new,
            IntList::create, IntList::add, IntList::asList));
    }

    @TestFactory
    java.util.stream.Stream<DynamicNode> doubleListView() {
        return suite("DoubleList.asList", generator(new Double[] {3.5, -1.0, 0.0, Double.NaN, 1e300}, Double[]::new,
            DoubleList::create, DoubleList::add, DoubleList::asList));
    }

    @TestFactory
    java.util.stream.Stream<DynamicNode> refListView() {
        nodes = new Node[5];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = Node.create(i, null);
        }
        return suite("RefList.asList", generator(nodes, Node[]::new, () -> RefList.create(Node.class), RefList::add,
            RefList::asList), CollectionFeature.ALLOWS_NULL_VALUES, CollectionFeature.NON_STANDARD_TOSTRING);
    }
}
