package org.cypclass.libc.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
    /**
     * {@code fgets} returns its buffer or NULL. Linked to return the pointer as a {@code long}
     * (the same register on x86-64), so that no {@link MemorySegment} is made for a result
     * that is only compared with NULL.
     */
    private static final MethodHandle FGETS = Downcalls.withErrno(libc_h.fgets$address(),
        libc_h.fgets$descriptor().changeReturnLayout(ValueLayout.JAVA_LONG));
    private static final MethodHandle GETLINE =
        Downcalls.withErrno(libc_h.getline$address(), libc_h.getline$descriptor());

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
            MemorySegment stream = (MemorySegment) FOPEN.invokeExact(errno, path, mode);
            if (!stream.equals(MemorySegment.NULL)) {
                NativeLedger.streamOpened();
            }
            return stream;
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
            int result = (int) FCLOSE.invokeExact(errno, stream);
            NativeLedger.streamClosed();    // the stream is freed whatever the result
            return result;
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
     * {@code fgets(buffer, size, stream)}: reads up to {@code size - 1} bytes, stopping after a
     * newline or at end of file, and stores a NUL after them.
     *
     * @param errno this thread's capture segment
     * @param buffer a native segment of at least {@code size} bytes
     * @param size the room in {@code buffer}, at least 2
     * @param stream a live stream
     * @return the address of {@code buffer}, or 0 if end of file or an error came before any
     *         byte was read
     */
    public static long fgets(MemorySegment errno, MemorySegment buffer, int size, MemorySegment stream) {
        try {
            return (long) FGETS.invokeExact(errno, buffer, size, stream);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code getline(line, capacity, stream)}: reads a whole line into {@code *line}, which C
     * allocates or grows with {@code malloc}/{@code realloc} and describes in
     * {@code *capacity}.
     *
     * @param errno this thread's capture segment
     * @param line a native {@code char *} cell holding NULL or a {@code malloc}ed buffer
     * @param capacity a native {@code size_t} cell holding the size of that buffer
     * @param stream a live stream
     * @return the number of bytes read, newline included, or -1 at end of file or on error
     */
    public static long getline(MemorySegment errno, MemorySegment line, MemorySegment capacity, MemorySegment stream) {
        try {
            return (long) GETLINE.invokeExact(errno, line, capacity, stream);
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
