package org.cypclass.objects;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.internal.StrLayout;
import org.cypclass.objects.internal.TypeDefinition;
import org.cypclass.objects.internal.Words;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * An immutable string off the Java heap: Cython+'s {@code Str}. A cypclass instance (header,
 * counted references) whose UTF-8 bytes follow its byte length and a 64-bit hash, both computed
 * once at creation ({@link org.cypclass.objects.internal.StrLayout StrLayout} draws it; C:
 * {@code org_cypclass_objects_CyStr} in {@code cypclass/str.h}).
 *
 * <pre>{@code
 * try (CyStr name = CyStr.of("Zoë"); CyStr prefix = CyStr.of("Zo")) {
 *     name.length();              // 4: bytes, not chars
 *     name.startsWith(prefix);    // true
 *     name.toString();            // "Zoë"
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Frozen from birth.</b> Every instance is made frozen (the capability
 *       {@code Isolated.consume(...).freeze()} gives a graph): any thread reads it without a
 *       lock, counts are atomic, and it crosses threads and actors with no {@code consume}: hand
 *       the reference itself, or {@link #newReference()} for a thread that outlives the
 *       giver's {@code close()}. It may be stored in a field ({@code CyStr name();}) or a
 *       container of any capability. {@code Frozen.from(str)} wraps it for APIs that want the
 *       holder.</li>
 *   <li><b>References</b> follow {@link CyObject}'s rules: {@code of} returns an owned
 *       reference to close; fields and containers hand out borrowed ones.</li>
 *   <li><b>Bytes.</b> Always well-formed UTF-8: {@link #of(MemorySegment)} checks its input
 *       (shortest forms, no surrogates, nothing above U+10FFFF) and refuses anything else with
 *       {@link IllegalArgumentException}; {@link #of(String)} refuses an unpaired surrogate.
 *       {@link #length()}, offsets and slices count bytes. A string holds at most
 *       {@code Integer.MAX_VALUE - 8} bytes, what {@link #toString()} can decode.</li>
 *   <li><b>Equality by content</b>: {@link #equals} and {@link #hashCode} compare the bytes
 *       (unlike every other cypclass, compared by identity). {@link #compareTo} orders the
 *       bytes as unsigned values, which for UTF-8 is code point order (equal to
 *       {@link String#compareTo} for text without supplementary characters). A dict keyed by
 *       identity ({@code RefLongDict<CyStr>}) still compares addresses, and its {@code Map}
 *       view then disagrees with these methods: key by content with the {@code Str*}
 *       containers of {@code org.cypclass.objects.containers}.</li>
 * </ul>
 *
 * <p>Thread-safety: the instance is immutable and safe to read from any thread. A reference
 * object is usable by any thread too; its {@link #close()} must come after every other
 * thread's last use of it (give each thread its own {@link #newReference()}).
 */
@Cypclass
public final class CyStr extends CyObject implements Comparable<CyStr> {

    /** The C layout: the header, {@code length}, {@code hash}, then {@code data[]}. */
    private static final StructLayout LAYOUT = MemoryLayout.structLayout(
        CyObjectHeader.LAYOUT.withName("ob_base"),
        ValueLayout.JAVA_LONG.withName("length"),
        ValueLayout.JAVA_LONG.withName("hash"),
        MemoryLayout.sequenceLayout(0, ValueLayout.JAVA_BYTE).withName("data"))
        .withName("org_cypclass_objects_CyStr");

    /** The type of every {@code CyStr} instance: layout, allocator registration, (empty) destructor. */
    public static final CyType<CyStr> TYPE = TypeRegistry.define(new TypeDefinition<>(CyStr.class, CyStr::new, LAYOUT,
        null, List.of(), null, null, CyStr::dumpFields, instance -> { }, null));

    private static final VarHandle WORD = ValueLayout.JAVA_LONG_UNALIGNED.varHandle();

    static {
        if (LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("length")) != StrLayout.LENGTH
                || LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("hash")) != StrLayout.HASH
                || LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("data")) != StrLayout.DATA) {
            throw new ExceptionInInitializerError("StrLayout disagrees with " + LAYOUT);
        }
    }

    /** {@link #hashCode()} once computed (the reference may be closed later); 0: not yet. */
    private int javaHash;

    private CyStr() {
    }

    /**
     * Makes a string of the UTF-16 text {@code text}, encoded as UTF-8.
     *
     * @param text the text
     * @return the only owned reference to the new string, to close when done
     * @throws IllegalArgumentException if {@code text} holds an unpaired surrogate (no UTF-8
     *         for it) or needs more than {@code Integer.MAX_VALUE - 8} bytes
     */
    public static CyStr of(String text) {
        Objects.requireNonNull(text, "text");
        ByteBuffer encoded;
        try {
            encoded = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("cannot make a CyStr of a String with an unpaired surrogate: " + e.getMessage(), e);
        }
        MemorySegment bytes = MemorySegment.ofBuffer(encoded);
        return wrap(make(bytes, 0, bytes.byteSize(), false));
    }

    /**
     * Makes a string of a copy of {@code utf8}'s bytes, which must be well-formed UTF-8: the
     * way from C memory ({@code LineBuffer.segment()}, a {@code CFile.readLine} destination) to a
     * string with no {@code java.lang.String} between.
     *
     * @param utf8 the bytes, all of them
     * @return the only owned reference to the new string, to close when done
     * @throws IllegalArgumentException if the bytes are not well-formed UTF-8 (the message
     *         gives the offset), or more than {@code Integer.MAX_VALUE - 8}; nothing was allocated
     * @throws IllegalStateException if {@code utf8}'s scope is closed
     * @throws WrongThreadException if {@code utf8} is confined to another thread
     */
    public static CyStr of(MemorySegment utf8) {
        return of(utf8, 0, utf8.byteSize());
    }

    /**
     * Makes a string of a copy of {@code length} bytes of {@code utf8} from {@code offset},
     * which must be well-formed UTF-8 (a word of a line, without slicing the segment first).
     *
     * @param utf8 the segment
     * @param offset where the bytes start
     * @param length how many bytes
     * @return the only owned reference to the new string, to close when done
     * @throws IndexOutOfBoundsException if the range is outside {@code utf8}
     * @throws IllegalArgumentException as {@link #of(MemorySegment)}
     */
    public static CyStr of(MemorySegment utf8, long offset, long length) {
        return wrap(allocate(utf8, offset, length));
    }

    /** Makes an instance from checked UTF-8, with one count and no reference; for the containers too. */
    static long allocate(MemorySegment utf8, long offset, long length) {
        Objects.checkFromIndexSize(offset, length, utf8.byteSize());
        return make(utf8, offset, length, true);
    }

    private static long make(MemorySegment bytes, long offset, long length, boolean check) {
        if (length > StrLayout.MAX_LENGTH) {
            throw new IllegalArgumentException("cannot make a CyStr of " + length + " bytes: at most " + StrLayout.MAX_LENGTH);
        }
        if (check) {
            long bad = StrLayout.firstInvalid(bytes, offset, length);
            if (bad >= 0) {
                throw new IllegalArgumentException("cannot make a CyStr of bytes that are not UTF-8: a bad sequence starts at"
                    + " byte " + bad + " of " + length + " (0x" + Integer.toHexString(bytes.get(ValueLayout.JAVA_BYTE,
                    offset + bad) & 0xFF) + ")");
            }
        }
        long instance = RefCount.allocate(TYPE.typeId(), (StrLayout.DATA + length + 7) & -8L);
        MemorySegment.copy(bytes, offset, ALL, instance + StrLayout.DATA, length);
        WORD.set(ALL, instance + StrLayout.LENGTH, length);
        WORD.set(ALL, instance + StrLayout.HASH, StrLayout.hash(ALL, instance + StrLayout.DATA, length));
        RefCount.freezeNew(instance);
        return instance;
    }

    private static CyStr wrap(long instance) {
        CyStr reference = new CyStr();
        reference.bind(instance, DETERMINISTIC, Words.FROZEN);
        return reference;
    }

    /**
     * {@return the length in bytes (UTF-8), not in chars}
     *
     * @throws IllegalStateException if this reference is closed, or borrowed and its target died
     */
    public long length() {
        return (long) WORD.get(ALL, Access.use(this) + StrLayout.LENGTH);
    }

    /**
     * {@return whether the string has no bytes}
     *
     * @throws IllegalStateException if this reference is closed, or borrowed and its target died
     */
    public boolean isEmpty() {
        return length() == 0;
    }

    /**
     * {@return the byte at {@code index}, as an unsigned value from 0 to 255}
     *
     * @param index a byte offset
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, length())}
     * @throws IllegalStateException if this reference is closed, or borrowed and its target died
     */
    public int byteAt(long index) {
        long at = Access.use(this);
        Objects.checkIndex(index, (long) WORD.get(ALL, at + StrLayout.LENGTH));
        return ALL.get(ValueLayout.JAVA_BYTE, at + StrLayout.DATA + index) & 0xFF;
    }

    /**
     * Decodes the bytes.
     *
     * @return the text, or the closed reference's description (as every cypclass prints one) if
     *         this reference is closed or its target died
     */
    String text() {
        if (!isOpen()) {
            return null;
        }
        long at = Access.use(this);
        int length = (int) (long) WORD.get(ALL, at + StrLayout.LENGTH);
        byte[] bytes = new byte[length];
        MemorySegment.copy(ALL, ValueLayout.JAVA_BYTE, at + StrLayout.DATA, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Opens a read-only view of the bytes, for code that works on segments (a native call, a
     * {@code MemorySegment.copy}, a vectorised scan). The view holds a count of the string, so
     * its segment stays valid until the view is closed, whatever happens to this reference.
     *
     * @return a view whose segment spans exactly the {@link #length()} bytes, to close when done
     * @throws IllegalStateException if this reference is closed, or borrowed and its target died
     */
    public ElementsView bytes() {
        long at = Access.use(this);
        return ElementsView.open(CyStr.class, "data", at, at + StrLayout.DATA, (long) WORD.get(ALL, at + StrLayout.LENGTH),
            true);
    }

    /**
     * Tells whether this string starts with {@code prefix}'s bytes.
     *
     * @param prefix an open reference
     * @return whether the first {@code prefix.length()} bytes are {@code prefix}'s
     * @throws IllegalStateException if a reference is closed, or borrowed and its target died
     */
    public boolean startsWith(CyStr prefix) {
        long at = Access.use(this);
        long other = Access.use(Objects.requireNonNull(prefix, "prefix"));
        long n = (long) WORD.get(ALL, other + StrLayout.LENGTH);
        return n <= (long) WORD.get(ALL, at + StrLayout.LENGTH) && (n == 0
            || MemorySegment.mismatch(ALL, at + StrLayout.DATA, at + StrLayout.DATA + n, ALL, other + StrLayout.DATA,
                other + StrLayout.DATA + n) < 0);
    }

    /**
     * Finds {@code needle}'s bytes in this string.
     *
     * @param needle an open reference
     * @return the byte offset of the first occurrence, or -1 (an empty needle is found at 0)
     * @throws IllegalStateException if a reference is closed, or borrowed and its target died
     */
    public long indexOf(CyStr needle) {
        return indexOf(needle, 0);
    }

    /**
     * Finds {@code needle}'s bytes in this string, from a byte offset on.
     *
     * @param needle an open reference
     * @param from the byte offset where the search starts; clamped to {@code [0, length()]}
     * @return the byte offset of the first occurrence at or after {@code from}, or -1 (an
     *         empty needle is found at the clamped {@code from})
     * @throws IllegalStateException if a reference is closed, or borrowed and its target died
     */
    public long indexOf(CyStr needle, long from) {
        long at = Access.use(this);
        long other = Access.use(Objects.requireNonNull(needle, "needle"));
        long length = (long) WORD.get(ALL, at + StrLayout.LENGTH);
        long n = (long) WORD.get(ALL, other + StrLayout.LENGTH);
        long start = Math.min(Math.max(from, 0), length);
        if (n == 0) {
            return start;
        }
        long data = at + StrLayout.DATA;
        byte first = ALL.get(ValueLayout.JAVA_BYTE, other + StrLayout.DATA);
        for (long i = start; i <= length - n; i++) {
            if (ALL.get(ValueLayout.JAVA_BYTE, data + i) == first && (n == 1 || MemorySegment.mismatch(ALL, data + i + 1,
                    data + i + n, ALL, other + StrLayout.DATA + 1, other + StrLayout.DATA + n) < 0)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Makes a new string of the bytes {@code [from, to)}.
     *
     * @param from the first byte offset, inclusive
     * @param to the last byte offset, exclusive
     * @return the only owned reference to the new string, to close when done
     * @throws IndexOutOfBoundsException if not {@code 0 <= from <= to <= length()}
     * @throws IllegalArgumentException if {@code from} or {@code to} falls inside a character
     *         (on a UTF-8 continuation byte): a slice is text too
     * @throws IllegalStateException if this reference is closed, or borrowed and its target died
     */
    public CyStr slice(long from, long to) {
        long at = Access.use(this);
        long length = (long) WORD.get(ALL, at + StrLayout.LENGTH);
        Objects.checkFromToIndex(from, to, length);
        if (insideCharacter(at, from, length) || insideCharacter(at, to, length)) {
            throw new IllegalArgumentException("cannot slice " + this + " at [" + from + ", " + to
                + "): an offset falls inside a character's UTF-8 bytes");
        }
        return wrap(make(ALL, at + StrLayout.DATA + from, to - from, false));
    }

    private static boolean insideCharacter(long at, long offset, long length) {
        return offset < length && (ALL.get(ValueLayout.JAVA_BYTE, at + StrLayout.DATA + offset) & 0xC0) == 0x80;
    }

    /**
     * Compares the bytes as unsigned values, then the lengths: code point order for UTF-8.
     *
     * @param other an open reference
     * @return negative, zero or positive as this string sorts before, with or after {@code other}
     * @throws IllegalStateException if a reference is closed, or borrowed and its target died
     */
    @Override
    public int compareTo(CyStr other) {
        long a = Access.use(this);
        long b = Access.use(Objects.requireNonNull(other, "other"));
        long n = (long) WORD.get(ALL, a + StrLayout.LENGTH);
        long m = (long) WORD.get(ALL, b + StrLayout.LENGTH);
        long common = Math.min(n, m);
        long at = common == 0 ? -1 : MemorySegment.mismatch(ALL, a + StrLayout.DATA, a + StrLayout.DATA + common,
            ALL, b + StrLayout.DATA, b + StrLayout.DATA + common);
        if (at >= 0) {
            return Integer.compare(ALL.get(ValueLayout.JAVA_BYTE, a + StrLayout.DATA + at) & 0xFF,
                ALL.get(ValueLayout.JAVA_BYTE, b + StrLayout.DATA + at) & 0xFF);
        }
        return Long.compare(n, m);
    }

    /** {@return whether the two open instances hold the same bytes: hash, length, then bytes} */
    static boolean sameBytes(long a, long b) {
        if (a == b) {
            return true;
        }
        long n = (long) WORD.get(ALL, a + StrLayout.LENGTH);
        return (long) WORD.get(ALL, a + StrLayout.HASH) == (long) WORD.get(ALL, b + StrLayout.HASH)
            && n == (long) WORD.get(ALL, b + StrLayout.LENGTH) && StrLayout.sameData(a, b, n);
    }

    /** {@link CyObject#equals} for a string: by content while both are open, else by identity. */
    boolean contentEquals(Object other) {
        if (!(other instanceof CyStr str)) {
            return false;
        }
        if (str.identity == identity && identity != 0) {
            return true;
        }
        return isOpen() && str.isOpen() && sameBytes(Access.use(this), Access.use(str));
    }

    /** {@link CyObject#hashCode} for a string: of its 64-bit hash, remembered for after close. */
    int contentHash() {
        int known = javaHash;
        if (known == 0) {
            if (!isOpen()) {
                throw new IllegalStateException("cannot hash " + this + ": its bytes are gone and it was never hashed"
                    + " while open; put a CyStr in a HashMap or HashSet while it is open (its hash code is kept"
                    + " from then on), or key by content with StrLongDict, StrRefDict or StrSet");
            }
            long hash = (long) WORD.get(ALL, Access.use(this) + StrLayout.HASH);
            known = (int) (hash ^ hash >>> 32) | 1;
            javaHash = known;
        }
        return known;
    }

    /** {@return the 64-bit hash computed at creation: what the string-keyed containers store} */
    long hash() {
        return (long) WORD.get(ALL, Access.use(this) + StrLayout.HASH);
    }

    @Override
    @NotOwning
    public CyStr gcReference() {
        return (CyStr) super.gcReference();
    }

    @Override
    public CyStr newReference() {
        return (CyStr) super.newReference();
    }

    private static void dumpFields(CyStr str, StringBuilder out) {
        long at = Access.use(str);
        long length = (long) WORD.get(ALL, at + StrLayout.LENGTH);
        out.append("length=").append(length).append(", hash=0x").append(Long.toHexString((long) WORD.get(ALL,
            at + StrLayout.HASH))).append(", data=\"");
        String text = str.text();
        out.append(text.length() > 64 ? text.substring(0, 64) + "..." : text).append("\", ");
    }
}
