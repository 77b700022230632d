package org.cypclass.tests.objects;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Chain;
import org.cypclass.examples.Duo;
import org.cypclass.examples.Figure;
import org.cypclass.examples.Node;
import org.cypclass.examples.Square;
import org.cypclass.memory.MemoryStats;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;
import org.cypclass.tests.support.CLayouts;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generic cypclasses ({@code Duo<A, B>}, {@code Chain<N extends Node>}) and abstract ones
 * ({@code Figure}, implemented by {@code Square}): typed fields hold counted references like
 * any reference field, one layout serves every type argument, the C header has the shape of a
 * plain cypclass's, and an abstract cypclass's subclasses implement its methods.
 */
class GenericCypclassTest {

    private static long live(Class<?> type) {
        return MemoryStats.snapshot().of(type.getName()).liveBlocks();
    }

    private static long count(CyObject reference) {
        return RefCount.count(reference.pointer().address());
    }

    @AfterEach
    void nothingLeftAlive() {
        for (Class<?> type : List.of(Duo.class, Chain.class, Node.class, Adder.class, Square.class)) {
            assertEquals(0, live(type), type.getSimpleName());
        }
    }

    @Test
    void typedFieldsRetainWhatTheyHoldAndReadAsTheTypeArguments() {
        try (Node node = Node.create(7, null); Adder adder = Adder.create(5)) {
            try (Duo<Node, Adder> duo = Duo.create(node, adder)) {
                assertEquals(2, count(node), "the reference and the field");
                assertEquals(2, count(adder));
                // Typed reads: no cast at the call site.
                long payload = duo.first().payload();
                int value = duo.second().value();
                assertEquals(7, payload);
                assertEquals(5, value);
                assertEquals(node.pointer().address(), duo.first().pointer().address());
                assertTrue(duo.complete());

                duo.second(null);
                assertEquals(1, count(adder), "storing null released the old target");
                assertNull(duo.second());
                assertFalse(duo.complete());
                duo.weight(3);
                assertEquals(3, duo.weight());
            }
            assertEquals(1, count(node), "closing the last reference to the duo released its fields");
            assertEquals(0, live(Duo.class));
        }
    }

    @Test
    void oneTypeServesEveryTypeArgument() {
        try (Node node = Node.create(1, null); Adder adder = Adder.create(2);
             Duo<Node, Adder> a = Duo.create(node, adder); Duo<Adder, Node> b = Duo.create(adder, node)) {
            CyType<?> type = Duo.TYPE;
            assertSame(type, a.cyType());
            assertSame(type, b.cyType());
            assertEquals(72, type.layout().byteSize(), "header 32, two slots, an int padded, two slots");
            assertEquals(3, count(node));
        }
    }

    @Test
    void aDuoCanHoldDuosAndArraysOfItsTypeParameter() {
        try (Node node = Node.create(4, null); Adder adder = Adder.create(9)) {
            try (Duo<Duo<Node, Adder>, Node> outer = Duo.create(null, node)) {
                try (Duo<Node, Adder> inner = Duo.create(node, adder)) {
                    outer.first(inner);
                    outer.spares(0, inner);
                    outer.spares(1, inner);
                    assertEquals(4, count(inner), "the reference, the field and two elements");
                }
                assertEquals(9, outer.first().second().value(), "the inner duo lives on in the outer's slots");
                assertEquals(9, outer.spares(1).second().value());
                assertThrows(IndexOutOfBoundsException.class, () -> outer.spares(2, null));
                assertTrue(outer.dump().contains("weight=0"), outer.dump());
            }
            assertEquals(0, live(Duo.class), "the outer duo's destructor released the inner one three times");
            assertEquals(1, count(node));
            assertEquals(1, count(adder));
        }
    }

    @Test
    void newReferenceKeepsTheTypeArguments() {
        try (Node node = Node.create(6, null); Duo<Node, Node> duo = Duo.create(node, node)) {
            try (Duo<Node, Node> again = duo.newReference()) {
                assertEquals(6, again.second().payload());
                assertEquals(2, count(duo));
            }
        }
    }

    @Test
    void aBoundedTypeParameterReadsThroughItsBound() {
        try (Node node = Node.create(11, null); Chain<Node> chain = Chain.create()) {
            assertEquals(-1, chain.headPayload());
            chain.head(node);
            assertEquals(11, chain.headPayload());
            assertEquals(2, count(node));
        }
    }

    /**
     * The store is checked against the bound only, as Java's erasure allows: a raw reference can
     * store an Adder where the type argument says Node (heap pollution, the caller's, as with any
     * Java generic class, and javac warns of it). The slot still holds a counted cypclass
     * reference, so nothing leaks or dangles; the typed read fails with the ClassCastException
     * javac inserts at the read site.
     */
    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aRawStoreOfAnotherClassIsCaughtAtTheTypedRead() {
        try (Node node = Node.create(1, null); Adder adder = Adder.create(2); Duo<Node, Adder> duo = Duo.create(node, adder)) {
            Duo raw = duo;
            raw.first(adder);
            assertEquals(1, count(node), "the raw store released the old target");
            assertEquals(3, count(adder));
            assertThrows(ClassCastException.class, () -> {
                Node wrong = duo.first();
                wrong.payload();
            });
            duo.first(node);
            assertEquals(2, count(adder));
        }
    }

    @Test
    void anAbstractCypclassIsImplementedByItsSubclasses() {
        try (Square square = Square.create(2.0, 3.0)) {
            Figure figure = square;
            assertEquals(18.0, figure.area(), "the abstract method, implemented by Square");
            assertEquals("area 18.0", figure.describe());
            assertEquals(Figure.TYPE.offsetOf("scale"), Square.TYPE.offsetOf("scale"), "Square's layout continues Figure's");
            assertEquals(Square.TYPE, figure.cyType());
        }
    }

    @Test
    @SuppressWarnings("removal")
    void anAbstractCypclassFactoryThrowsIfReachedAnyway() throws Exception {
        // javac refuses the call (ProcessorErrorsTest); reflection still finds the declared method.
        java.lang.reflect.Method create = Class.forName("org.cypclass.examples.Cy_Figure").getMethod("create", double.class);
        Throwable thrown = assertThrows(java.lang.reflect.InvocationTargetException.class, () -> create.invoke(null, 1.0))
            .getCause();
        assertTrue(thrown instanceof UnsupportedOperationException && thrown.getMessage().contains("Figure is an abstract"
            + " cypclass"), String.valueOf(thrown));
    }

    @Test
    void theHeadersHaveThePlainShapeAndMatchTheJavaLayouts(@TempDir Path dir) throws Exception {
        Gcc.assumeAvailable();
        Path generated = Gcc.repoRoot().resolve("tests/target/generated-test-sources/test-annotations");
        assertTrue(Files.isRegularFile(generated.resolve("org/cypclass/examples/Duo.h")), "the processor wrote Duo.h");
        String header = Files.readString(generated.resolve("org/cypclass/examples/Duo.h"));
        assertTrue(header.contains("struct CyObject *first;"), header);
        assertFalse(header.contains("Duo<") || header.contains("CyObject>"), "no type argument in C");
        Path program = Gcc.compile(dir.resolve("generics_layout"), List.of("-I", generated.toString()), "generics_layout.c");
        Gcc.Result result = Gcc.run(List.of(program.toString()), dir);
        assertEquals(0, result.exitCode(), result.output());
        int checked = CLayouts.check(result.output(),
            Map.of("Duo", Duo.TYPE, "Chain", Chain.TYPE, "Figure", Figure.TYPE, "Square", Square.TYPE));
        assertEquals(12, checked);
    }
}
