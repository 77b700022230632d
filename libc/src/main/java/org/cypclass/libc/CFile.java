package org.cypclass.libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ConcurrentModificationException;
import java.util.Objects;
import org.cypclass.bindings.libc.libc_h;
import org.cypclass.libc.internal.CallState;
import org.cypclass.libc.internal.Errno;
import org.cypclass.libc.internal.GetlineBuffer;
import org.cypclass.libc.internal.HandleCloser;
import org.cypclass.libc.internal.OpenMode;
import org.cypclass.libc.internal.Platform;
import org.cypclass.libc.internal.Posix;
import org.cypclass.libc.internal.SegmentChecks;
import org.cypclass.libc.internal.Stdio;
import org.cypclass.libc.internal.Text;
import org.cypclass.libc.internal.UseGate;

/**
 * A C stdio stream ({@code FILE*}) opened with {@code fopen}: buffered sequential reads and
 * writes into and from native {@link MemorySegment}s, as Cython+ code does with
 * {@code from libc.stdio cimport fopen, fread}, and text lines.
 *
 * <h2>Lines</h2>
 * <ul>
 *   <li>{@link #readLine(MemorySegment)}: {@code fgets} into a segment of the caller; returns
 *       the line's length with its newline, or -1 at end of file. A line longer than the
 *       segment comes in pieces.</li>
 *   <li>{@link #readLine(LineBuffer)}: {@code getline} into a {@link LineBuffer}, which C
 *       grows so that every line comes whole, whatever its length.</li>
 *   <li>{@link #readLine()}: the next line as a {@code String} without its newline, like
 *       {@link java.io.BufferedReader#readLine()}.</li>
 *   <li>{@link #writeLine(CharSequence)}, {@link #writeString(CharSequence)}: text as UTF-8
 *       with or without a newline; {@link #writeString(MemorySegment)}: a NUL-terminated
 *       native string, as {@code fputs} writes it.</li>
 * </ul>
 * {@snippet :
 * try (CFile in = CFile.open(Path.of("notes.txt"), "r");
 *      CFile out = CFile.open(Path.of("upper.txt"), "w")) {
 *     for (String line; (line = in.readLine()) != null; ) {
 *         out.writeLine(line.toUpperCase(Locale.ROOT));
 *     }
 * }
 * }
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
 * {@link #read}, {@link #write}, the line methods other than {@link #readLine()} (which
 * returns a new {@code String}) and the other per-call methods allocate nothing on the Java
 * heap (a range of a buffer is handed to C as a slice that each thread reuses while the range
 * repeats; text is encoded into a native buffer of the calling thread; tests and benchmarks
 * check 0 bytes per call), hold no Java monitor and call C as plain downcalls
 * (never {@code Linker.Option.critical}), which run in native thread state:
 * the GC and other threads proceed while C reads or writes. {@code errno} is captured into a
 * per-thread segment allocated on the thread's first call.
 *
 * <p>Thread-safety: safe to use from any thread. glibc locks the stream during each call,
 * so calls from different threads never tear each other's bytes (each line read by
 * {@code getline}, or by {@code fgets} into room enough for it, goes whole to one thread; each
 * {@link #writeLine} is one {@code fwrite}), but they share one file position; for parallel
 * reads of one file give each thread its own {@code CFile}, or use {@link NativeFile}'s
 * positional reads. {@link #close()} waits for calls running on other
 * threads to return before it frees the stream (see the close protocol of the internal
 * {@code UseGate}); calls that start after it throw {@link IllegalStateException}.
 */
public final class CFile implements AutoCloseable {

    /**
     * Where {@link #seek(long, Whence)} counts from.
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
        checkReadable("read");
        enter("read");
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
     * Reads one line into {@code dst} at {@code offset} with {@code fgets}: the bytes up to and
     * including the next newline, or up to the end of the file, or {@code length - 1} bytes if
     * the line is longer (the next call then returns the rest of it). A NUL is stored after
     * the bytes, as C does.
     *
     * <p>The length is exact for any line that ends with a newline or fills the room, NUL
     * bytes included. A line without a newline (the last of a file) is taken to end at its
     * first NUL, since {@code fgets} tells nothing more; so is, rarely, a line containing NUL
     * read while another thread reaches the end of the same file. {@link #readLine(LineBuffer)}
     * has neither limit and no maximum length.
     *
     * @param dst a native, writable segment
     * @param offset where in {@code dst} the line goes
     * @param length the room for the line and its NUL, at least 2 (lengths above
     *        {@link Integer#MAX_VALUE} are capped to it, {@code fgets} taking an {@code int})
     * @return the number of bytes read (the NUL not counted), or -1 at end of file; the line
     *         is complete if its last byte is {@code '\n'}
     * @throws IllegalStateException if this file is closed
     * @throws NullPointerException if {@code dst} is null
     * @throws IllegalArgumentException if {@code dst} is a heap or read-only segment, if
     *         {@code offset} is negative, or if {@code length} is below 2 (no room for one
     *         byte and the NUL)
     * @throws IndexOutOfBoundsException if {@code offset + length} exceeds {@code dst}'s size
     * @throws AccessDeniedException if this file was not opened for reading
     * @throws IOException if C reports an error, with the {@code errno} text
     */
    public long readLine(MemorySegment dst, long offset, long length) throws IOException {
        SegmentChecks.checkDestination(dst, offset, length, this, "readLine");
        if (length < 2) {
            throw tooSmallForLine(dst, offset, length);
        }
        checkReadable("readLine");
        enter("readLine");
        try {
            CallState call = CallState.current();
            MemorySegment errno = call.errno();
            int size = (int) Math.min(length, Integer.MAX_VALUE);
            if (Stdio.fgets(errno, call.pointer(dst, offset, length), size, stream) == 0) {
                return lineEnded(errno, "fgets");
            }
            return fgetsLength(dst, offset, size);
        } finally {
            gate.exit();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Reads one line into {@code dst}; see {@link #readLine(MemorySegment, long, long)}.
     *
     * @param dst a native, writable segment of at least 2 bytes
     * @return the number of bytes read, or -1 at end of file
     * @throws IOException if C reports an error
     */
    public long readLine(MemorySegment dst) throws IOException {
        return readLine(dst, 0, dst == null ? 0 : dst.byteSize());
    }

    /**
     * Finds how many bytes {@code fgets} stored at {@code dst[offset]}: it wrote them, then a
     * NUL, and left the rest of the room as it was. It stops after a newline, when
     * {@code size - 1} bytes are read, or at end of file (or an error).
     */
    private long fgetsLength(MemorySegment dst, long offset, int size) {
        long end = offset + size - 1;
        long at = Text.indexOfNewlineOrNul(dst, offset, end);
        if (at < 0) {
            return size - 1;                       // no newline, no NUL: the room is full
        }
        if (dst.get(ValueLayout.JAVA_BYTE, at) == '\n') {
            return at - offset + 1;                // no byte before it ends the line
        }
        // A NUL came first: fgets's own, if the line ended without a newline (end of file or
        // error), or one read from the file.
        if (Stdio.feof(stream) || Stdio.ferror(stream)) {
            return at - offset;
        }
        long newline = Text.indexOfNewline(dst, at + 1, end);
        return newline < 0 ? size - 1 : newline - offset + 1;
    }

    /**
     * Reads one whole line into {@code line} with {@code getline}, which grows the buffer as
     * needed; the line (newline included) is then at {@code [0, n)} of
     * {@link LineBuffer#segment()}.
     *
     * @param line a buffer of the calling thread
     * @return the length of the line in bytes (newline included; the last line of a file may
     *         have none), or -1 at end of file
     * @throws IllegalStateException if this file or {@code line} is closed
     * @throws NullPointerException if {@code line} is null
     * @throws WrongThreadException if {@code line} belongs to another thread
     * @throws AccessDeniedException if this file was not opened for reading
     * @throws IOException if C reports an error, such as ENOMEM for a line too long for memory
     */
    public long readLine(LineBuffer line) throws IOException {
        Objects.requireNonNull(line, "line");
        line.checkUsable("readLine");
        checkReadable("readLine");
        enter("readLine");
        try {
            MemorySegment errno = CallState.current().errno();
            long n = line.read(errno, stream);
            return n >= 0 ? n : lineEnded(errno, "getline");
        } finally {
            gate.exit();
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Reads one line as a {@code String}, like {@link java.io.BufferedReader#readLine()}:
     * the bytes up to the next newline decoded as UTF-8, without the newline (nor a
     * {@code '\r'} before it). The line is read whole with {@code getline}, whatever its length,
     * into a native buffer kept by the calling thread; the {@code String} is the only Java
     * allocation.
     *
     * @return the line, or {@code null} at end of file
     * @throws IllegalStateException if this file is closed
     * @throws AccessDeniedException if this file was not opened for reading
     * @throws IOException if C reports an error
     */
    public String readLine() throws IOException {
        checkReadable("readLine");
        enter("readLine");
        CallState call = CallState.current();
        try {
            MemorySegment errno = call.errno();
            GetlineBuffer buffer = call.lineBuffer();
            long n = buffer.getline(errno, stream);
            if (n < 0) {
                lineEnded(errno, "getline");
                return null;
            }
            return buffer.decode(n, true, call);
        } finally {
            call.releaseLineBuffer();
            gate.exit();
            Reference.reachabilityFence(this);
        }
    }

    /** A line read that got nothing: -1 at end of file, else the error C reported. */
    private long lineEnded(MemorySegment errno, String function) throws IOException {
        if (Stdio.ferror(stream)) {
            throw streamError(errno, function);
        }
        return -1;
    }

    private IllegalArgumentException tooSmallForLine(MemorySegment dst, long offset, long length) {
        return new IllegalArgumentException("readLine on " + this + ": " + length + " bytes at offset " + offset
            + " of " + dst + " is no room for a line: fgets needs at least 2 bytes (one byte and the NUL)");
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
        checkWritable("write");
        enter("write");
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

    /**
     * Writes {@code text} encoded as UTF-8, without adding a newline. Text of up to 8 KiB of
     * UTF-8 is encoded into a native buffer of the calling thread, allocating nothing on the
     * Java heap; longer text goes through a temporary native copy. Either way the bytes go to C
     * in one {@code fwrite}, so texts written by several threads never interleave.
     *
     * @param text the characters; an unpaired surrogate is written as {@code '?'}, as
     *        {@link String#getBytes(java.nio.charset.Charset)} does
     * @throws IllegalStateException if this file is closed
     * @throws NullPointerException if {@code text} is null
     * @throws AccessDeniedException if this file was not opened for writing
     * @throws IOException if C reports an error; see {@link #write(MemorySegment, long, long)}
     */
    public void writeString(CharSequence text) throws IOException {
        writeText(text, false, "writeString");
    }

    /**
     * Writes {@code text} encoded as UTF-8 followed by a newline ({@code '\n'}), in one
     * {@code fwrite}: lines written by several threads never interleave. See
     * {@link #writeString(CharSequence)}.
     *
     * @param text the line, without its newline
     * @throws IllegalStateException if this file is closed
     * @throws NullPointerException if {@code text} is null
     * @throws AccessDeniedException if this file was not opened for writing
     * @throws IOException if C reports an error
     */
    public void writeLine(CharSequence text) throws IOException {
        writeText(text, true, "writeLine");
    }

    private void writeText(CharSequence text, boolean newline, String operation) throws IOException {
        if (text == null) {
            throw new NullPointerException(operation + " on " + this + ": the text is null");
        }
        checkWritable(operation);
        enter(operation);
        try {
            CallState call = CallState.current();
            MemorySegment errno = call.errno();
            MemorySegment scratch = call.scratch();
            long n = Text.encodeUtf8(text, newline, scratch);
            if (n < 0) {
                writeLongText(text, newline, errno);
            } else if (Stdio.fwrite(errno, scratch, n, stream) != n) {
                throw streamError(errno, "fwrite");
            }
        } finally {
            gate.exit();
            Reference.reachabilityFence(this);
        }
    }

    private void writeLongText(CharSequence text, boolean newline, MemorySegment errno) throws IOException {
        long bytes = Text.utf8Length(text, newline);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(bytes);
            long n = Text.encodeUtf8(text, newline, copy);
            if (n < 0) {
                throw new ConcurrentModificationException("writing to " + this + ": the text grew while it was"
                    + " being encoded; another thread is changing it");
            }
            if (Stdio.fwrite(errno, copy, n, stream) != n) {
                throw streamError(errno, "fwrite");
            }
        }
    }

    /**
     * Writes a NUL-terminated string as {@code fputs} does: the bytes of {@code text} before
     * its first NUL, without adding a newline. They are handed to {@code fwrite} with the length
     * found here, never to {@code fputs}: another thread could overwrite the NUL in between, and
     * {@code fputs} would then read past the segment.
     *
     * @param text a native segment holding a NUL within its bounds
     * @throws IllegalStateException if this file is closed
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException if {@code text} is a heap segment or has no NUL byte
     * @throws AccessDeniedException if this file was not opened for writing
     * @throws IOException if C reports an error
     */
    public void writeString(MemorySegment text) throws IOException {
        SegmentChecks.checkSource(text, 0, text == null ? 0 : text.byteSize(), this, "writeString");
        long length = Text.indexOfNul(text);
        if (length < 0) {
            throw new IllegalArgumentException("writeString on " + this + ": " + text + " holds no NUL byte,"
                + " so it is no C string (allocate one with Arena.allocateFrom(String))");
        }
        checkWritable("writeString");
        enter("writeString");
        try {
            MemorySegment errno = CallState.current().errno();
            if (Stdio.fwrite(errno, text, length, stream) != length) {
                throw streamError(errno, "fwrite");
            }
        } finally {
            gate.exit();
            Reference.reachabilityFence(this);
        }
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
     * {@return whether a read reached the end of the file: the end-of-file indicator is set
     * ({@code feof})}
     *
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
     * {@return the file descriptor under the stream ({@code fileno})} It is valid only until
     * this file is closed, and belongs to this file: do not close it.
     *
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
     * {@return the path this file was opened with, as given to {@link #open}}
     */
    public String path() {
        return path;
    }

    /**
     * {@return the mode this file was opened with, as given to {@link #open}}
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

    /**
     * Checks that this file may be read.
     *
     * @param operation named in the exception
     * @throws AccessDeniedException if the mode does not allow reading
     */
    private void checkReadable(String operation) throws AccessDeniedException {
        if (!mode.readable()) {
            throw notPermitted(operation);
        }
    }

    private IllegalStateException closed(String operation) {
        return new IllegalStateException(operation + " on closed CFile " + path
            + ": a CFile cannot be used after close(); open the file again with CFile.open");
    }

    private AccessDeniedException notPermitted(String operation) {
        return new AccessDeniedException(path, null, operation + " is not allowed: the CFile was opened with mode \""
            + mode.mode() + "\"");
    }
}
