package org.cypclass.libc.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The single entry point for restricted FFM operations of the libc module: linking downcall
 * handles and giving a size to pointers that C returns.
 *
 * <p><b>Unsafe.</b> A handle linked with a descriptor that does not match the C function, or
 * a segment made larger than the C object behind it, crashes the JVM or reads foreign memory.
 * Callers pass only the descriptors and addresses jextract generated in
 * {@code org.cypclass.bindings.libc}, and only pointers to NUL-terminated strings to
 * {@link #cString}. This package is not exported.
 *
 * <p>Thread-safety: all members are stateless and safe to use from any thread.
 */
public final class Downcalls {

    private static final Linker LINKER = Linker.nativeLinker();

    /** Saves the C {@code errno} of the call into the segment passed as first argument. */
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private Downcalls() {
    }

    /**
     * Links a downcall that captures {@code errno}: the handle takes a capture segment from
     * {@link Errno#state()} before the C arguments.
     *
     * @param address the C function, as jextract found it
     * @param descriptor the C signature, as jextract generated it
     * @return a handle of type {@code (MemorySegment, <descriptor's arguments>)<result>}
     */
    @SuppressWarnings("restricted")
    public static MethodHandle withErrno(MemorySegment address, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(address, descriptor, CAPTURE_ERRNO);
    }

    /**
     * Links one call shape of a variadic C function, capturing {@code errno}.
     *
     * @param address the C function
     * @param fixed the signature of its fixed arguments
     * @param variadic the layouts of the variadic arguments of this shape, already promoted
     *        (int, long, double or pointer)
     * @return a handle of type {@code (MemorySegment, <fixed>, <variadic>)<result>}
     */
    @SuppressWarnings("restricted")
    public static MethodHandle variadicWithErrno(MemorySegment address, FunctionDescriptor fixed,
                                                 MemoryLayout... variadic) {
        FunctionDescriptor shape = fixed.appendArgumentLayouts(variadic);
        return LINKER.downcallHandle(address, shape, CAPTURE_ERRNO,
            Linker.Option.firstVariadicArg(fixed.argumentLayouts().size()));
    }

    /**
     * Reads a NUL-terminated C string that C returned as a zero-length pointer.
     *
     * @param pointer a non-NULL pointer to a NUL-terminated string that stays valid during
     *        this call
     * @return the string decoded as UTF-8
     */
    @SuppressWarnings("restricted")
    public static String cString(MemorySegment pointer) {
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /**
     * Rethrows what a downcall threw. {@code invokeExact} declares {@code Throwable}; a
     * downcall only throws unchecked exceptions (a closed or foreign-thread segment argument).
     *
     * @param t what the handle threw
     * @return never returns; declared so that callers can write {@code throw rethrow(t)}
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new AssertionError("a downcall threw a checked exception", t);
    }
}
