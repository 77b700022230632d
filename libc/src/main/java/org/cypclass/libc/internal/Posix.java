package org.cypclass.libc.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.cypclass.bindings.libc.libc_h;
import org.cypclass.bindings.libc.stat;

/**
 * Raw POSIX calls on a file descriptor: {@code open}, {@code close}, {@code pread},
 * {@code pwrite} and {@code fstat}, each capturing {@code errno}, linked once from jextract's
 * descriptors.
 *
 * <p><b>Unsafe.</b> Each method trusts its descriptor to be open and owned by the caller and
 * its buffer to be a native segment of at least the given length; the public API checks both.
 * Handles are plain downcalls that run in native thread state.
 */
public final class Posix {

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE =
        Downcalls.withErrno(libc_h.close$address(), libc_h.close$descriptor());
    private static final MethodHandle PREAD =
        Downcalls.withErrno(libc_h.pread$address(), libc_h.pread$descriptor());
    private static final MethodHandle PWRITE =
        Downcalls.withErrno(libc_h.pwrite$address(), libc_h.pwrite$descriptor());
    private static final MethodHandle FSTAT =
        Downcalls.withErrno(libc_h.fstat$address(), libc_h.fstat$descriptor());

    static {
        // open(const char *path, int flags, ...) is variadic: one shape, with the mode as int.
        FunctionDescriptor fixed = libc_h.open.makeInvoker().descriptor();
        OPEN = Downcalls.variadicWithErrno(libc_h.open.address(), fixed, libc_h.C_INT);
    }

    private Posix() {
    }

    /**
     * {@code open(path, flags, mode)}.
     *
     * @param errno this thread's capture segment
     * @param path a NUL-terminated path
     * @param flags {@code O_*} flags
     * @param mode permission bits for a created file
     * @return the new descriptor, or -1 on error
     */
    public static int open(MemorySegment errno, MemorySegment path, int flags, int mode) {
        try {
            return (int) OPEN.invokeExact(errno, path, flags, mode);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code close(fd)}. The descriptor is released even when this reports an error.
     *
     * @param errno this thread's capture segment
     * @param fd an open descriptor the caller owns
     * @return 0, or -1 on error
     */
    public static int close(MemorySegment errno, int fd) {
        try {
            return (int) CLOSE.invokeExact(errno, fd);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code pread(fd, buffer, length, position)}.
     *
     * @param errno this thread's capture segment
     * @param fd an open descriptor
     * @param buffer a native segment of at least {@code length} bytes
     * @param length the number of bytes to read
     * @param position the file offset to read from
     * @return the number of bytes read, 0 at end of file, or -1 on error
     */
    public static long pread(MemorySegment errno, int fd, MemorySegment buffer, long length, long position) {
        try {
            return (long) PREAD.invokeExact(errno, fd, buffer, length, position);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code pwrite(fd, buffer, length, position)}.
     *
     * @param errno this thread's capture segment
     * @param fd an open descriptor
     * @param buffer a native segment of at least {@code length} bytes
     * @param length the number of bytes to write
     * @param position the file offset to write at
     * @return the number of bytes written, or -1 on error
     */
    public static long pwrite(MemorySegment errno, int fd, MemorySegment buffer, long length, long position) {
        try {
            return (long) PWRITE.invokeExact(errno, fd, buffer, length, position);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * The facts {@code fstat} reports that this library uses.
     *
     * @param isDirectory whether the descriptor refers to a directory
     * @param size the size in bytes, for a regular file
     */
    public record Stat(boolean isDirectory, long size) {
    }

    /**
     * {@code fstat(fd)}.
     *
     * @param errno this thread's capture segment
     * @param fd an open descriptor
     * @return what {@code fstat} found, or {@code null} on error (then read {@code errno})
     */
    public static Stat fstat(MemorySegment errno, int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(stat.layout());
            int result = (int) FSTAT.invokeExact(errno, fd, buffer);
            if (result != 0) {
                return null;
            }
            int type = stat.st_mode(buffer) & libc_h.S_IFMT();
            return new Stat(type == libc_h.S_IFDIR(), stat.st_size(buffer));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
