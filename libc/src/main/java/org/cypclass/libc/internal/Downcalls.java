package org.cypclass.libc.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.nio.file.Path;

/**
 * The single entry point for restricted FFM operations of the libc module: linking downcall
 * handles and giving a size to pointers that C returns.
 *
 * <p><b>Unsafe.</b> A handle linked with a descriptor that does not match the C function, or
 * a segment made larger than the C object behind it, crashes the JVM or reads foreign memory.
 * Callers pass only the descriptors and addresses jextract generated in
 * {@code org.cypclass.bindings.libc}, only pointers to NUL-terminated strings to
 * {@link #cString}, and only live {@code malloc}ed blocks with their true size to
 * {@link #view} and {@link #copy}. A user's library ({@link #libraryLookup}) is linked with the
 * descriptor its user wrote: {@code NativeLibrary}'s documentation puts that contract on them.
 * This package is not exported.
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
     * Loads a shared library with {@code dlopen}, until {@code arena} closes.
     *
     * @param path the library file
     * @param arena closing it unloads the library ({@code dlclose})
     * @return the library's symbols
     * @throws IllegalArgumentException if {@code dlopen} refuses it
     */
    @SuppressWarnings("restricted")
    public static SymbolLookup libraryLookup(Path path, Arena arena) {
        return SymbolLookup.libraryLookup(path, arena);
    }

    /**
     * Loads a shared library by name, as {@code dlopen} searches for it.
     *
     * @param name a file name such as {@code "libz.so.1"}, searched on the loader's path
     * @param arena closing it unloads the library ({@code dlclose})
     * @return the library's symbols
     * @throws IllegalArgumentException if {@code dlopen} finds or loads nothing
     */
    @SuppressWarnings("restricted")
    public static SymbolLookup libraryLookup(String name, Arena arena) {
        return SymbolLookup.libraryLookup(name, arena);
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
     * Makes a segment over a block that C allocated, valid until {@code arena} closes.
     *
     * @param address the block, which C must not free or move before {@code arena} closes
     * @param size the block's size in bytes
     * @param arena the arena whose closing ends the view (the owner closes it before the
     *        block is freed or moved)
     * @param keepAlive an object kept reachable for as long as the view is, for the cleaner
     *        that frees the block once nothing refers to it
     * @return the view
     */
    @SuppressWarnings("restricted")
    public static MemorySegment view(long address, long size, Arena arena, Object keepAlive) {
        return MemorySegment.ofAddress(address).reinterpret(size, arena, _ -> Reference.reachabilityFence(keepAlive));
    }

    /**
     * Copies bytes out of a block that C allocated.
     *
     * @param address the block, live during this call
     * @param length how many bytes to copy, no more than the block holds
     * @param dst where they go, from index 0
     */
    @SuppressWarnings("restricted")
    public static void copy(long address, int length, byte[] dst) {
        MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(length), ValueLayout.JAVA_BYTE, 0, dst, 0, length);
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
