/**
 * C files for Java without a global lock: {@link org.cypclass.libc.CFile} (stdio streams, with
 * text lines read into a segment, a growable {@link org.cypclass.libc.LineBuffer} or a
 * {@code String}), {@link org.cypclass.libc.NativeFile} (descriptors with positional reads
 * and writes) and
 * {@link org.cypclass.libc.Format} (type-checked {@code printf}, {@code fprintf} and
 * {@code snprintf}; {@link org.cypclass.libc.PreparedFormat} for allocation-free
 * {@code fprintf}), and {@link org.cypclass.libc.NativeLibrary} for calling the functions of
 * your own shared library with the same {@code errno} handling.
 *
 * <h2>nogil</h2>
 * Reads, writes and {@link org.cypclass.libc.PreparedFormat prepared formats} allocate
 * nothing on the Java heap (a {@code Format} called with boxed arguments, and
 * {@code NativeFunction.invoke}, do), hold no Java monitor and run C in native
 * thread state (plain downcalls, never {@code Linker.Option.critical}), so the garbage
 * collector and other threads carry on while C works. Buffers are native
 * {@link java.lang.foreign.MemorySegment}s; passing a heap segment is refused.
 *
 * <h2>Errors</h2>
 * Every failing C call throws an {@link java.io.IOException} chosen by its {@code errno}, with
 * the path, {@code strerror}'s text, the symbolic errno name and the C function:
 * {@link java.nio.file.NoSuchFileException} (ENOENT),
 * {@link java.nio.file.AccessDeniedException} (EACCES, EPERM),
 * {@link java.nio.file.FileAlreadyExistsException} (EEXIST), and
 * {@link java.nio.file.FileSystemException} otherwise. Misuse throws unchecked exceptions that
 * name the file and the rule broken: {@link java.lang.IllegalStateException} after close,
 * {@link java.lang.IllegalArgumentException} for bad modes, negative lengths and heap
 * segments, {@link java.lang.IndexOutOfBoundsException} for ranges outside the segment.
 *
 * <h2>Platform</h2>
 * Linux on x86-64 (amd64) with glibc only: the jextract bindings under this package fix the
 * layout of {@code struct stat} and the values of the {@code O_*}, {@code SEEK_*} and
 * {@code errno} constants for that platform. Elsewhere (another OS or architecture, or musl),
 * {@link org.cypclass.libc.CFile#open CFile.open}, {@link org.cypclass.libc.NativeFile#open
 * NativeFile.open}, {@link org.cypclass.libc.Format#of Format.of} (and so
 * {@code Format.prepare}), the {@link org.cypclass.libc.LineBuffer} constructor,
 * {@code Format.flushStdout()}, {@code NativeLibrary.open} and {@code NativeLibrary.load}
 * throw {@link java.lang.UnsupportedOperationException} saying so, before any C call.
 */
package org.cypclass.libc;
