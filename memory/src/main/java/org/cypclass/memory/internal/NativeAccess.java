package org.cypclass.memory.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The single entry point for restricted FFM operations of the memory module, and the
 * raw-address fill ({@link #zero}) built on its {@link #ALL} segment.
 *
 * <p><b>Unsafe.</b> Everything here works on raw addresses. The segment {@link #ALL} spans the
 * whole address space, so a wrong address reads or writes arbitrary memory. Callers must only
 * pass addresses of live blocks obtained from {@link Allocator}, or of chunks this class
 * returned. This package is not exported; the safe API above it checks liveness first.
 */
public final class NativeAccess {

    /**
     * A segment covering the entire address space, used as the base of every raw-address
     * VarHandle access ({@code handle.get(ALL, address)}). Being a single constant, it lets
     * the JIT fold the bounds and liveness checks of every access away.
     */
    public static final MemorySegment ALL = everything();

    private static final VarHandle LONG = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();
    /** See {@link #ownAddress}: user space ends below 2^57 on every 64-bit platform the JDK runs on. */
    private static final long ADDRESS_BITS = (1L << 57) - 1;
    /** Above this many bytes, {@link #zero} fills in bulk rather than word by word. */
    private static final long BULK_ZERO = 512;

    private static final MethodHandle MALLOC;
    private static final MethodHandle CALLOC;
    private static final MethodHandle FREE;
    private static final MethodHandle ALIGNED_ALLOC;
    /** {@code madvise}, or null where the C library has none: memory is then never given back. */
    private static final MethodHandle MADVISE;
    /**
     * Linux's {@code MADV_DONTNEED}: the pages are dropped at once and read back as zeros.
     * Not {@code MADV_FREE} (8), which only marks them reclaimable: the resident set would fall
     * only under memory pressure, so neither a user nor a test could see the memory go back.
     */
    private static final int MADV_DONTNEED = 4;

    static {
        Linker linker = Linker.nativeLinker();
        // Pointers travel as JAVA_LONG: on every 64-bit ABI the JDK supports, a pointer
        // argument or result uses the same register as a 64-bit integer. This avoids
        // creating a MemorySegment object for each call.
        MALLOC = downcall(linker, "malloc", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = downcall(linker, "free", FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
        CALLOC = downcall(linker, "calloc", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG));
        ALIGNED_ALLOC = downcall(linker, "aligned_alloc", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG));
        MADVISE = linker.defaultLookup().find("madvise").isPresent() && System.getProperty("os.name").equals("Linux")
            ? downcall(linker, "madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT))
            : null;
        if (ValueLayout.ADDRESS.byteSize() != Long.BYTES) {
            throw new ExceptionInInitializerError("Cypclass needs a 64-bit platform");
        }
    }

    private NativeAccess() {
    }

    /**
     * Allocates {@code bytes} with the C library's {@code malloc}.
     *
     * @param bytes the size, at least 1
     * @return the address of the new memory, 16-byte aligned
     * @throws OutOfMemoryError if malloc returns NULL
     */
    public static long malloc(long bytes) {
        long address;
        try {
            address = (long) MALLOC.invokeExact(bytes);
        } catch (Throwable t) {
            throw new AssertionError("malloc downcall failed", t);
        }
        if (address == 0) {
            throw new OutOfMemoryError("malloc(" + bytes + ") returned NULL: the process is out of native memory");
        }
        return address;
    }

    /**
     * Allocates {@code bytes} bytes aligned to {@code alignment} with the C library's
     * {@code aligned_alloc}; {@link #free} gives them back.
     *
     * @param alignment a power of two, at least 16
     * @param bytes the size, a multiple of {@code alignment}
     * @return the address of the new memory, a multiple of {@code alignment}
     * @throws OutOfMemoryError if aligned_alloc returns NULL
     */
    public static long alignedAlloc(long alignment, long bytes) {
        long address;
        try {
            address = (long) ALIGNED_ALLOC.invokeExact(alignment, bytes);
        } catch (Throwable t) {
            throw new AssertionError("aligned_alloc downcall failed", t);
        }
        if (address == 0) {
            throw new OutOfMemoryError("aligned_alloc(" + alignment + ", " + bytes
                + ") returned NULL: the process is out of native memory");
        }
        return address;
    }

    /** {@return whether {@link #dropPages} can give memory back on this platform} */
    public static boolean canDropPages() {
        return MADVISE != null;
    }

    /**
     * Gives the physical pages of {@code [address, address + bytes)} back to the operating system
     * ({@code madvise(MADV_DONTNEED)}): the range stays mapped and readable, and reads as zeros
     * until written again. The caller must hold every block in the range (no other thread may
     * write it: a write racing the call may be lost).
     *
     * @param address the first byte, page-aligned, inside memory from {@link #alignedAlloc}
     * @param bytes a multiple of the page size
     * @return whether the kernel took the pages (false also where {@link #canDropPages} is false)
     */
    public static boolean dropPages(long address, long bytes) {
        if (MADVISE == null) {
            return false;
        }
        try {
            return (int) MADVISE.invokeExact(address, bytes, MADV_DONTNEED) == 0;
        } catch (Throwable t) {
            throw new AssertionError("madvise downcall failed", t);
        }
    }

    /**
     * Allocates {@code bytes} zeroed bytes with the C library's {@code calloc}. For sizes it
     * serves by {@code mmap}, the pages come zero from the kernel and are not touched until
     * used: a large zeroed block costs no resident memory before it is written.
     *
     * @param bytes the size, at least 1
     * @return the address of the new memory, 16-byte aligned, every byte zero
     * @throws OutOfMemoryError if calloc returns NULL
     */
    public static long calloc(long bytes) {
        long address;
        try {
            address = (long) CALLOC.invokeExact(1L, bytes);
        } catch (Throwable t) {
            throw new AssertionError("calloc downcall failed", t);
        }
        if (address == 0) {
            throw new OutOfMemoryError("calloc(1, " + bytes + ") returned NULL: the process is out of native memory");
        }
        return address;
    }

    /**
     * Returns memory obtained from {@link #malloc} or {@link #calloc} to the C library.
     *
     * @param address an address returned by {@link #malloc} and not freed since
     */
    public static void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new AssertionError("free downcall failed", t);
        }
    }

    /**
     * Sets exactly {@code bytes} bytes at {@code address} to zero: whole words for the small
     * objects of the hot path (no call, no allocation), one bulk fill (the JDK's vectorised
     * {@code setMemory}) for large ones, where a word loop would take milliseconds.
     *
     * @param address the first byte, 8-byte aligned, inside a live block
     * @param bytes how many bytes, all inside the block
     */
    public static void zero(long address, long bytes) {
        if (bytes > BULK_ZERO) {
            zeroInBulk(address, bytes);
            return;
        }
        // Int-counted loops over a known-range address: no safepoint poll, no bounds check.
        long at = ownAddress(address);
        int words = (int) bytes >>> 3;
        for (int i = 0; i < words; i++) {
            LONG.set(ALL, at + ((long) i << 3), 0L);
        }
        for (int i = words << 3; i < (int) bytes; i++) {
            BYTE.set(ALL, at + i, (byte) 0);
        }
    }

    /**
     * Returns an address the allocator made (a block it just handed out, a link of its own free
     * lists) with its top bits cleared: the identity on every address a process can map, and a
     * range the JIT then knows, so that the bounds check of each access through {@link #ALL}
     * folds away (the allocator's hot paths make half a dozen accesses per block, each a
     * compare and a branch otherwise). Not for addresses from outside the allocator: there the
     * check turns a wild negative value into an exception instead of a fault.
     *
     * @param address an address the allocator produced
     * @return the same address
     */
    public static long ownAddress(long address) {
        return address & ADDRESS_BITS;
    }

    private static void zeroInBulk(long address, long bytes) {
        ALL.asSlice(address, bytes).fill((byte) 0);
    }

    /**
     * Views {@code bytes} bytes at a raw address as a segment of the global scope.
     *
     * @param address the start of a live block
     * @param bytes the number of bytes the caller may access
     * @return a segment that the caller must stop using when the block is freed
     */
    @SuppressWarnings("restricted")
    public static MemorySegment segment(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    /**
     * Views {@code bytes} bytes at a raw address as a segment of {@code arena}'s scope, so that
     * closing the arena makes the segment unusable (instead of leaving a view of memory that
     * may be freed and reused).
     *
     * @param address the start of memory that stays allocated at least until the arena closes
     * @param bytes the number of bytes the caller may access
     * @param arena the arena whose scope the segment gets; no cleanup action is attached
     * @return a segment of {@code arena}'s scope
     */
    @SuppressWarnings("restricted")
    public static MemorySegment segment(long address, long bytes, Arena arena) {
        return MemorySegment.ofAddress(address).reinterpret(bytes, arena, null);
    }

    /**
     * Allocates a NUL-terminated copy of {@code text} that lives as long as the process,
     * for names that C code reads through type objects.
     *
     * @param text the string to copy
     * @return the address of the C string
     */
    public static long permanentCString(String text) {
        return Arena.global().allocateFrom(text).address();
    }

    /**
     * Creates an upcall stub that lives as long as the process, for function pointers that C
     * reads from type objects.
     *
     * @param target a static method handle that never throws (an exception escaping an
     *               upcall ends the JVM)
     * @param descriptor its C signature
     * @return the address C calls
     */
    @SuppressWarnings("restricted")
    public static long permanentUpcall(MethodHandle target, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().upcallStub(target, descriptor, Arena.global()).address();
    }

    @SuppressWarnings("restricted")
    private static MemorySegment everything() {
        return MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    }

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(Linker linker, String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = linker.defaultLookup().find(name)
            .orElseThrow(() -> new ExceptionInInitializerError("the C library has no " + name));
        return linker.downcallHandle(symbol, descriptor);
    }
}
