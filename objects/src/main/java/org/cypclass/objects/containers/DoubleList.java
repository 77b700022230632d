package org.cypclass.objects.containers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Objects;

import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;
import org.cypclass.objects.Cypclass;
import org.cypclass.objects.generated.CyTypes;
import org.cypclass.objects.internal.ObjectsAccess;
import org.cypclass.objects.internal.SharedSecrets;
import org.cypclass.objects.internal.TypeDefinition;

import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * A growable list of {@code double} values off the Java heap: Cython+'s {@code cyplist[double]}, a
 * cypclass instance (header, counted references, thread-local capability) whose elements sit
 * in one contiguous block ({@link ListLayout}; C: {@code CDouble} in
 * {@code cypclass/containers.h}). No boxing: {@link #get} and {@link #add} are a capability
 * check and plain off-heap loads and stores; appends are amortised O(1) (the block doubles).
 *
 * <p>It is a reference like any other cypclass reference: {@link #create()} returns an owned
 * reference to close (try-with-resources), the last close frees the instance and its block at
 * once, and a cypclass may declare a field of this type ({@code DoubleList samples();}).
 * Indices are {@code long}; a bad one throws {@link IndexOutOfBoundsException}.
 *
 * <p>Iteration: an index loop ({@code for (long i = 0; i < list.size(); i++) list.get(i)}),
 * or a {@link Cursor} ({@link #cursor()}), which allocates nothing once the reference has
 * made one and fails fast with {@link ConcurrentModificationException} when the list's size
 * changed since it started; overwriting elements ({@link #set}) does not disturb it.
 * {@link #asList()} is a boxed {@link List} view for code that wants {@code java.util}.
 *
 * <p>Thread-safety: a thread-local instance may be used only by the thread that created it;
 * any other thread gets {@link WrongThreadException}. A reference object is not thread-safe.
 */
@Cypclass
public final class DoubleList extends CyObject {

    private static final ObjectsAccess OBJECTS = SharedSecrets.objects();
    private static final VarHandle ELEMENT = ValueLayout.JAVA_DOUBLE_UNALIGNED.varHandle();
    private static final long BYTES = Double.BYTES;

    /** The type of every {@code DoubleList} instance: layout, allocator registration, destructor. */
    public static final CyType<DoubleList> TYPE = SharedSecrets.types().define(TypeDefinition.builtIn(
        DoubleList.class, DoubleList::new, ListLayout.primitive(DoubleList.class), DoubleList::dumpFields, ListStorage::free, null));
    /** The allocator type of the element blocks, so that {@code MemoryStats} counts them apart. */
    private static final int STORAGE = BlockTypes.register(DoubleList.class.getName() + " storage");

    /** An idle cursor to hand out again, so that loops allocate nothing. */
    private Cursor spare;

    private DoubleList() {
    }

    /**
     * Creates an empty list; its first append allocates room for a few elements.
     *
     * @return the only reference to the new list, to close when done
     */
    public static DoubleList create() {
        return CyTypes.initialize(TYPE, new DoubleList());
    }

    /**
     * Creates an empty list with room for {@code initialCapacity} elements.
     *
     * @param initialCapacity how many elements fit before the first growth
     * @return the only reference to the new list, to close when done
     * @throws IllegalArgumentException if {@code initialCapacity} is negative or absurdly large;
     *         nothing was allocated
     */
    public static DoubleList create(long initialCapacity) {
        ListStorage.checkCapacity(DoubleList.class, initialCapacity);
        DoubleList list = create();
        if (initialCapacity > 0) {
            try {
                ListStorage.reallocate(OBJECTS.write(list), initialCapacity, BYTES, STORAGE);
            } catch (RuntimeException | Error e) {
                list.close();
                throw e;
            }
        }
        return list;
    }

    /**
     * Creates a list holding {@code values}, in order.
     *
     * @param values the elements
     * @return the only reference to the new list, to close when done
     */
    public static DoubleList of(double... values) {
        DoubleList list = create(values.length);
        long self = OBJECTS.write(list);
        MemorySegment.copy(values, 0, ALL, ValueLayout.JAVA_DOUBLE_UNALIGNED, ListStorage.data(self), values.length);
        ListStorage.resized(self, values.length);
        return list;
    }

    /**
     * Returns the number of elements.
     *
     * @return the number of elements
     */
    public long size() {
        return ListStorage.size(OBJECTS.read(this));
    }

    /**
     * Tells whether the list has no element.
     *
     * @return whether the size is 0
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Returns how many elements fit before the storage block grows.
     *
     * @return the capacity
     */
    public long capacity() {
        return ListStorage.capacity(OBJECTS.read(this));
    }

    /**
     * Returns an element.
     *
     * @param index from 0 to {@code size() - 1}
     * @return the element at {@code index}
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public double get(long index) {
        long self = OBJECTS.read(this);
        Objects.checkIndex(index, ListStorage.size(self));
        return (double) ELEMENT.get(ALL, ListStorage.data(self) + index * BYTES);
    }

    /**
     * Copies {@code length} elements, from index {@code from} on, into an array: one check
     * and one copy, for loops that read a list in chunks.
     *
     * @param from the index of the first element to copy
     * @param into the array to copy to
     * @param offset the index in {@code into} of the first element copied
     * @param length how many elements to copy
     * @throws IndexOutOfBoundsException if {@code from} and {@code length} do not fit the
     *         list, or {@code offset} and {@code length} do not fit {@code into}
     */
    public void get(long from, double[] into, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, into.length);
        long self = OBJECTS.read(this);
        Objects.checkFromIndexSize(from, length, ListStorage.size(self));
        MemorySegment.copy(ALL, ValueLayout.JAVA_DOUBLE_UNALIGNED, ListStorage.data(self) + from * BYTES, into, offset, length);
    }

    /**
     * Overwrites an element. Cursors and iterators carry on: the size does not change.
     *
     * @param index from 0 to {@code size() - 1}
     * @param value the new element
     * @return the element it replaced
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public double set(long index, double value) {
        long self = OBJECTS.write(this);
        Objects.checkIndex(index, ListStorage.size(self));
        long at = ListStorage.data(self) + index * BYTES;
        double old = (double) ELEMENT.get(ALL, at);
        ELEMENT.set(ALL, at, value);
        return old;
    }

    /**
     * Appends an element, in amortised constant time.
     *
     * @param value the new last element
     */
    public void add(double value) {
        long self = OBJECTS.write(this);
        long size = ListStorage.size(self);
        long data = ListStorage.data(self);
        if (size == ListStorage.capacity(self)) {
            data = ListStorage.grow(self, size + 1, BYTES, STORAGE);
        }
        ELEMENT.set(ALL, data + size * BYTES, value);
        ListStorage.appended(self, size + 1);
    }

    /**
     * Appends {@code length} values of an array, in order: one capability check, at most one
     * growth and one copy for the lot, where as many {@link #add(double)} calls check and store
     * one by one. Cursors and iterators started before fail fast, as after an append.
     *
     * @param values the array to copy from
     * @param offset the index in {@code values} of the first value to append
     * @param length how many values to append
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit
     *         {@code values}; nothing was appended
     */
    public void addAll(double[] values, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, values.length);
        long self = OBJECTS.write(this);
        long size = ListStorage.size(self);
        long data = ListStorage.data(self);
        if (length > ListStorage.capacity(self) - size) {
            data = ListStorage.grow(self, size + length, BYTES, STORAGE);
        }
        MemorySegment.copy(values, offset, ALL, ValueLayout.JAVA_DOUBLE_UNALIGNED, data + size * BYTES, length);
        ListStorage.appended(self, size + length);
    }

    /**
     * Inserts an element, moving the later ones up by one.
     *
     * @param index from 0 to {@code size()}
     * @param value the element to insert at {@code index}
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public void add(long index, double value) {
        long self = OBJECTS.write(this);
        long size = ListStorage.size(self);
        Objects.checkIndex(index, size + 1);
        long data = ListStorage.openGap(self, index, BYTES, STORAGE);
        ELEMENT.set(ALL, data + index * BYTES, value);
        ListStorage.resized(self, size + 1);
    }

    /**
     * Removes an element, moving the later ones down by one.
     *
     * @param index from 0 to {@code size() - 1}
     * @return the removed element
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public double removeAt(long index) {
        long self = OBJECTS.write(this);
        long size = ListStorage.size(self);
        Objects.checkIndex(index, size);
        double old = (double) ELEMENT.get(ALL, ListStorage.data(self) + index * BYTES);
        ListStorage.closeGap(self, index, BYTES);
        ListStorage.resized(self, size - 1);
        return old;
    }

    /** Removes every element; the storage block is kept for the next appends. */
    public void clear() {
        ListStorage.resized(OBJECTS.write(this), 0);
    }

    /**
     * Makes room for {@code capacity} elements, so that appends up to that size do not grow.
     *
     * @param capacity the capacity wanted
     * @throws IllegalArgumentException if {@code capacity} is negative or absurdly large
     */
    public void ensureCapacity(long capacity) {
        ListStorage.checkCapacity(DoubleList.class, capacity);
        long self = OBJECTS.write(this);
        if (capacity > ListStorage.capacity(self)) {
            ListStorage.reallocate(self, capacity, BYTES, STORAGE);
        }
    }

    /**
     * Returns the index of the first element equal to {@code value} (compared as {@link Double#equals} compares: {@code NaN} equals {@code NaN}, {@code 0.0} differs from {@code -0.0}).
     *
     * @param value the element to find
     * @return its first index, or -1
     */
    public long indexOf(double value) {
        long self = OBJECTS.read(this);
        long data = ListStorage.data(self);
        long size = ListStorage.size(self);
        long bits = Double.doubleToLongBits(value);
        for (long i = 0; i < size; i++) {
            if (Double.doubleToLongBits((double) ELEMENT.get(ALL, data + i * BYTES)) == bits) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Tells whether an element equals {@code value}.
     *
     * @param value the element to find
     * @return whether {@link #indexOf} finds it
     */
    public boolean contains(double value) {
        return indexOf(value) >= 0;
    }

    /**
     * Copies the elements into a new Java array.
     *
     * @return the elements, in order
     * @throws IllegalStateException if there are more than {@code Integer.MAX_VALUE - 8}
     */
    public double[] toArray() {
        long self = OBJECTS.read(this);
        long size = ListStorage.size(self);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(this + " has " + size + " elements, too many for a Java array");
        }
        double[] values = new double[(int) size];
        MemorySegment.copy(ALL, ValueLayout.JAVA_DOUBLE_UNALIGNED, ListStorage.data(self), values, 0, (int) size);
        return values;
    }

    /**
     * Starts a walk over the elements. The cursor allocates nothing per element; once it has
     * run out it is recycled by this reference's next {@code cursor()}, so that a loop that
     * walks the list again allocates nothing either.
     *
     * @return a cursor before the first element
     * @throws IllegalStateException if this reference is closed
     */
    public Cursor cursor() {
        long self = OBJECTS.read(this);
        Cursor cursor = spare;
        if (cursor == null) {
            cursor = new Cursor(this);
        } else {
            spare = null;
        }
        cursor.start(ListStorage.modCount(self), ListStorage.size(self));
        return cursor;
    }

    /**
     * Returns a boxed {@link List} view: reads and writes go to this list, through this
     * reference (so it must stay open). It supports every optional operation but {@code null}
     * elements, is {@link java.util.RandomAccess}, and its iterators fail fast on any change of
     * size made while they are in use, through the view or not.
     *
     * @return a view of this list
     */
    public List<Double> asList() {
        return new View(this);
    }

    @Override
    public DoubleList newReference() {
        return (DoubleList) super.newReference();
    }

    @Override
    public DoubleList gcReference() {
        return (DoubleList) super.gcReference();
    }

    /** The dump of a {@code DoubleList}: its size and first eight elements. */
    private void dumpFields(StringBuilder out) {
        long size = size();
        double[] head = new double[(int) Math.min(size, 8)];
        MemorySegment.copy(ALL, ValueLayout.JAVA_DOUBLE_UNALIGNED, ListStorage.data(OBJECTS.read(this)), head, 0, head.length);
        String text = Arrays.toString(head);
        CyTypes.dumpField(out, "size", size);
        CyTypes.dumpField(out, "elements", size > head.length ? text.substring(0, text.length() - 1) + ", ...]" : text);
    }

    /**
     * A walk over a {@link DoubleList}: {@code while (cursor.next()) use(cursor.value());}.
     *
     * <p>Fails fast: {@link #next()} throws {@link ConcurrentModificationException} if the
     * list's size changed (an append, insert, removal or clear, through any reference or view)
     * since the walk started; {@link #set} and the list's {@code set} do not count.
     *
     * <p>Thread-safety: as its list.
     */
    public static final class Cursor {
        private final DoubleList list;
        private long index;
        /** The list's {@code mod_count} and size when the walk started: see {@link ListLayout}. */
        private long expectedModCount;
        private long expectedSize;

        private Cursor(DoubleList list) {
            this.list = list;
        }

        private void start(long modCount, long size) {
            index = -1;
            expectedModCount = modCount;
            expectedSize = size;
        }

        /**
         * Moves to the next element.
         *
         * @return false once past the last element (the cursor is then done and recycled)
         * @throws ConcurrentModificationException if the list's size changed since the start
         */
        public boolean next() {
            long self = OBJECTS.read(list);
            if (ListStorage.modCount(self) != expectedModCount || ListStorage.size(self) != expectedSize) {
                throw Cursors.changedDuringWalk(list);
            }
            if (++index < expectedSize) {
                return true;
            }
            index = expectedSize;
            list.spare = this;
            return false;
        }

        /**
         * Returns the current element.
         *
         * @return the element {@link #next()} moved to
         * @throws java.util.NoSuchElementException before the first {@code next()} or after the last
         */
        public double value() {
            long self = OBJECTS.read(list);
            if (index < 0 || index >= ListStorage.size(self)) {
                throw Cursors.noElement();
            }
            return (double) ELEMENT.get(ALL, ListStorage.data(self) + index * BYTES);
        }

        /**
         * Overwrites the current element; the walk goes on.
         *
         * @param value the new element
         * @throws java.util.NoSuchElementException before the first {@code next()} or after the last
         */
        public void set(double value) {
            long self = OBJECTS.write(list);
            if (index < 0 || index >= ListStorage.size(self)) {
                throw Cursors.noElement();
            }
            ELEMENT.set(ALL, ListStorage.data(self) + index * BYTES, value);
        }

        /**
         * Returns the current index.
         *
         * @return the index of the current element, -1 before the first
         */
        public long index() {
            return index;
        }
    }

    /** The boxed {@link List} view. */
    private static final class View extends ListView<Double> {
        private final DoubleList list;

        View(DoubleList list) {
            this.list = list;
        }

        @Override
        long length() {
            return list.size();
        }

        @Override
        long mods() {
            return ListStorage.modCount(OBJECTS.read(list));
        }

        @Override
        Double at(long index) {
            return list.get(index);
        }

        @Override
        Double replace(long index, Double value) {
            return list.set(index, Objects.requireNonNull(value, NULL_ELEMENT));
        }

        @Override
        void insert(long index, Double value) {
            list.add(index, Objects.requireNonNull(value, NULL_ELEMENT));
        }

        @Override
        Double delete(long index) {
            return list.removeAt(index);
        }

        @Override
        void deleteAll() {
            list.clear();
        }
    }
}
