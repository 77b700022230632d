package org.cypclass.tests.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java header layout, and its agreement with the C header compiled by gcc. */
class HeaderLayoutTest {

    private static final int TYPE = BlockTypes.register("org.cypclass.tests.HeaderProbe");

    @Test
    void headerHasThePyObjectHeadFirstAndFitsIn32Bytes() {
        assertEquals(List.of("ob_refcnt", "ob_type", "nogil_ob_refcnt", "ob_state", "ob_owner"),
            CyObjectHeader.LAYOUT.memberLayouts().stream().map(l -> l.name().orElseThrow()).toList());
        assertEquals(0, offset("ob_refcnt"));
        assertEquals(8, offset("ob_type"));
        assertEquals(16, offset("nogil_ob_refcnt"));
        assertTrue(CyObjectHeader.LAYOUT.byteSize() <= 32, "header must stay 32 bytes or less");
        assertEquals(CyObjectHeader.SIZE, CyObjectHeader.LAYOUT.byteSize());
        for (MemoryLayout member : CyObjectHeader.LAYOUT.memberLayouts()) {
            long at = offset(member.name().orElseThrow());
            assertEquals(0, at % member.byteSize(), member + " must be naturally aligned for atomic access");
        }
    }

    @Test
    void cHeaderOffsetsAndSizeEqualTheJavaLayout(@TempDir Path dir) throws Exception {
        Gcc.assumeAvailable();
        Path program = Gcc.compile(dir.resolve("header_layout"), List.of(), "header_layout.c");
        Gcc.Result result = Gcc.run(List.of(program.toString()), dir);
        assertEquals(0, result.exitCode(), result.output());
        Map<String, Long> c = new HashMap<>();
        for (String line : result.output().strip().split("\n")) {
            String[] parts = line.split(" ");
            c.put(parts[0], Long.parseLong(parts[1]));
        }
        for (String field : List.of("ob_refcnt", "ob_type", "nogil_ob_refcnt", "ob_state", "ob_owner")) {
            assertEquals(offset(field), c.get(field), "offset of " + field);
        }
        assertEquals(CyObjectHeader.LAYOUT.byteSize(), c.get("sizeof"));
        assertEquals(CyObjectHeader.LAYOUT.byteAlignment(), c.get("alignof"));
        for (String field : List.of("tp_name", "tp_id", "tp_flags", "tp_dealloc")) {
            assertEquals(BlockTypes.TYPE_OBJECT_LAYOUT.byteOffset(groupElement(field)), c.get(field), "offset of " + field);
        }
        assertEquals(BlockTypes.TYPE_OBJECT_LAYOUT.byteSize(), c.get("sizeof_type"));
        assertEquals(CyObjectHeader.LOCAL, c.get("CY_LOCAL"));
        assertEquals(CyObjectHeader.SHARED, c.get("CY_SHARED"));
        assertEquals(CyObjectHeader.LOCKED, c.get("CY_LOCKED"));
        assertEquals(CyObjectHeader.LOCKED_MEMBER, c.get("CY_LOCKED_MEMBER"));
        assertEquals(CyObjectHeader.FROZEN, c.get("CY_FROZEN"));
        assertEquals(CyObjectHeader.WRITER, c.get("CY_LOCK_WRITER"));
        assertEquals(CyObjectHeader.WRITER_WAITING, c.get("CY_LOCK_WRITER_WAITING"));
        assertEquals(CyObjectHeader.PARKED, c.get("CY_LOCK_PARKED"));
        assertEquals(CyObjectHeader.READER, c.get("CY_LOCK_READER"));
        assertEquals(CyObjectHeader.ATOMIC_REFCOUNT, c.get("CY_ATOMIC_REFCOUNT"));
        assertEquals(CyObjectHeader.OWNER_SHARED, c.get("CY_OWNER_SHARED"));
    }

    @Test
    void cCodeReadsFieldsAndMovesTheCountOfALiveJavaObject(@TempDir Path dir) throws Throwable {
        Gcc.assumeAvailable();
        Path library = Gcc.compile(dir.resolve("libheader_access.so"), List.of("-shared", "-fPIC"), "header_access.c");
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup lib = Gcc.load(library, arena);
            MethodHandle count = Gcc.downcall(lib, "cy_test_nogil_refcnt", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            MethodHandle state = Gcc.downcall(lib, "cy_test_state", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            MethodHandle owner = Gcc.downcall(lib, "cy_test_owner", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            MethodHandle typeName = Gcc.downcall(lib, "cy_test_type_name",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            MethodHandle incref = Gcc.downcall(lib, "cy_test_incref", FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
            MethodHandle decref = Gcc.downcall(lib, "cy_test_decref", FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
            MethodHandle firstField = Gcc.downcall(lib, "cy_test_first_int_field", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));

            long object = RefCount.allocate(TYPE, CyObjectHeader.SIZE + 8);
            NativeAccess.segment(object, CyObjectHeader.SIZE + 8).set(ValueLayout.JAVA_INT, CyObjectHeader.SIZE, 4242);
            assertEquals(Thread.currentThread().threadId(), (long) owner.invokeExact(object));
            assertEquals(CyObjectHeader.LOCAL, (int) state.invokeExact(object));
            RefCount.share(object);

            assertEquals(1, (int) count.invokeExact(object));
            assertEquals(CyObjectHeader.SHARED | CyObjectHeader.ATOMIC_REFCOUNT, (int) state.invokeExact(object));
            assertEquals(CyObjectHeader.OWNER_SHARED, (long) owner.invokeExact(object), "a shared object is counted atomically");
            assertEquals(4242, (int) firstField.invokeExact(object));
            MemorySegment buffer = arena.allocate(128);
            assertEquals(TYPE, (int) typeName.invokeExact(object, buffer, 128L));
            assertEquals("org.cypclass.tests.HeaderProbe", buffer.getString(0));

            incref.invokeExact(object);
            incref.invokeExact(object);
            assertEquals(3, RefCount.count(object), "Java sees the increments made by C");
            RefCount.retain(object);
            assertEquals(4, (int) count.invokeExact(object), "C sees the increment made by Java");
            decref.invokeExact(object);
            assertEquals(3, RefCount.count(object), "Java sees the decrement made by C");
            decref.invokeExact(object);
            assertEquals(2, (int) count.invokeExact(object));
            assertFalse(RefCount.release(object));
            assertTrue(RefCount.release(object), "the last release, in Java, destroys the object");
        }
        assertTrue(Files.exists(library));
    }

    private static long offset(String field) {
        return CyObjectHeader.LAYOUT.byteOffset(groupElement(field));
    }
}
