package org.cypclass.objects.containers;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

import org.checkerframework.checker.mustcall.qual.MustCall;
import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.objects.CyStr;
import org.cypclass.objects.CyType;
import org.cypclass.objects.Cypclass;
import org.cypclass.objects.generated.CyTypes;
import org.cypclass.objects.internal.SharedSecrets;
import org.cypclass.objects.internal.StrLayout;
import org.cypclass.objects.internal.TypeDefinition;

import static org.cypclass.objects.containers.DictLayout.SET_ENTRY;

/**
 * A hash set of strings ({@link CyStr}), off the Java heap, compared by content: Cython+'s
 * {@code cypset[Str]}. A cypclass instance (header, counted references, thread-local
 * capability) laid out as the other sets ({@link DictLayout}, 8-byte entries; C:
 * {@code org_cypclass_objects_containers_StrSet} in {@code cypclass/containers.h}), whose
 * element words are {@code CyStr} instance addresses. Written by hand rather than from a
 * template: it is the only set with counted elements, and shares its engine
 * ({@link HashStorage}'s content keys) and its counted words ({@link EntryReferences#ELEMENTS})
 * with the string-keyed dicts.
 *
 * <p>Lookups compare the stored hash, then the length and the bytes, and take a
 * {@code CyStr}, a {@code String} (encoded first: one byte array) or a {@link MemorySegment} of
 * UTF-8 (nothing allocated). Each element holds one count of its string while in the set:
 * {@link #add(CyStr)} retains a new one; {@link #add(MemorySegment)} of new bytes makes a
 * string only the set holds; adding an element equal to a present one changes nothing.
 * Removing, clearing and destroying the set release the elements.
 *
 * <p>Iteration is in insertion order. {@link #cursor()} allocates nothing (its element is one
 * borrowed reference re-pointed at each step); for-each and {@link #asSet()} hand out borrowed
 * elements; all fail fast with {@link java.util.ConcurrentModificationException} on a change of
 * size made since the walk started.
 *
 * <p>Thread-safety: confined to the owning thread while the instance is thread-local, as
 * every cypclass instance ({@link org.cypclass.objects.CyObject}); any other thread gets
 * {@link WrongThreadException}. A reference object is not thread-safe.
 */
@Cypclass
public final class StrSet extends HashContainer implements Iterable<@MustCall({}) CyStr> {

    /** The type of every {@code StrSet} instance: layout, allocator registration, destructor, references. */
    public static final CyType<StrSet> TYPE = SharedSecrets.types().define(
        TypeDefinition.builtIn(StrSet.class, StrSet::new, DictLayout.of(StrSet.class),
            StrSet::dumpFields, EntryReferences.ELEMENTS::destroy, EntryReferences.ELEMENTS));
    /** The allocator type of the entry and index blocks, so that {@code MemoryStats} counts them apart. */
    private static final int STORAGE = BlockTypes.register(StrSet.class.getName() + " storage");

    private StrSet() {
        super(true);
    }

    /**
     * Creates an empty set; its first insertion allocates room for a few elements.
     *
     * @return the only reference to the new set, to close when done
     */
    public static StrSet create() {
        return CyTypes.initialize(TYPE, new StrSet());
    }

    /**
     * Creates an empty set with room for {@code initialCapacity} elements.
     *
     * @param initialCapacity how many elements fit before the first growth
     * @return the only reference to the new set, to close when done
     * @throws IllegalArgumentException if {@code initialCapacity} is negative or above 2^30;
     *         nothing was allocated
     */
    public static StrSet create(long initialCapacity) {
        HashStorage.checkCapacity(StrSet.class, initialCapacity);
        return reserve(create(), initialCapacity);
    }

    @Override
    int storage() {
        return STORAGE;
    }

    @Override
    long stride() {
        return SET_ENTRY;
    }

    private static long identity(CyStr element) {
        return OBJECTS.use(Objects.requireNonNull(element, "a StrSet has no null element"));
    }

    private long findBytes(MemorySegment utf8, long offset, long length) {
        Objects.checkFromIndexSize(offset, length, utf8.byteSize());
        long h = StrLayout.hash(utf8, offset, length);
        return HashStorage.findBytes(OBJECTS.read(this), h, utf8, offset, length, SET_ENTRY);
    }

    /**
     * Adds a string, retaining it, unless one with its bytes is present.
     *
     * @param element an open reference
     * @return whether it was added (false: an equal string was there)
     * @throws IllegalStateException if {@code element} is closed, or borrowed and its target died
     */
    public boolean add(CyStr element) {
        long self = OBJECTS.write(this);
        long size = HashStorage.size(self);
        long word = OBJECTS.retainForStore(this, CyStr.class, Objects.requireNonNull(element, "a StrSet has no null element"));
        try {
            HashStorage.insert(self, word, SET_ENTRY, STORAGE, true);
        } catch (RuntimeException | Error e) {
            OBJECTS.release(word);
            throw e;
        }
        if (HashStorage.size(self) == size) {
            OBJECTS.release(word);
            return false;
        }
        return true;
    }

    /**
     * Adds the string whose UTF-8 bytes are all of {@code utf8}, made only if no equal one is
     * present (then only the set holds it).
     *
     * @param utf8 the bytes
     * @return whether it was added
     * @throws IllegalArgumentException if it is new and not well-formed UTF-8 (nothing was added)
     */
    public boolean add(MemorySegment utf8) {
        if (findBytes(utf8, 0, utf8.byteSize()) != 0) {
            return false;
        }
        long self = OBJECTS.write(this);
        long word = OBJECTS.newStr(utf8, 0, utf8.byteSize());
        try {
            HashStorage.insert(self, word, SET_ENTRY, STORAGE, true);
        } catch (RuntimeException | Error e) {
            OBJECTS.release(word);
            throw e;
        }
        return true;
    }

    /**
     * Tells whether a string with {@code element}'s bytes is present.
     *
     * @param element an open reference
     * @return whether it is
     * @throws IllegalStateException if {@code element} is closed, or borrowed and its target died
     */
    public boolean contains(CyStr element) {
        return HashStorage.find(OBJECTS.read(this), identity(element), SET_ENTRY, true) != 0;
    }

    /**
     * Tells whether the string of {@code text} is present (encoded to UTF-8 first).
     *
     * @param text the text
     * @return whether it is
     */
    public boolean contains(String text) {
        byte[] bytes = Objects.requireNonNull(text, "a StrSet has no null element").getBytes(StandardCharsets.UTF_8);
        return findBytes(MemorySegment.ofArray(bytes), 0, bytes.length) != 0;
    }

    /**
     * Tells whether the string whose UTF-8 bytes are all of {@code utf8} is present; allocates nothing.
     *
     * @param utf8 the bytes
     * @return whether it is
     */
    public boolean contains(MemorySegment utf8) {
        return findBytes(utf8, 0, utf8.byteSize()) != 0;
    }

    /**
     * Removes the string with {@code element}'s bytes and releases the set's count of it; the
     * other elements keep their order.
     *
     * @param element an open reference (equal bytes suffice)
     * @return whether it was present
     * @throws IllegalStateException if {@code element} is closed, or borrowed and its target died
     */
    public boolean remove(CyStr element) {
        return removeWord(identity(element));
    }

    /**
     * Removes every element and releases them, in insertion order; the blocks are kept for the
     * next insertions.
     */
    public void clear() {
        EntryReferences.ELEMENTS.clear(this);
    }

    @Override
    void released(long entry) {
        EntryReferences.ELEMENTS.release(entry);
    }

    /**
     * Returns an iterator over the elements, borrowed, in insertion order, for for-each. One
     * small Java object per walk and one borrowed reference per element; {@link #cursor()} is
     * the walk that allocates nothing. Fails fast on a change of size made since the walk
     * started, except by its own {@code remove()}.
     *
     * @return an iterator before the first element
     * @throws IllegalStateException if this reference is closed
     */
    @Override
    public Iterator<@MustCall({}) CyStr> iterator() {
        return new HashWalk<@MustCall({}) CyStr>(this) {
            @Override
            CyStr element(long at) {
                return (CyStr) OBJECTS.borrow(StrSet.this, HashStorage.load(at));
            }
        };
    }

    /**
     * Returns a {@link Set} view: reads and writes go to this set through this reference (so it
     * must stay open); {@code contains} and {@code remove} accept {@code CyStr} (by content);
     * elements are borrowed; iteration is in insertion order and fails fast.
     *
     * @return a view of this set
     */
    public Set<CyStr> asSet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return (int) Math.min(StrSet.this.size(), Integer.MAX_VALUE);
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof CyStr str && StrSet.this.contains(str);
            }

            @Override
            public boolean add(CyStr e) {
                return StrSet.this.add(e);
            }

            @Override
            public boolean remove(Object o) {
                return o instanceof CyStr str && StrSet.this.remove(str);
            }

            @Override
            public void clear() {
                StrSet.this.clear();
            }

            @Override
            public Iterator<CyStr> iterator() {
                return new HashWalk<>(StrSet.this) {
                    @Override
                    CyStr element(long at) {
                        return (CyStr) OBJECTS.borrow(StrSet.this, HashStorage.load(at));
                    }
                };
            }
        };
    }

    /**
     * Starts a walk over the elements, in insertion order; the cursor allocates nothing per
     * element and is recycled by this reference's next {@code cursor()} once run out.
     *
     * @return a cursor before the first element
     * @throws IllegalStateException if this reference is closed
     */
    public Cursor cursor() {
        HashCursor spare = takeSpare();
        return (Cursor) (spare == null ? new Cursor(this) : spare).start();
    }

    private void dumpFields(StringBuilder out) {
        dumpEntries(out, "elements", "[", "]", at -> "\"" + OBJECTS.borrow(this, HashStorage.load(at)) + "\"");
    }

    @Override
    public StrSet newReference() {
        return (StrSet) super.newReference();
    }

    @Override
    @NotOwning
    public StrSet gcReference() {
        return (StrSet) super.gcReference();
    }

    /**
     * A walk over a {@link StrSet}: {@code while (cursor.next()) use(cursor.element());}. The
     * element is one borrowed reference re-pointed at each step: use it within the step, or
     * take {@code element().newReference()}. Fails fast as the set's other walks.
     */
    public static final class Cursor extends HashCursor {
        private final StrSet set;
        private CyStr element;

        private Cursor(StrSet set) {
            super(set);
            this.set = set;
        }

        /**
         * {@return the element {@code next()} moved to, as the cursor's own borrowed reference}
         *
         * @throws java.util.NoSuchElementException if the cursor is not on an element
         */
        @NotOwning
        public CyStr element() {
            CyStr reference = (CyStr) OBJECTS.repoint(set, element, HashStorage.load(readEntry()));
            if (reference != element) {
                element = reference;
            }
            return reference;
        }
    }
}
