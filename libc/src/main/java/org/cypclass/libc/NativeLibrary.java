package org.cypclass.libc;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.ref.Reference;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import org.cypclass.libc.internal.Downcalls;
import org.cypclass.libc.internal.Platform;
import org.cypclass.libc.internal.UseGate;

/**
 * A shared library of your own, loaded with {@code dlopen}, whose functions are called with the
 * libc layer's machinery: {@code errno} captured right after the call, failures turned into the
 * same exceptions {@link CFile} throws, calls refused once the library is closed.
 * {@snippet :
 * try (NativeLibrary lib = NativeLibrary.open(Path.of("libdemo.so"))) {
 *     NativeFunction size = lib.function("demo_file_size",
 *         FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
 *         NativeFunction.Failure.MINUS_ONE_SETS_ERRNO);
 *     long n = (long) size.invoke(arena.allocateFrom("/etc/hostname")); // NoSuchFileException on ENOENT
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>You state the C signature.</b> The {@link FunctionDescriptor} given to
 *       {@link #function} must match the C function exactly, as with
 *       {@link java.lang.foreign.Linker#downcallHandle}: a wrong one is not detected and can
 *       crash the JVM. This is why the module needs native access.</li>
 *   <li>{@link #close()} unloads the library ({@code dlclose}) after the calls running on it
 *       have returned; later calls of its functions, and {@link #function}, throw
 *       {@link IllegalStateException}. A library never closed stays loaded until the JVM
 *       exits.</li>
 *   <li>Pointers the functions return are zero-length segments, as the FFM API gives them;
 *       they stay valid for as long as the C library says, not for as long as this object.</li>
 * </ul>
 *
 * <h2>Platform</h2>
 * The same as the rest of the module: Linux x86-64 with glibc, whose {@code errno} values the
 * exceptions are chosen by. Elsewhere {@link #open} and {@link #load} throw
 * {@link UnsupportedOperationException} saying so, before {@code dlopen}.
 *
 * <p>Thread-safety: safe to use from any thread; functions may be called concurrently, each
 * thread's {@code errno} is captured apart, and {@link #close()} waits for running calls.
 */
public final class NativeLibrary implements AutoCloseable {

    private final String name;
    private final Arena arena;
    private final SymbolLookup symbols;
    private final UseGate gate = new UseGate();

    private NativeLibrary(String name, Arena arena, SymbolLookup symbols) {
        this.name = name;
        this.arena = arena;
        this.symbols = symbols;
    }

    /**
     * Loads a shared library file.
     *
     * @param path the {@code .so} file, on the default file system
     * @return the loaded library, to close when its functions are no longer called
     * @throws NullPointerException if {@code path} is null
     * @throws IllegalArgumentException if {@code path} is not on the default file system
     * @throws NoSuchFileException if there is no file at {@code path}
     * @throws FileSystemException if {@code path} is not a regular ELF file, or {@code dlopen}
     *         refuses it (not a shared library for this platform, or a library it needs is
     *         missing)
     * @throws UnsupportedOperationException on any platform but Linux x86-64 with glibc
     */
    public static NativeLibrary open(Path path) throws IOException {
        Platform.requireSupported();
        String file = NativePaths.name(path);
        if (!Files.exists(path)) {
            throw new NoSuchFileException(file, null, "no shared library at this path (dlopen)");
        }
        requireElf(path, file);
        Arena arena = Arena.ofShared();
        try {
            return new NativeLibrary(file, arena, Downcalls.libraryLookup(path, arena));
        } catch (IllegalArgumentException e) {
            arena.close();
            throw new FileSystemException(file, null, "dlopen refused it: not a shared library for linux-x86_64,"
                + " or a library it needs is missing (ldd " + file + " tells which); " + e.getMessage());
        }
    }

    /**
     * Refuses what is not an ELF file before {@code dlopen} sees it: HotSpot reads a library's
     * ELF notes before loading it, and for anything else prints a warning about the thread
     * stack guard to stderr, which would only confuse.
     */
    private static void requireElf(Path path, String file) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new FileSystemException(file, null, "not a regular file; dlopen loads shared library files");
        }
        byte[] magic = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(magic, 0, magic.length);
        }
        if (n < magic.length || magic[0] != 0x7f || magic[1] != 'E' || magic[2] != 'L' || magic[3] != 'F') {
            throw new FileSystemException(file, null, "not a shared library: it has no ELF header");
        }
    }

    /**
     * Loads a shared library by name, searched as {@code dlopen} searches
     * ({@code LD_LIBRARY_PATH}, the loader's cache, {@code /lib}, {@code /usr/lib}); a name
     * with a {@code /} is a path.
     *
     * @param name a library file name, such as {@code "libz.so.1"}
     * @return the loaded library, to close when its functions are no longer called
     * @throws NullPointerException if {@code name} is null
     * @throws NoSuchFileException if {@code dlopen} finds no library of that name, or cannot
     *         load the one it finds
     * @throws UnsupportedOperationException on any platform but Linux x86-64 with glibc
     */
    public static NativeLibrary load(String name) throws IOException {
        Platform.requireSupported();
        Objects.requireNonNull(name, "name");
        Arena arena = Arena.ofShared();
        try {
            return new NativeLibrary(name, arena, Downcalls.libraryLookup(name, arena));
        } catch (IllegalArgumentException e) {
            arena.close();
            throw new NoSuchFileException(name, null, "dlopen found no loadable library of that name on the"
                + " loader's search path (LD_LIBRARY_PATH, /etc/ld.so.cache, /lib, /usr/lib); " + e.getMessage());
        }
    }

    /**
     * Binds a function of this library.
     *
     * @param symbol the function's exported name, such as {@code "demo_file_size"}
     * @param signature its C signature, which must match the C declaration exactly (see the
     *        class documentation)
     * @param failure how the function reports a failure; it must fit the return type:
     *        see {@link NativeFunction.Failure}
     * @return the function, usable until this library is closed
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the library has no such symbol, or {@code failure}
     *         does not fit the return type
     * @throws IllegalStateException if this library is closed
     */
    public NativeFunction function(String symbol, FunctionDescriptor signature, NativeFunction.Failure failure) {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(failure, "failure");
        failure.checkFits(signature, symbol);
        enter("function");
        try {
            MemorySegment address = symbols.find(symbol).orElseThrow(() -> new IllegalArgumentException(
                name + " has no symbol \"" + symbol + "\": check its spelling, and that the library exports it"
                    + " (nm -D --defined-only " + name + " lists what it exports)"));
            return new NativeFunction(this, symbol, signature, failure, Downcalls.withErrno(address, signature));
        } finally {
            exit();
        }
    }

    /**
     * {@return whether this library is loaded: {@code false} once {@link #close()} has been
     * called}
     */
    public boolean isOpen() {
        return !gate.isClosed();
    }

    /**
     * Unloads the library ({@code dlclose}), once: later calls return at once. Waits for calls
     * of its functions running on other threads to return first.
     */
    @Override
    public void close() {
        if (gate.close()) {
            arena.close();
        }
    }

    /**
     * Describes this library.
     *
     * @return {@code NativeLibrary[path or name]}, with {@code closed} once closed
     */
    @Override
    public String toString() {
        return "NativeLibrary[" + name + (gate.isClosed() ? ", closed]" : "]");
    }

    /** The path or name it was loaded with, for messages. */
    String name() {
        return name;
    }

    /** Enters the gate for a call of one of its functions; package-private for {@link NativeFunction}. */
    void enter(String operation) {
        if (!gate.tryEnter()) {
            throw new IllegalStateException(operation + " on closed NativeLibrary " + name
                + ": its functions cannot be called after close() unloaded it");
        }
    }

    /** Leaves the gate entered by {@link #enter(String)}. */
    void exit() {
        gate.exit();
        Reference.reachabilityFence(this);
    }
}
