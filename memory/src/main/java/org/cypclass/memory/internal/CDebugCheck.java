package org.cypclass.memory.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;

import org.cypclass.memory.CyObjectHeader;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The check behind C's {@code Cy_debug_check} ({@code cypclass/cyobject.h}, code built with
 * {@code CY_DEBUG}): before a {@code Cy_INCREF} or {@code Cy_DECREF}, is the pointer a live
 * object of this allocator? The answer never reads the memory behind a foreign pointer
 * ({@link Allocator#isBlock} decides from chunk bounds and the big block list), then reads the
 * block's prefix and the header's state word only for a block of the allocator. A freed block
 * is recognised while its memory is not reused, which the debug allocator's quarantine makes
 * likely ({@code -Dcypclass.memory.debug=true}).
 *
 * <p>Thread-safety: the stub may be called on any thread, native ones included (the JVM
 * attaches them); it reads what {@link Allocator#isBlock} reads, under the same locks.
 */
public final class CDebugCheck {

    private static final java.lang.invoke.VarHandle TYPE_WORD = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    /** What to do instead, after every refusal. */
    private static final String ADVICE = "Move counts only on an object pointer Java gave C (reference.pointer(), an"
        + " exported method's argument) while C holds a count of it: one Cy_INCREF per reference kept, one Cy_DECREF"
        + " to give each back";

    /** {@code Cy_DEBUG_INCREF} of the header. */
    static final int INCREF = 1;
    /** {@code Cy_DEBUG_DECREF} of the header. */
    static final int DECREF = 2;

    /** Address of the upcall stub, {@code int32_t (*)(const void *, int32_t, char *, int32_t)}. */
    public static final long STUB;

    static {
        try {
            STUB = NativeAccess.permanentUpcall(MethodHandles.lookup().findStatic(CDebugCheck.class, "check",
                    MethodType.methodType(int.class, long.class, int.class, long.class, int.class)),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CDebugCheck() {
    }

    /**
     * The upcall target; never throws (an exception escaping an upcall ends the JVM).
     *
     * @return 0 if the count may move, else 1 with the reason written to {@code message}
     */
    private static int check(long object, int operation, long message, int capacity) {
        String macro = operation == INCREF ? "Cy_INCREF" : operation == DECREF ? "Cy_DECREF" : "a count macro";
        try {
            String problem = problem(object);
            if (problem == null) {
                return 0;
            }
            write(macro + " on " + problem + ". " + ADVICE, message, capacity);
        } catch (Throwable t) {
            write(macro + " on 0x" + Long.toHexString(object) + ": the debug check failed (" + t + ")", message, capacity);
        }
        return 1;
    }

    /**
     * {@return why a count may not move on the object at {@code object}, or null if it is a live object}
     *
     * @param object any address
     */
    public static String problem(long object) {
        if (!Allocator.isBlock(object)) {
            return String.format("0x%x, which is no object of the cypclass allocator: a foreign pointer, a pointer"
                + " inside an object, or a big object (over 8 KiB) already freed and given back to the C library", object);
        }
        if (!Allocator.isAllocated(object)) {
            return String.format("0x%x, a freed block (it held a %s): a reference given back one time too many, or"
                + " used after its object died", object, BlockTypes.name(Allocator.typeOf(object)));
        }
        int type = Allocator.typeOf(object);
        if ((long) TYPE_WORD.get(ALL, object + CyObjectHeader.OB_TYPE) != BlockTypes.typeObject(type)) {
            return String.format("0x%x, a block of the cypclass allocator that holds no object (a %s): its"
                + " ob_type is not its type's", object, BlockTypes.name(type));
        }
        if (CyObjectHeader.capability(RefCount.state(object)) == CyObjectHeader.DEAD) {
            return RefCount.describe(object) + ", which is dead (being destroyed): a reference given back one time too"
                + " many";
        }
        return null;
    }

    /** Writes {@code text} as a NUL-terminated UTF-8 string of at most {@code capacity} bytes. */
    private static void write(String text, long message, int capacity) {
        if (message == 0 || capacity <= 0) {
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, capacity - 1);
        for (int i = 0; i < n; i++) {
            ALL.set(ValueLayout.JAVA_BYTE, message + i, bytes[i]);
        }
        ALL.set(ValueLayout.JAVA_BYTE, message + n, (byte) 0);
    }
}
