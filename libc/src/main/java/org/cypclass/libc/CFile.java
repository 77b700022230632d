package org.cypclass.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Objects;
import org.cypclass.bindings.libc.libc_h;
import org.cypclass.libc.internal.CallState;
import org.cypclass.libc.internal.Errno;
import org.cypclass.libc.internal.HandleCloser;
import org.cypclass.libc.internal.OpenMode;
import org.cypclass.libc.internal.Platform;
import org.cypclass.libc.internal.Posix;
import org.cypclass.libc.internal.SegmentChecks;
import org.cypclass.libc.internal.Stdio;
import org.cypclass.libc.internal.UseGate;

/**
 * A C stdio stream ({@code FILE*}) opened with {@code fopen}: buffered sequential reads and
 * writes into and from native {@link MemorySegment}s, as Cython+ code does with
 * {@code from libc.stdio cimport fopen, fread}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Buffers are native segments ({@link Arena#allocate}); a heap segment is refused,
 *       because passing it to C would pin it and stall the GC.</li>
 *   <li>Failed C calls throw the {@link IOException} matching {@code errno}, with the path and
 *       {@code strerror}'s text: {@link java.nio.file.NoSuchFileException} for ENOENT,
 *       {@link AccessDeniedException} for EACCES and EPERM,
 *       {@link java.nio.file.FileAlreadyExistsException} for EEXIST, and a
 *       {@link java.nio.file.FileSystemException} with the reason for the others (EISDIR,
 *       ENOSPC, ...). Writes are buffered: an error such as ENOSPC may surface only in
 *       {@link #flush()} or {@link #close()}.</li>
 *   <li>{@link #close()} closes the stream once; later calls do nothing. Every other method
 *       throws {@link IllegalStateException} naming the path once the file is closed.</li>
 *   <li>A file that is never closed is closed by a {@link java.lang.ref.Cleaner} after it
 *       becomes unreachable; errors of that close are lost, so close files explicitly.</li>
 * </ul>
 *
 * <h2>nogil</h2>
 * {@link #read}, {@link #write} and the other per-call methods allocate nothing on the Java
 * heap (a range of a buffer is handed to C as a slice that each thread reuses while the range
 * repeats; tests and benchmarks check 0 bytes per call), hold no Java monitor and call C as plain downcalls
 * (never {@code Linker.Option.critical}), which run in native thread state:
 * the GC and other threads proceed while C reads or writes. {@code errno} is captured into a
 * per-thread segment allocated on the thread's first call.
 *
 * <p>Thread-safety: safe for use by multiple threads. glibc locks the stream during each call,
 * so calls from different threads never tear each other's bytes, but they share one file
 * position; for parallel reads of one file give each thread its own {@code CFile}, or use
 * {@link NativeFile}'s positional reads. {@link #close()} waits for calls running on other
 * threads to return before it frees the stream (see the close protocol of the internal
 * {@code UseGate}); calls that start after it throw {@link IllegalStateException}.
 */
public final class CFile implements AutoCloseable {

    /**
     * Where {@link #seek(long, Whence)} counts from.
     *
     * <p>Thread-safety: immutable; safe to share between threads.
     */
    public enum Whence {
        /** From the start of the file ({@code SEEK_SET}). */
        SET,
        /** From the current position ({@code SEEK_CUR}). */
        CURRENT,
        /** From the end of the file ({@code SEEK_END}). */
        END;

        int c() {
            return switch (this) {
                case SET -> libc_h.SEEK_SET();
                case CURRENT -> libc_h.SEEK_CUR();
                case END -> libc_h.SEEK_END();
            };
        }
    }

    private final String path;
    private final OpenMode mode;
    /** The {@code FILE*}; used only between {@code gate.tryEnter()} and {@code gate.exit()}. */
    private final MemorySegment stream;
    private final UseGate gate = new UseGate();
    private final HandleCloser.Registration closer;

    private CFile(String path, OpenMode mode, MemorySegment stream) {
        this.path = path;
        this.mode = mode;
        this.stream = stream;
        this.closer = HandleCloser.forStream(this, stream);
    }

    /**
     * Opens a file with {@code fopen}.
     *
     * @param path the file, on the default file system
     * @param mode {@code r}, {@code w} or {@code a}, optionally followed by {@code +},
     *        {@code b}, {@code x} (with {@code w}) and {@code e}, each at most once; the stream
     *        is always opened close-on-exec
     * @return the open file
     * @throws NullPointerException if {@code path} or {@code mode} is null
     * @throws IllegalArgumentException if {@code mode} is not a mode listed above, or
     *         {@code path} is not on the default file system
     * @throws java.nio.file.NoSuchFileException if the file or a parent directory is missing
     * @throws AccessDeniedException if permissions forbid the access
     * @throws java.nio.file.FileSystemException if {@code path} is a directory (EISDIR), or for
     *         any other C error, with its {@code strerror} text
     * @throws IOException never other than the above, which are all {@code IOException}s
     * @throws UnsupportedOperationException on any platform but Linux x86-64 with glibc (see
     *         the {@linkplain org.cypclass.libc package documentation})
     */
    public static CFile open(Path path, String mode) throws IOException {
        Platform.requireSupported();
        String name = NativePaths.name(path);
        OpenMode parsed = OpenMode.parse(Objects.requireNonNull(mode, "mode"), name);
        MemorySegment errno = Errno.state();
        MemorySegment stream;
        try (Arena arena = Arena.ofConfined()) {
            stream = Stdio.fopen(errno, arena.allocateFrom(name), arena.allocateFrom(parsed.cMode()));
        }
        if (stream.equals(MemorySegment.NULL)) {
            throw Errno.exception(Errno.value(errno), name, "fopen");
        }
        Posix.Stat stat = Posix.fstat(errno, Stdio.fileno(stream));
        if (stat == null || stat.isDirectory()) {
            // fopen("dir", "r") succeeds on Linux; refuse it here, as the JDK does.
            int error = stat == null ? Errno.value(errno) : libc_h.EISDIR();
            Stdio.fclose(errno, stream);
            throw Errno.exception(error, name, stat == null ? "fstat" : "fopen");
        }
        return new CFile(name, parsed, stream);
    }

    /**
     * Reads up to {@code length} bytes into {@code dst} at {@code offset} with {@code fread}.
     * Returns fewer bytes only at end of file.
     *
     * @param dst a native, writable segment
     * @param offset where in {@code dst} the bytes go
     * @param length the number of bytes wanted
     * @return the number of bytes read, or -1 if the file is at its end and {@code length > 0}
     * @throws IllegalStateException if this file is closed
     * @throws NullPointerException if {@code dst} is null
     * @throws IllegalArgumentException if {@code dst} is a heap or read-only segment, or
     *         {@code offset} or {@code length} is negative
     * @throws IndexOutOfBoundsException if {@code offset + length} exceeds {@code dst}'s size
     * @throws AccessDeniedException if this file was not opened for reading
     * @throws IOException if C reports an error, with the {@code errno} text
     */
    public long read(MemorySegment dst, long offset, long length) throws IOException {
        SegmentChecks.checkDestination(dst, offset, length, this, "read");
        if (!mode.readable()) {
            throw notPermitted("read");
        }
        if (!gate.tryEnter()) {
            throw closed("read");
        }
        try {
            CallState call = CallState.current();
            MemorySegment errno = call.errno();
            long n = Stdio.fread(errno, call.pointer(dst, offset, length), length, stream);
            return n == length ? n : shortRead(n, errno);
        } finally {
            gate.exit();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Reads up to {@code dst.byteSize()} bytes into {@code dst}; see
     * {@link #read(MemorySegment, long, long)}.
     *
     * @param dst a native, writable segment
     * @return the number of bytes read, or -1 at end of file
     * @throws IOException if C reports an error
     */
    public long read(MemorySegment dst) throws IOException {
        return read(dst, 0, dst == null ? 0 : dst.byteSize());
    }

    private long shortRead(long n, MemorySegment errno) throws IOException {
        if (Stdio.ferror(stream)) {
            int error = Errno.value(errno);
            Stdio.clearerr(stream);
            throw Errno.exception(error, path, "fread");
        }
        return n == 0 ? -1 : n;
    }

    /**
     * Writes {@code length} bytes of {@code src} from {@code offset} with {@code fwrite}. The
     * bytes go to the stream's buffer; {@link #flush()} or {@link #close()} hands them to the
     * system and reports errors that only then appear.
     *
     * @param src a native segment
     * @param offset where in {@code src} the bytes start
     * @param length the number of bytes
     * @throws IllegalStateException if this file is closed
     * @throws NullPointerException if {@code src} is null
     * @throws IllegalArgumentException if {@code src} is a heap segment, or {@code offset} or
     *         {@code length} is negative
     * @throws IndexOutOfBoundsException if {@code offset + length} exceeds {@code src}'s size
     * @throws AccessDeniedException if this file was not opened for writing
     * @throws IOException if C reports an error, such as ENOSPC, with the {@code errno} text
     */
    public void write(MemorySegment src, long offset, long length) throws IOException {
        SegmentChecks.checkSource(src, offset, length, this, "write");
        if (!mode.writable()) {
            throw notPermitted("write");
        }
        if (!gate.tryEnter()) {
            throw closed("write");
        }
        try {
            CallState call = CallState.current();
            MemorySegment errno = call.errno();
            long n = Stdio.fwrite(errno, call.pointer(src, offset, length), length, stream);
            if (n != length) {
                throw streamError(errno, "fwrite");
            }
        } finally {
            gate.exit();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Writes all of {@code src}; see {@link #write(MemorySegment, long, long)}.
     *
     * @param src a native segment
     * @throws IOException if C reports an error
     */
    public void write(MemorySegment src) throws IOException {
        write(src, 0, src == null ? 0 : src.byteSize());
    }

    private IOException streamError(MemorySegment errno, String function) {
        int error = Errno.value(errno);
        Stdio.clearerr(stream);
        return Errno.exception(error, path, function);
    }

    /**
     * Moves the file position with {@code fseek} and clears the end-of-file indicator.
     *
     * @param offset the new position, relative to {@code whence}
     * @param whence where {@code offset} counts from
     * @throws IllegalStateException if this file is closed
     * @throws NullPointerException if {@code whence} is null
     * @throws IOException if C reports an error, such as EINVAL for a negative position
     */
    public void seek(long offset, Whence whence) throws IOException {
        int origin = whence.c();
        enter("seek");
        try {
            MemorySegment errno = Errno.state();
            if (Stdio.fseek(errno, stream, offset, origin) != 0) {
                throw streamError(errno, "fseek");
            }
        } finally {
            exit();
        }
    }

    /**
     * Moves the file position to {@code position} bytes from the start.
     *
     * @param position the new position
     * @throws IOException if C reports an error
     */
    public void seek(long position) throws IOException {
        seek(position, Whence.SET);
    }

    /**
     * Returns the file position with {@code ftell}.
     *
     * @return the number of bytes from the start of the file
     * @throws IllegalStateException if this file is closed
     * @throws IOException if C reports an error
     */
    public long tell() throws IOException {
        enter("tell");
        try {
            MemorySegment errno = Errno.state();
            long position = Stdio.ftell(errno, stream);
            if (position < 0) {
                throw streamError(errno, "ftell");
            }
            return position;
        } finally {
            exit();
        }
    }

    /**
     * Hands buffered output to the system with {@code fflush}.
     *
     * @throws IllegalStateException if this file is closed
     * @throws IOException if the system refuses the bytes, such as ENOSPC on a full disk
     */
    public void flush() throws IOException {
        enter("flush");
        try {
            MemorySegment errno = Errno.state();
            if (Stdio.fflush(errno, stream) != 0) {
                throw streamError(errno, "fflush");
            }
        } finally {
            exit();
        }
    }

    /**
     * Tells whether a read reached the end of the file ({@code feof}).
     *
     * @return {@code true} if the end-of-file indicator is set
     * @throws IllegalStateException if this file is closed
     */
    public boolean eof() {
        enter("eof");
        try {
            return Stdio.feof(stream);
        } finally {
            exit();
        }
    }

    /**
     * Returns the file descriptor under the stream ({@code fileno}). It is valid only until
     * this file is closed, and belongs to this file: do not close it.
     *
     * @return the descriptor
     * @throws IllegalStateException if this file is closed
     */
    public int fileno() {
        enter("fileno");
        try {
            return Stdio.fileno(stream);
        } finally {
            exit();
        }
    }

    /**
     * Returns the path this file was opened with.
     *
     * @return the path, as given to {@link #open}
     */
    public String path() {
        return path;
    }

    /**
     * Returns the mode this file was opened with.
     *
     * @return the mode, as given to {@link #open}
     */
    public String mode() {
        return mode.mode();
    }

    /**
     * Tells whether this file is open.
     *
     * @return {@code false} once {@link #close()} has been called
     */
    public boolean isOpen() {
        return !gate.isClosed();
    }

    /**
     * Flushes and closes the stream with {@code fclose}, once: later calls return at once.
     * Waits for calls running on other threads to return first. The stream is freed even if
     * flushing fails.
     *
     * @throws IOException if flushing buffered output failed, such as ENOSPC on a full disk
     */
    @Override
    public void close() throws IOException {
        closer.closeOnce(gate, path);
    }

    /**
     * Describes this file.
     *
     * @return {@code CFile[path, mode "r"]}, with {@code closed} once closed
     */
    @Override
    public String toString() {
        return "CFile[" + path + ", mode \"" + mode.mode() + "\"" + (gate.isClosed() ? ", closed]" : "]");
    }

    /**
     * Enters the gate for a call that uses the stream; package-private for {@link Format}.
     *
     * @param operation named in the exception if closed
     * @return the stream, valid until {@link #exit()}
     */
    MemorySegment enter(String operation) {
        if (!gate.tryEnter()) {
            throw closed(operation);
        }
        return stream;
    }

    /** Leaves the gate entered by {@link #enter(String)}. */
    void exit() {
        gate.exit();
        Reference.reachabilityFence(this);
    }

    /**
     * Checks that this file may be written; package-private for {@link Format}.
     *
     * @param operation named in the exception
     * @throws AccessDeniedException if the mode does not allow writing
     */
    void checkWritable(String operation) throws AccessDeniedException {
        if (!mode.writable()) {
            throw notPermitted(operation);
        }
    }

    private IllegalStateException closed(String operation) {
        return new IllegalStateException(operation + " on closed CFile " + path
            + ": a CFile cannot be used after close()");
    }

    private AccessDeniedException notPermitted(String operation) {
        return new AccessDeniedException(path, null, operation + " is not allowed: the CFile was opened with mode \""
            + mode.mode() + "\"");
    }
}
