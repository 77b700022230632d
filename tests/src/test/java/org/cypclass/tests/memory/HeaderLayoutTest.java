package org.cypclass.tests.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.generated.CExports;
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
        for (String field : List.of("tp_name", "tp_id", "tp_flags", "tp_dealloc", "tp_lock_wait", "tp_lock_wake", "tp_methods")) {
            assertEquals(BlockTypes.TYPE_OBJECT_LAYOUT.byteOffset(groupElement(field)), c.get(field), "offset of " + field);
        }
        assertEquals(BlockTypes.TYPE_OBJECT_LAYOUT.byteSize(), c.get("sizeof_type"));
        assertEquals(CExports.HEAD_SIZE, c.get("sizeof_methods"));
        assertEquals(CExports.OK, c.get("CY_OK"));
        assertEquals(CExports.WRONG_THREAD, c.get("CY_EWRONG_THREAD"));
        assertEquals(CExports.NOT_LOCKED, c.get("CY_ENOT_LOCKED"));
        assertEquals(CExports.CAPABILITY, c.get("CY_ECAPABILITY"));
        assertEquals(CExports.DEAD, c.get("CY_EDEAD"));
        assertEquals(CExports.ARGUMENT, c.get("CY_EARGUMENT"));
        assertEquals(CExports.EXCEPTION, c.get("CY_EEXCEPTION"));
        assertEquals(CyObjectHeader.LOCAL, c.get("CY_LOCAL"));
        assertEquals(CyObjectHeader.SHARED, c.get("CY_SHARED"));
        assertEquals(CyObjectHeader.LOCKED, c.get("CY_LOCKED"));
        assertEquals(CyObjectHeader.LOCKED_MEMBER, c.get("CY_LOCKED_MEMBER"));
        assertEquals(CyObjectHeader.FROZEN, c.get("CY_FROZEN"));
        assertEquals(CyObjectHeader.ACTIVE, c.get("CY_ACTIVE"));
        assertEquals(CyObjectHeader.WRITER, c.get("CY_LOCK_WRITER"));
        assertEquals(CyObjectHeader.WRITER_WAITING, c.get("CY_LOCK_WRITER_WAITING"));
        assertEquals(CyObjectHeader.PARKED, c.get("CY_LOCK_PARKED"));
        assertEquals(CyObjectHeader.READER, c.get("CY_LOCK_READER"));
        assertEquals(CyObjectHeader.ATOMIC_REFCOUNT, c.get("CY_ATOMIC_REFCOUNT"));
        assertEquals(CyObjectHeader.OWNER_SHARED, c.get("CY_OWNER_SHARED"));
    }

    /**
     * Every public constant of {@link CyObjectHeader} has its twin in {@code cyobject.h} with the
     * same value: the test writes one {@code _Static_assert} per constant, from the Java values
     * read by reflection, and gcc compiles them against the header. A constant added in Java
     * without its C twin fails here (unknown macro, or no C name known for it).
     */
    @Test
    void everyJavaHeaderConstantHasItsCTwin(@TempDir Path dir) throws Exception {
        Gcc.assumeAvailable();
        StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <cypclass/cyobject.h>\n");
        int checked = 0;
        for (Field field : CyObjectHeader.class.getFields()) {
            int modifiers = field.getModifiers();
            if (!Modifier.isStatic(modifiers) || !Modifier.isFinal(modifiers) || !field.getType().isPrimitive()) {
                continue;       // LAYOUT, checked member by member above
            }
            long value = ((Number) field.get(null)).longValue();
            String twin = cTwin(field.getName());
            c.append("_Static_assert((long long) (").append(twin).append(") == ").append(value)
                .append("LL, \"").append(twin).append(" must be ").append(value).append(" as CyObjectHeader.")
                .append(field.getName()).append(" is\");\n");
            checked++;
        }
        assertTrue(checked >= 20, "found only " + checked + " constants");
        Path source = Files.writeString(dir.resolve("header_constants.c"), c.toString());
        Path object = Gcc.compile(dir.resolve("header_constants.o"), List.of("-c"), source.toString());
        assertTrue(Files.exists(object));
    }

    /** The C name of a constant of {@link CyObjectHeader}. */
    private static String cTwin(String javaName) {
        return switch (javaName) {
            case "OB_REFCNT", "OB_TYPE", "NOGIL_OB_REFCNT", "OB_STATE", "OB_OWNER" ->
                "offsetof(CyObject, " + javaName.toLowerCase(Locale.ROOT) + ")";
            case "SIZE" -> "sizeof(CyObject)";
            case "ALIGNMENT" -> "_Alignof(CyObject)";
            case "WRITER", "WRITER_WAITING", "PARKED", "READER", "READERS" -> "CY_LOCK_" + javaName;
            case "DEAD", "LOCAL", "SHARED", "LOCKED", "LOCKED_MEMBER", "FROZEN", "ACTIVE", "OWNER_SHARED",
                 "CAPABILITY_MASK", "ATOMIC_REFCOUNT" -> "CY_" + javaName;
            default -> throw new AssertionError("CyObjectHeader." + javaName + " has no known C twin: add it to"
                + " cyobject.h and to this table");
        };
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
