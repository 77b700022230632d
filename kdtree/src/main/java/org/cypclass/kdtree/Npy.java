package org.cypclass.kdtree;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cypclass.libc.CFile;
import org.cypclass.objects.ElementsView;

/**
 * NumPy {@code .npy} files (format versions 1.0 to 3.0) through the library's own libc file
 * API: two-dimensional C-order arrays of little-endian float64 read straight into
 * {@link KdPoints}, and int64 or float64 results written back.
 *
 * <p>The format: the magic {@code \x93NUMPY}, a major and minor version byte, the header's
 * length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), the header (a
 * Python dict literal with {@code descr}, {@code fortran_order} and {@code shape}, padded with
 * spaces and a newline), then the data.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");
    /** NumPy writes headers of a few hundred bytes; anything above this is not a header. */
    private static final int MAX_HEADER = 1 << 20;
    /** How much of a bad header a message quotes. */
    private static final int QUOTED = 200;

    private Npy() {
    }

    /**
     * Reads a two-dimensional float64 array into new points.
     *
     * @param file an {@code .npy} file holding a {@code (rows, dims)} C-order {@code <f8} array
     * @return the only reference to the points, to close (or give to {@link KdTree#build})
     * @throws IOException if the file cannot be read, is not an {@code .npy} file, holds another
     *         type, order or number of dimensions, or is truncated; the message names the file
     *         and what is wrong
     */
    public static KdPoints readPoints(Path file) throws IOException {
        CFile in = CFile.open(file, "rb");
        KdPoints points;
        try {
            points = readPoints(in, file);
        } catch (Throwable e) {
            try {
                in.close();
            } catch (Throwable closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        // Closed apart from the read, not by try-with-resources: a file that fails to close after a
        // whole read must not leak the points it was read into.
        try {
            in.close();
        } catch (Throwable e) {
            points.close();
            throw e;
        }
        return points;
    }

    private static KdPoints readPoints(CFile in, Path file) throws IOException {
        long[] shape;
        try (Arena arena = Arena.ofConfined()) {
            shape = readHeader(in, arena, file);
        }
        // The header is the file's word only: a few hostile bytes can announce terabytes.
        // Nothing is allocated until the data it announces is known to be there.
        long dataBytes = shape[0] * shape[1] * Double.BYTES;
        long remaining = remainingBytes(in);
        if (remaining >= 0 && dataBytes > remaining) {
            throw new IOException(file + " is truncated: its header announces " + shape[0] + " x " + shape[1]
                + " float64 (" + dataBytes + " bytes of data), but only " + remaining + " bytes follow");
        }
        KdPoints points = KdPoints.of(shape[0], (int) shape[1]);
        try (ElementsView view = points.coordsView()) {
            MemorySegment coords = view.segment();
            long read = coords.byteSize() == 0 ? 0 : in.read(coords);
            if (read != coords.byteSize()) {
                throw new IOException(file + " is truncated: its header announces " + shape[0] + " x " + shape[1]
                    + " float64 (" + coords.byteSize() + " bytes of data), but only " + read + " bytes follow");
            }
        } catch (IOException | RuntimeException | Error e) {
            points.close();
            throw e;
        }
        return points;
    }

    /**
     * The bytes from the current position to the end of the file, or -1 when the file cannot
     * seek (a pipe), which then has its announced size checked only as it is read.
     */
    private static long remainingBytes(CFile in) {
        try {
            long here = in.tell();
            in.seek(0, CFile.Whence.END);
            long end = in.tell();
            in.seek(here);
            return end - here;
        } catch (IOException notSeekable) {
            return -1;
        }
    }

    /** Reads and checks the header; returns {rows, dims}; the stream is then at the data. */
    private static long[] readHeader(CFile in, Arena arena, Path file) throws IOException {
        MemorySegment prefix = arena.allocate(10);
        if (in.read(prefix) != 10) {
            throw new IOException(file + " is not a NumPy .npy file: it is shorter than the 10-byte prefix");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) {
                throw new IOException(file + " is not a NumPy .npy file: it does not start with \\x93NUMPY");
            }
        }
        int major = Byte.toUnsignedInt(prefix.get(ValueLayout.JAVA_BYTE, 6));
        long headerLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(prefix.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(
                java.nio.ByteOrder.LITTLE_ENDIAN), 8));
        } else if (major == 2 || major == 3) {
            MemorySegment rest = arena.allocate(2);
            if (in.read(rest) != 2) {
                throw new IOException(file + " is truncated in its header length");
            }
            headerLength = Integer.toUnsignedLong(prefix.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(
                java.nio.ByteOrder.LITTLE_ENDIAN), 8) & 0xFFFF | rest.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(
                java.nio.ByteOrder.LITTLE_ENDIAN), 0) << 16);
        } else {
            throw new IOException(file + " has .npy format version " + major + ", not 1, 2 or 3");
        }
        if (headerLength > MAX_HEADER) {
            throw new IOException(file + " announces a header of " + headerLength + " bytes, which no .npy file has");
        }
        long remaining = remainingBytes(in);
        if (remaining >= 0 && headerLength > remaining) {
            throw new IOException(file + " is truncated in its header: it announces " + headerLength
                + " bytes of header, but only " + remaining + " bytes follow");
        }
        MemorySegment headerBytes = arena.allocate(Math.max(1, headerLength));
        if (in.read(headerBytes, 0, headerLength) != headerLength) {
            throw new IOException(file + " is truncated in its header");
        }
        String header = new String(headerBytes.asSlice(0, headerLength).toArray(ValueLayout.JAVA_BYTE),
            StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException(file + " has a malformed .npy header: " + quote(header.strip()));
        }
        if (!descr.group(1).equals("<f8")) {
            throw new IOException(file + " holds " + quote(descr.group(1)) + ", not little-endian float64 ('<f8'): convert it with"
                + " array.astype('<f8')");
        }
        if (fortran.group(1).equals("True")) {
            throw new IOException(file + " is in Fortran order; save it in C order (numpy.ascontiguousarray)");
        }
        String shapeText = quote(shape.group(1));
        String[] dims = shape.group(1).split(",", -1);
        if (dims.length < 2 || dims[1].isBlank() || dims.length > 3 || dims.length == 3 && !dims[2].isBlank()) {
            throw new IOException(file + " holds an array of shape (" + shapeText + "), not (rows, dims)");
        }
        // Digits only: Long.parseLong would take a sign, and a negative count must not reach
        // the size arithmetic.
        if (!DIGITS.matcher(dims[0].strip()).matches() || !DIGITS.matcher(dims[1].strip()).matches()) {
            throw new IOException(file + " has a malformed shape (" + shapeText + "): each size must be a whole number");
        }
        try {
            long rows = Long.parseLong(dims[0].strip());
            long columns = Long.parseLong(dims[1].strip());
            if (columns < 1 || columns > Integer.MAX_VALUE || rows > Long.MAX_VALUE / 8 / columns) {
                throw new IOException(file + " has an unusable shape (" + shapeText + "): rows x dims x 8 bytes must"
                    + " fit in a long, with dims from 1 to " + Integer.MAX_VALUE);
            }
            return new long[] {rows, columns};
        } catch (NumberFormatException e) {
            throw new IOException(file + " has a malformed shape (" + shapeText + "): a size does not fit in a long", e);
        }
    }

    /**
     * Header text fit for a message: at most {@value #QUOTED} characters, anything outside
     * printable ASCII as {@code \xNN}, so a hostile header can neither flood a log nor write
     * control characters to a terminal.
     */
    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder(Math.min(text.length(), QUOTED) + 8);
        for (int i = 0; i < text.length() && i < QUOTED; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                quoted.append(c);
            } else {
                quoted.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            }
        }
        if (text.length() > QUOTED) {
            quoted.append("... (").append(text.length()).append(" characters)");
        }
        return quoted.toString();
    }

    /**
     * Writes a {@code (rows, columns)} int64 array.
     *
     * @param file the file to create or replace
     * @param values {@code rows * columns} values, row after row
     * @param columns values per row
     * @throws IllegalArgumentException if {@code columns} is below 1 or does not divide the
     *         number of values
     * @throws IOException if the file cannot be written
     */
    public static void writeLongs(Path file, long[] values, int columns) throws IOException {
        write(file, "<i8", rows(values.length, columns), columns, MemorySegment.ofArray(values));
    }

    /**
     * Writes a {@code (rows, columns)} float64 array.
     *
     * @param file the file to create or replace
     * @param values {@code rows * columns} values, row after row
     * @param columns values per row
     * @throws IllegalArgumentException if {@code columns} is below 1 or does not divide the
     *         number of values
     * @throws IOException if the file cannot be written
     */
    public static void writeDoubles(Path file, double[] values, int columns) throws IOException {
        write(file, "<f8", rows(values.length, columns), columns, MemorySegment.ofArray(values));
    }

    /** The rows that {@code values} values make; refuses what would write a shape the data does not fill. */
    private static long rows(int values, int columns) {
        if (columns < 1 || values % columns != 0) {
            throw new IllegalArgumentException(values + " values do not make whole rows of " + columns + " columns");
        }
        return values / columns;
    }

    private static void write(Path file, String descr, long rows, int columns, MemorySegment data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + columns + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;     // the data starts 64-byte aligned, as NumPy writes it
        String header = dict + " ".repeat(padded - unpadded) + "\n";
        try (CFile out = CFile.open(file, "wb"); Arena arena = Arena.ofConfined()) {
            MemorySegment head = arena.allocate(10 + header.length());
            MemorySegment.copy(MAGIC, 0, head, ValueLayout.JAVA_BYTE, 0, MAGIC.length);
            head.set(ValueLayout.JAVA_BYTE, 6, (byte) 1);
            head.set(ValueLayout.JAVA_BYTE, 7, (byte) 0);
            head.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 8, (short) header.length());
            byte[] text = header.getBytes(StandardCharsets.ISO_8859_1);
            MemorySegment.copy(text, 0, head, ValueLayout.JAVA_BYTE, 10, text.length);
            out.write(head);
            MemorySegment nativeData = arena.allocate(Math.max(1, data.byteSize()), 8);
            MemorySegment.copy(data, 0, nativeData, 0, data.byteSize());
            if (data.byteSize() > 0) {
                out.write(nativeData, 0, data.byteSize());
            }
        }
    }
}
