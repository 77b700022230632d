package org.cypclass.tests.objects;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import org.cypclass.examples.Adder;
import org.cypclass.memory.CDebug;
import org.cypclass.memory.MemoryStats;
import org.cypclass.tests.support.Gcc;

/**
 * The child JVM of {@link CDebugTest}: loads {@code c_debug.c}'s library, installs the debug
 * check, and runs one scenario. {@code live}: C takes and gives back a count of a live object,
 * which must pass (prints {@code passed} and the live block count). The others end in the
 * check's abort, which the parent reads from stderr: {@code freed} (a Cy_DECREF after Java
 * closed the object), {@code foreign} (a Cy_INCREF on malloc'd memory), {@code inside} (a
 * Cy_DECREF on a pointer into an object), {@code raw} (a Cy_INCREF on a block of the allocator
 * that holds no object).
 */
public final class CDebugMain {

    private CDebugMain() {
    }

    public static void main(String[] args) throws Throwable {
        String scenario = args[0];
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup library = Gcc.load(Path.of(args[1]), arena);
            if (!CDebug.install(library)) {
                throw new AssertionError("the library has no " + CDebug.HOOK + " hook");
            }
            MethodHandle incref = Gcc.downcall(library, "debug_incref", FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
            MethodHandle decref = Gcc.downcall(library, "debug_decref", FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
            switch (scenario) {
                case "live" -> {
                    try (Adder adder = Adder.create(3)) {
                        long address = adder.pointer().address();
                        for (int i = 0; i < 1000; i++) {
                            incref.invokeExact(address);
                            decref.invokeExact(address);
                        }
                        System.out.println("passed " + adder.add(1));
                    }
                    System.out.println("live blocks " + MemoryStats.snapshot().liveBlocks());
                }
                case "freed" -> {
                    long address;
                    try (Adder adder = Adder.create(3)) {
                        address = adder.pointer().address();
                    }
                    System.out.println("freed 0x" + Long.toHexString(address));
                    System.out.flush();
                    decref.invokeExact(address);
                }
                case "foreign" -> Gcc.downcall(library, "debug_incref_foreign", FunctionDescriptor.ofVoid()).invokeExact();
                case "inside" -> {
                    Adder adder = Adder.create(3);
                    System.out.println("inside 0x" + Long.toHexString(adder.pointer().address() + 8));
                    System.out.flush();
                    Gcc.downcall(library, "debug_decref_inside", FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG))
                        .invokeExact(adder.pointer().address());
                    adder.close();
                }
                case "raw" -> {
                    long block = org.cypclass.memory.internal.Allocator.allocateZeroed(
                        org.cypclass.memory.internal.BlockTypes.register("org.cypclass.tests.RawBlock"), 64);
                    System.out.println("raw 0x" + Long.toHexString(block));
                    System.out.flush();
                    incref.invokeExact(block);
                }
                default -> throw new IllegalArgumentException(scenario);
            }
        }
        System.out.println("returned");
    }
}
