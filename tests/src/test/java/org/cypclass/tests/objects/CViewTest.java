package org.cypclass.tests.objects;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cypclass.examples.Adder;
import org.cypclass.examples.Blob;
import org.cypclass.examples.Circle;
import org.cypclass.examples.Group;
import org.cypclass.examples.Node;
import org.cypclass.examples.Samples;
import org.cypclass.examples.Shape;
import org.cypclass.tests.support.CLayouts;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C view of user cypclasses: the headers the processor generates compile with gcc (their
 * static assertions hold), their offsets and sizes equal the Java layouts, and C code reads and
 * writes fields of live instances, arrays of references and flexible array members included.
 */
class CViewTest {

    private static List<String> flags() {
        Path generated = Gcc.repoRoot().resolve("tests/target/generated-test-sources/test-annotations");
        assertTrue(Files.isRegularFile(generated.resolve("org/cypclass/examples/Adder.h")), "the processor wrote Adder.h");
        return List.of("-I", generated.toString());
    }

    @Test
    void generatedHeadersMatchTheJavaLayouts(@TempDir Path dir) throws Exception {
        Gcc.assumeAvailable();
        Path program = Gcc.compile(dir.resolve("cview_layout"), flags(), "cview_layout.c");
        Gcc.Result result = Gcc.run(List.of(program.toString()), dir);
        assertEquals(0, result.exitCode(), result.output());
        int checked = CLayouts.check(result.output(), Map.of("Adder", Adder.TYPE, "Node", Node.TYPE, "Shape", Shape.TYPE,
            "Circle", Circle.TYPE, "Group", Group.TYPE, "Samples", Samples.TYPE, "Blob", Blob.TYPE));
        assertEquals(32, checked);
    }

    @Test
    void cCodeReadsAndWritesLiveInstances(@TempDir Path dir) throws Throwable {
        Gcc.assumeAvailable();
        List<String> flags = new java.util.ArrayList<>(flags());
        flags.addAll(List.of("-shared", "-fPIC"));
        Path library = Gcc.compile(dir.resolve("libcview.so"), flags, "cview_access.c");
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lib = Gcc.load(library, arena);
            MethodHandle value = Gcc.downcall(lib, "adder_value", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MethodHandle add = Gcc.downcall(lib, "adder_add", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle grow = Gcc.downcall(lib, "circle_grow",
                FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.JAVA_DOUBLE));
            MethodHandle nextPayload = Gcc.downcall(lib, "node_next_payload", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MethodHandle samplesLength = Gcc.downcall(lib, "samples_length", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
            MethodHandle samplesSum = Gcc.downcall(lib, "samples_sum", FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS));
            MethodHandle samplesScale = Gcc.downcall(lib, "samples_scale",
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_DOUBLE));
            MethodHandle memberId = Gcc.downcall(lib, "group_member_id",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle childId = Gcc.downcall(lib, "group_child_id",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            MethodHandle typeName = Gcc.downcall(lib, "type_name", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));

            try (Adder adder = Adder.create(2)) {
                assertEquals(2, (int) value.invokeExact(adder.pointer()));
                add.invokeExact(adder.pointer(), 40);
                assertEquals(42, adder.value(), "Java sees what C wrote");
                MemorySegment name = (MemorySegment) typeName.invokeExact(adder.pointer());
                assertEquals("org.cypclass.examples.Adder", cString(name));
            }
            try (Circle circle = Circle.create(1, 2.0)) {
                circle.weight(9.5);
                assertEquals(9.5, (double) grow.invokeExact(circle.pointer(), 3.0));
                assertEquals(6.0, circle.radius());
                assertEquals(7.0, circle.origin(1));
            }
            try (Samples samples = Samples.create(5, 1)) {
                samples.valuesCopyFrom(0, new double[] {1, 2, 3, 4, 5}, 0, 5);
                assertEquals(5L, (long) samplesLength.invokeExact(samples.pointer()));
                assertEquals(15.0, (double) samplesSum.invokeExact(samples.pointer()));
                samplesScale.invokeExact(samples.pointer(), 2.0);
                assertEquals(10.0, samples.values(4), "Java sees what C wrote into the elements");
            }
            try (Samples big = Samples.create(100_000, 1)) {
                big.values(99_999, 0.5);
                assertEquals(100_000L, (long) samplesLength.invokeExact(big.pointer()));
                assertEquals(0.5, (double) samplesSum.invokeExact(big.pointer()));
            }
            try (Group group = Group.create(1); Circle circle = Circle.create(42, 1.0); Group child = Group.create(9)) {
                group.members(2, circle);
                group.children(1, child);
                assertEquals(42, (int) memberId.invokeExact(group.pointer(), 2), "C follows the element to a Circle's Shape part");
                assertEquals(-1, (int) memberId.invokeExact(group.pointer(), 0));
                assertEquals(9, (int) childId.invokeExact(group.pointer(), 1));
                assertEquals(-1, (int) childId.invokeExact(group.pointer(), 0));
            }
            try (Node tail = Node.create(77, null); Node head = Node.create(1, tail)) {
                assertEquals(77L, (long) nextPayload.invokeExact(head.pointer()));
                assertEquals(-1L, (long) nextPayload.invokeExact(tail.pointer()));
            }
        }
    }

    @SuppressWarnings("restricted")
    private static String cString(MemorySegment pointer) {
        return pointer.reinterpret(256).getString(0);
    }
}
