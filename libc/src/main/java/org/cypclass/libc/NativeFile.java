package org.cypclass.libc;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.file.AccessDeniedException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.cypclass.bindings.libc.libc_h;
import org.cypclass.libc.internal.CallState;
import org.cypclass.libc.internal.Errno;
import org.cypclass.libc.internal.HandleCloser;
import org.cypclass.libc.internal.Platform;
import org.cypclass.libc.internal.Posix;
import org.cypclass.libc.internal.SegmentChecks;
import org.cypclass.libc.internal.UseGate;

/**
 * A file descriptor opened with {@code open(2)}, read and written at explicit positions with
 * {@code pread(2)} and {@code pwrite(2)}: no shared file position, no stdio buffer, so any
 * number of threads can read disjoint (or overlapping) parts of one file at once.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Buffers are native segments; a heap segment is refused.</li>
 *   <li>Failed C calls throw the {@link IOException} matching {@code errno}, as
 *       {@link CFile} does ({@link java.nio.file.NoSuchFileException},
 *       {@link AccessDeniedException}, {@link java.nio.file.FileAlreadyExistsException}, else a
 *       {@link java.nio.file.FileSystemException} with the reason).</li>
 *   <li>{@link #close()} closes the descriptor once; later calls do nothing. Every other
 *       method throws {@link IllegalStateException} naming the path once the file is closed.
 *       An unreachable open file is closed by a {@link java.lang.ref.Cleaner}.</li>
 * </ul>
 *
 * <h2>nogil</h2>
 * {@link #read}, {@link #readFully} and {@link #write} allocate nothing on the Java heap (a
 * range of a buffer is handed to C as a slice that each thread reuses while the range
 * repeats), hold no Java monitor
 * and call C as plain downcalls in native thread state.
 *
 * <p>Thread-safety: safe to use from any thread; threads may read and write concurrently, and
 * the kernel orders overlapping accesses. {@link #close()} waits for calls running on other
 * threads to return before it closes the descriptor, so a descriptor number is never reused
 * under a running call.
 */
public final class NativeFile implements AutoCloseable {

    /** Permission bits of files that {@link #open} creates, before the umask. */
    private static final int CREATE_MODE = 0666;

    private final String path;
    private final boolean readable;
    private final boolean writable;
    /** The descriptor; used only between {@code gate.tryEnter()} and {@code gate.exit()}. */
    private final int fd;
    private final UseGate gate = new UseGate();
    private final HandleCloser.Registration closer;

    private NativeFile(String path, boolean readable, boolean writable, int fd) {
        this.path = path;
        this.readable = readable;
        this.writable = writable;
        this.fd = fd;
        this.closer = HandleCloser.forDescriptor(this, fd);
    }

    /**
     * Opens a file with {@code open(2)}, always close-on-exec.
     *
     * @param path the file, on the default file system
     * @param options {@link StandardOpenOption#READ} (the default when neither READ nor WRITE
     *        is given), {@link StandardOpenOption#WRITE}, {@link StandardOpenOption#APPEND},
     *        {@link StandardOpenOption#CREATE}, {@link StandardOpenOption#CREATE_NEW} and
     *        {@link StandardOpenOption#TRUNCATE_EXISTING}
     * @return the open file
     * @throws NullPointerException if {@code path} or an option is null
     * @throws UnsupportedOperationException for any other option
     * @throws IllegalArgumentException if {@code path} is not on the default file system
     * @throws java.nio.file.NoSuchFileException if the file is missing and not created
     * @throws AccessDeniedException if permissions forbid the access
     * @throws java.nio.file.FileAlreadyExistsException with CREATE_NEW, if the file exists
     * @throws IOException for a directory (EISDIR) and any other C error
     * @throws UnsupportedOperationException on any platform but Linux x86-64 with glibc (see
     *         the {@linkplain org.cypclass.libc package documentation})
     */
    public static NativeFile open(Path path, OpenOption... options) throws IOException {
        Platform.requireSupported();
        String name = NativePaths.name(path);
        boolean read = false;
        boolean write = false;
        int flags = libc_h.O_CLOEXEC();
        for (OpenOption option : options) {
            if (!(Objects.requireNonNull(option, "option") instanceof StandardOpenOption standard)) {
                throw new UnsupportedOperationException("open of " + name + ": unsupported option " + option);
            }
            switch (standard) {
                case READ -> read = true;
                case WRITE -> write = true;
                case APPEND -> {
                    write = true;
                    flags |= libc_h.O_APPEND();
                }
                case CREATE -> flags |= libc_h.O_CREAT();
                case CREATE_NEW -> flags |= libc_h.O_CREAT() | libc_h.O_EXCL();
                case TRUNCATE_EXISTING -> flags |= libc_h.O_TRUNC();
                default -> throw new UnsupportedOperationException(
                    "open of " + name + ": option " + option + " is not supported by NativeFile");
            }
        }
        if (!write) {
            read = true;
        }
        flags |= read && write ? libc_h.O_RDWR() : write ? libc_h.O_WRONLY() : libc_h.O_RDONLY();
        MemorySegment errno = Errno.state();
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Posix.open(errno, arena.allocateFrom(name), flags, CREATE_MODE);
        }
        if (fd < 0) {
            throw Errno.exception(Errno.value(errno), name, "open");
        }
        Posix.Stat stat = Posix.fstat(errno, fd);
        if (stat == null || stat.isDirectory()) {
            int error = stat == null ? Errno.value(errno) : libc_h.EISDIR();
            Posix.close(errno, fd);
            throw Errno.exception(error, name, stat == null ? "fstat" : "open");
        }
        return new NativeFile(name, read, write, fd);
    }

    /**
     * Reads up to {@code length} bytes at file position {@code position} into {@code dst} at
     * {@code offset}, with one {@code pread}. May return fewer bytes than asked.
     *
     * @param position the file position to read from
     * @param dst a native, writable segment
     * @param offset where in {@code dst} the bytes go
     * @param length the number of bytes wanted
     * @return the number of bytes read, or -1 if {@code position} is at or past the end of the
     *         file and {@code length > 0}
     * @throws IllegalStateException if this file is closed
     * @throws NullPointerException if {@code dst} is null
     * @throws IllegalArgumentException if {@code dst} is a heap or read-only segment, or
     *         {@code position}, {@code offset} or {@code length} is negative
     * @throws IndexOutOfBoundsException if {@code offset + length} exceeds {@code dst}'s size
     * @throws AccessDeniedException if this file was not opened for reading
     * @throws IOException if C reports an error
     */
    public long read(long position, MemorySegment dst, long offset, long length) throws IOException {
        SegmentChecks.checkDestination(dst, offset, length, this, "read");
        checkPosition(position, "read");
        if (!readable) {
            throw notPermitted("read");
        }
        enter("read");
        try {
            CallState call = CallState.current();
            MemorySegment errno = call.errno();
            long n = Posix.pread(errno, fd, call.pointer(dst, offset, length), length, position);
            return n > 0 ? n : readEnded(n, errno, position, dst, offset, length);
        } finally {
            exit();
        }
    }

    /** The rare outcomes of a pread: end of file, an empty request, EINTR or an error. */
    private long readEnded(long n, MemorySegment errno, long position, MemorySegment dst, long offset, long length)
            throws IOException {
        if (n == 0) {
            return length == 0 ? 0 : -1;
        }
        int error = Errno.value(errno);
        if (error == libc_h.EINTR()) {
            return read(position, dst, offset, length);
        }
        throw Errno.exception(error, path, "pread");
    }

    /**
     * Reads exactly {@code length} bytes at file position {@code position} into {@code dst} at
     * {@code offset}, calling {@code pread} until done.
     *
     * @param position the file position to read from
     * @param dst a native, writable segment
     * @param offset where in {@code dst} the bytes go
     * @param length the number of bytes
     * @throws EOFException if the file ends first; the bytes before its end are in {@code dst}
     * @throws IOException if C reports an error; see {@link #read(long, MemorySegment, long, long)}
     *         for the argument checks
     */
    public void readFully(long position, MemorySegment dst, long offset, long length) throws IOException {
        SegmentChecks.checkDestination(dst, offset, length, this, "readFully");
        long done = 0;
        while (done < length) {
            long n = read(position + done, dst, offset + done, length - done);
            if (n < 0) {
                throw new EOFException(path + ": end of file at position " + (position + done)
                    + ", " + (length - done) + " bytes short of the " + length + " bytes asked at position " + position);
            }
            done += n;
        }
    }

    /**
     * Writes all {@code length} bytes of {@code src} from {@code offset} at file position
     * {@code position}, calling {@code pwrite} until done. (With
     * {@link StandardOpenOption#APPEND}, Linux appends regardless of {@code position}.)
     *
     * @param position the file position to write at
     * @param src a native segment
     * @param offset where in {@code src} the bytes start
     * @param length the number of bytes
     * @throws IllegalStateException if this file is closed
     * @throws NullPointerException if {@code src} is null
     * @throws IllegalArgumentException if {@code src} is a heap segment, or {@code position},
     *         {@code offset} or {@code length} is negative
     * @throws IndexOutOfBoundsException if {@code offset + length} exceeds {@code src}'s size
     * @throws AccessDeniedException if this file was not opened for writing
     * @throws IOException if C reports an error, such as ENOSPC
     */
    public void write(long position, MemorySegment src, long offset, long length) throws IOException {
        SegmentChecks.checkSource(src, offset, length, this, "write");
        checkPosition(position, "write");
        if (!writable) {
            throw notPermitted("write");
        }
        enter("write");
        try {
            CallState call = CallState.current();
            MemorySegment errno = call.errno();
            long n = Posix.pwrite(errno, fd, call.pointer(src, offset, length), length, position);
            if (n != length) {
                writeRest(n, errno, position, src, offset, length);
            }
        } finally {
            exit();
        }
    }

    /** Finishes a write that pwrite did only in part, or reports its error. */
    private void writeRest(long n, MemorySegment errno, long position, MemorySegment src, long offset, long length)
            throws IOException {
        long done = 0;
        while (true) {
            if (n < 0) {
                int error = Errno.value(errno);
                if (error != libc_h.EINTR()) {
                    throw Errno.exception(error, path, "pwrite");
                }
            } else {
                done += n;
            }
            if (done == length) {
                return;
            }
            n = Posix.pwrite(errno, fd, CallState.current().pointer(src, offset + done, length - done),
                length - done, position + done);
        }
    }

    /**
     * {@return the current size of the file in bytes ({@code fstat})}
     *
     * @throws IllegalStateException if this file is closed
     * @throws IOException if C reports an error
     */
    public long size() throws IOException {
        enter("size");
        try {
            MemorySegment errno = Errno.state();
            Posix.Stat stat = Posix.fstat(errno, fd);
            if (stat == null) {
                throw Errno.exception(Errno.value(errno), path, "fstat");
            }
            return stat.size();
        } finally {
            exit();
        }
    }

    /**
     * {@return the file descriptor} It is valid only until this file is closed, and belongs to
     * this file: do not close it.
     *
     * @throws IllegalStateException if this file is closed
     */
    public int fd() {
        enter("fd");
        exit();
        return fd;
    }

    /**
     * {@return the path this file was opened with, as given to {@link #open}}
     */
    public String path() {
        return path;
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
     * Closes the descriptor, once: later calls return at once. Waits for calls running on
     * other threads to return first.
     *
     * @throws IOException if {@code close(2)} reports an error (the descriptor is released
     *         anyway)
     */
    @Override
    public void close() throws IOException {
        closer.closeOnce(gate, path);
    }

    /**
     * Describes this file.
     *
     * @return {@code NativeFile[path]}, with {@code closed} once closed
     */
    @Override
    public String toString() {
        return "NativeFile[" + path + (gate.isClosed() ? ", closed]" : "]");
    }

    private void enter(String operation) {
        if (!gate.tryEnter()) {
            throw new IllegalStateException(operation + " on closed NativeFile " + path
                + ": a NativeFile cannot be used after close()");
        }
    }

    private void exit() {
        gate.exit();
        Reference.reachabilityFence(this);
    }

    private void checkPosition(long position, String operation) {
        if (position < 0) {
            throw new IllegalArgumentException(operation + " on " + this + ": negative file position " + position);
        }
    }

    private AccessDeniedException notPermitted(String operation) {
        return new AccessDeniedException(path, null, operation + " is not allowed: the NativeFile was not opened for "
            + (operation.equals("read") ? "reading" : "writing"));
    }
}
