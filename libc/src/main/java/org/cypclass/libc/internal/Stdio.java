package org.cypclass.libc.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.cypclass.bindings.libc.libc_h;

/**
 * Raw stdio calls on a {@code FILE*}: the downcall handles that capture {@code errno}, linked
 * once from jextract's descriptors, and typed static methods over them.
 *
 * <p><b>Unsafe.</b> Each method trusts its {@code stream} to be a live {@code FILE*} and its
 * buffer to be a native segment of at least the given length; the public API checks both
 * (see {@link UseGate} and {@link SegmentChecks}). Handles are plain downcalls: C runs in
 * native thread state, so the GC and other threads carry on during the call.
 *
 * <p>Thread-safety: all members are stateless; glibc locks a {@code FILE*} during each call.
 */
public final class Stdio {

    private static final MethodHandle FOPEN =
        Downcalls.withErrno(libc_h.fopen$address(), libc_h.fopen$descriptor());
    private static final MethodHandle FCLOSE =
        Downcalls.withErrno(libc_h.fclose$address(), libc_h.fclose$descriptor());
    private static final MethodHandle FREAD =
        Downcalls.withErrno(libc_h.fread$address(), libc_h.fread$descriptor());
    private static final MethodHandle FWRITE =
        Downcalls.withErrno(libc_h.fwrite$address(), libc_h.fwrite$descriptor());
    private static final MethodHandle FSEEK =
        Downcalls.withErrno(libc_h.fseek$address(), libc_h.fseek$descriptor());
    private static final MethodHandle FTELL =
        Downcalls.withErrno(libc_h.ftell$address(), libc_h.ftell$descriptor());
    private static final MethodHandle FFLUSH =
        Downcalls.withErrno(libc_h.fflush$address(), libc_h.fflush$descriptor());

    private Stdio() {
    }

    /**
     * {@code fopen(path, mode)}.
     *
     * @param errno this thread's capture segment
     * @param path a NUL-terminated path
     * @param mode a NUL-terminated, already validated mode
     * @return the stream, or {@link MemorySegment#NULL} on failure
     */
    public static MemorySegment fopen(MemorySegment errno, MemorySegment path, MemorySegment mode) {
        try {
            return (MemorySegment) FOPEN.invokeExact(errno, path, mode);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code fclose(stream)}: flushes and frees the stream, even when flushing fails.
     *
     * @param errno this thread's capture segment
     * @param stream a live stream, dead after this call
     * @return 0, or EOF if flushing or closing failed
     */
    public static int fclose(MemorySegment errno, MemorySegment stream) {
        try {
            return (int) FCLOSE.invokeExact(errno, stream);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code fread(buffer, 1, length, stream)}.
     *
     * @param errno this thread's capture segment
     * @param buffer a native segment of at least {@code length} bytes
     * @param length the number of bytes to read
     * @param stream a live stream
     * @return the number of bytes read; fewer than {@code length} at end of file or on error
     */
    public static long fread(MemorySegment errno, MemorySegment buffer, long length, MemorySegment stream) {
        try {
            return (long) FREAD.invokeExact(errno, buffer, 1L, length, stream);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code fwrite(buffer, 1, length, stream)}.
     *
     * @param errno this thread's capture segment
     * @param buffer a native segment of at least {@code length} bytes
     * @param length the number of bytes to write
     * @param stream a live stream
     * @return the number of bytes written; fewer than {@code length} on error
     */
    public static long fwrite(MemorySegment errno, MemorySegment buffer, long length, MemorySegment stream) {
        try {
            return (long) FWRITE.invokeExact(errno, buffer, 1L, length, stream);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code fseek(stream, offset, whence)}.
     *
     * @param errno this thread's capture segment
     * @param stream a live stream
     * @param offset the offset relative to {@code whence}
     * @param whence SEEK_SET, SEEK_CUR or SEEK_END
     * @return 0, or -1 on error
     */
    public static int fseek(MemorySegment errno, MemorySegment stream, long offset, int whence) {
        try {
            return (int) FSEEK.invokeExact(errno, stream, offset, whence);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code ftell(stream)}.
     *
     * @param errno this thread's capture segment
     * @param stream a live stream
     * @return the position, or -1 on error
     */
    public static long ftell(MemorySegment errno, MemorySegment stream) {
        try {
            return (long) FTELL.invokeExact(errno, stream);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code fflush(stream)}.
     *
     * @param errno this thread's capture segment
     * @param stream a live stream, or {@link MemorySegment#NULL} for every output stream
     * @return 0, or EOF on error
     */
    public static int fflush(MemorySegment errno, MemorySegment stream) {
        try {
            return (int) FFLUSH.invokeExact(errno, stream);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code feof(stream)}.
     *
     * @param stream a live stream
     * @return {@code true} if the end-of-file indicator is set
     */
    public static boolean feof(MemorySegment stream) {
        return libc_h.feof(stream) != 0;
    }

    /**
     * {@code ferror(stream)}.
     *
     * @param stream a live stream
     * @return {@code true} if the error indicator is set
     */
    public static boolean ferror(MemorySegment stream) {
        return libc_h.ferror(stream) != 0;
    }

    /**
     * {@code clearerr(stream)}: clears the end-of-file and error indicators.
     *
     * @param stream a live stream
     */
    public static void clearerr(MemorySegment stream) {
        libc_h.clearerr(stream);
    }

    /**
     * {@code fileno(stream)}.
     *
     * @param stream a live stream
     * @return its file descriptor
     */
    public static int fileno(MemorySegment stream) {
        return libc_h.fileno(stream);
    }
}
