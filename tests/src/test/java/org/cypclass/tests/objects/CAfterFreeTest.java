package org.cypclass.tests.objects;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

import org.cypclass.examples.Adder;
import org.cypclass.memory.MemoryStats;
import org.cypclass.tests.support.Gcc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * C code that keeps a pointer after the object's last reference went, then changes its count
 * ({@code Cy_INCREF}/{@code Cy_DECREF} trust their pointer): the debug allocator holds freed
 * blocks in quarantine, poisoned, and stops with a message naming the block, its type and the
 * header word C changed when the block leaves, instead of handing out a corrupted block. Runs in
 * the diagnostics JVM ({@code -Dcypclass.memory.debug=true}).
 */
@Tag("diagnostics")
class CAfterFreeTest {

    @TempDir
    static Path dir;
    private static Arena arena;
    private static MethodHandle incref;
    private static MethodHandle xdecref;

    @BeforeAll
    static void compileTheLibrary() throws Exception {
        Gcc.assumeAvailable();
        Path library = Gcc.compile(dir.resolve("libc_owner.so"), List.of("-shared", "-fPIC", "-pthread"), "c_owner.c");
        arena = Arena.ofShared();
        SymbolLookup lib = Gcc.load(library, arena);
        incref = Gcc.downcall(lib, "incref", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        xdecref = Gcc.downcall(lib, "xdecref", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    @AfterAll
    static void unloadTheLibrary() {
        if (arena != null) {
            arena.close();
        }
    }

    @Test
    void aCDecrefOfAFreedObjectStopsWithTheBlockNamed() throws Throwable {
        checkCaught(xdecref);
    }

    @Test
    void aCIncrefOfAFreedObjectStopsWithTheBlockNamed() throws Throwable {
        checkCaught(incref);
    }

    private static void checkCaught(MethodHandle cCall) throws Throwable {
        assertEquals("true", System.getProperty(MemoryStats.DEBUG_PROPERTY), "run through the diagnostics execution");
        long address;
        try (Adder adder = Adder.create(1)) {
            address = adder.pointer().address();
        }
        cCall.invokeExact(MemorySegment.ofAddress(address));    // C's stale pointer: the block is free
        // More frees push the block out of quarantine, where its poison is checked.
        IllegalStateException caught = assertThrows(IllegalStateException.class, () -> {
            for (int i = 0; i < 4 * 1024; i++) {
                Adder.create(i).close();
            }
        });
        String message = caught.getMessage();
        assertTrue(message.contains(String.format("0x%x", address)), message);
        assertTrue(message.contains("Adder"), message);
        assertTrue(message.contains("nogil_ob_refcnt") && message.contains("Cy_DECREF"), message);
    }
}
