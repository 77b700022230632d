package org.cypclass.objects.containers;

import java.lang.invoke.VarHandle;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;

import org.cypclass.memory.internal.Allocator;
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
 * A growable list of references to cypclass instances, off the Java heap: Cython+'s
 * {@code cyplist[T]}. Each element slot holds one count of its instance, exactly as a
 * reference field does: storing retains the new instance (after checking, as a field set
 * does, that the reference is open and usable by this thread), and removing, overwriting,
 * clearing or destroying the list releases what the slots held. Elements may be null.
 * Layout: {@link ListLayout} ({@code org_cypclass_objects_containers_RefList} in
 * {@code cypclass/containers.h}).
 *
 * <p>Reading an element ({@link #get}) returns a <em>borrowed</em> reference, as a
 * reference-field getter does: no count, nothing to close, valid while its instance lives
 * (overwriting or removing the element may end that); {@code newReference()} on it takes an
 * owned one. A {@link Cursor} walks the list without allocating: its {@link Cursor#element()}
 * is one borrowed reference that the cursor re-points at each step (see there).
 *
 * <p>The list records its element cypclass ({@code create(Node.class)}); every store checks the
 * value against it, so a list read through a borrowed or raw reference still holds only
 * {@code T}s. {@code create(CyObject.class)} makes a list of any cypclass.
 *
 * <p>Destroying the list releases every element; the deaths this causes are queued by the
 * destruction loop, so a list of a million elements, or a million lists nested in each other,
 * is destroyed in constant stack. The elements belong to the list's graph: cycle reports name
 * a cycle through a list ({@code elements[3]}), {@code Isolated.consume} counts the list's
 * slots as references from inside the graph, and locking, freezing or adopting the graph
 * takes the elements along.
 *
 * <p>Thread-safety: a thread-local instance may be used only by the thread that created it;
 * any other thread gets {@link WrongThreadException}. A reference object is not thread-safe.
 *
 * @param <T> the element cypclass
 */
@Cypclass
public final class RefList<T extends CyObject> extends CyObject {

    private static final ObjectsAccess OBJECTS = SharedSecrets.objects();
    private static final VarHandle WORD = ListStorage.WORD;
    private static final long BYTES = Long.BYTES;

    /** The type of every {@code RefList} instance: layout, allocator registration, destructor. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static final CyType<RefList<?>> TYPE = (CyType<RefList<?>>) (CyType) SharedSecrets.types().define(
        TypeDefinition.builtIn(RefList.class, RefList::new, ListLayout.reference(RefList.class), RefList::dumpFields,
            RefList::destroy, new ListReferences()));
    /** The allocator type of the slot blocks, so that {@code MemoryStats} counts them apart. */
    private static final int STORAGE = BlockTypes.register(RefList.class.getName() + " storage");

    /** The element cypclass, read from the instance on first use. */
    private Class<? extends CyObject> elementClass;
    /** An idle cursor to hand out again, so that loops allocate nothing. */
    private Cursor<T> spare;

    private RefList() {
    }

    /**
     * Creates an empty list of {@code elementType} references.
     *
     * @param elementType the element cypclass, or {@code CyObject.class} for any cypclass
     * @param <T> the element cypclass
     * @return the only reference to the new list, to close when done
     * @throws IllegalStateException if {@code elementType} is not a cypclass
     */
    public static <T extends CyObject> RefList<T> create(Class<T> elementType) {
        int elementTypeId = OBJECTS.typeIdOf(Objects.requireNonNull(elementType, "elementType"));
        @SuppressWarnings("unchecked")
        RefList<T> list = (RefList<T>) (RefList<?>) CyTypes.initialize(TYPE, new RefList<T>());
        WORD.set(ALL, OBJECTS.write(list) + ListLayout.ELEMENT_TYPE, (long) elementTypeId);
        list.elementClass = elementType;
        return list;
    }

    /**
     * Creates an empty list of {@code elementType} references with room for
     * {@code initialCapacity} elements.
     *
     * @param elementType the element cypclass, or {@code CyObject.class} for any cypclass
     * @param initialCapacity how many elements fit before the first growth
     * @param <T> the element cypclass
     * @return the only reference to the new list, to close when done
     * @throws IllegalArgumentException if {@code initialCapacity} is negative or absurdly large;
     *         nothing was allocated
     * @throws IllegalStateException if {@code elementType} is not a cypclass
     */
    public static <T extends CyObject> RefList<T> create(Class<T> elementType, long initialCapacity) {
        ListStorage.checkCapacity(RefList.class, initialCapacity);
        RefList<T> list = create(elementType);
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

    private Class<? extends CyObject> elementClass(long self) {
        Class<? extends CyObject> known = elementClass;
        if (known == null) {
            known = OBJECTS.classOf((int) (long) WORD.get(ALL, self + ListLayout.ELEMENT_TYPE));
            elementClass = known;
        }
        return known;
    }

    /**
     * Returns the element cypclass every store is checked against.
     *
     * @return the class given to {@code create}
     */
    public Class<? extends CyObject> elementType() {
        return elementClass(OBJECTS.read(this));
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
     * Returns how many elements fit before the slot block grows.
     *
     * @return the capacity
     */
    public long capacity() {
        return ListStorage.capacity(OBJECTS.read(this));
    }

    /**
     * Reads an element without taking a count.
     *
     * @param index from 0 to {@code size() - 1}
     * @return a borrowed reference to the element's instance (of its runtime class), valid while
     *         that instance lives; or null
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    @SuppressWarnings("unchecked")
    public T get(long index) {
        long self = OBJECTS.read(this);
        Objects.checkIndex(index, ListStorage.size(self));
        long target = (long) WORD.get(ALL, ListStorage.data(self) + index * BYTES);
        // Only T instances are ever stored (every store checks the element class).
        return target == 0 ? null : (T) OBJECTS.borrow(this, target);
    }

    /**
     * Tells whether an element is null, without taking a reference.
     *
     * @param index from 0 to {@code size() - 1}
     * @return whether the slot holds nothing
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public boolean isNull(long index) {
        long self = OBJECTS.read(this);
        Objects.checkIndex(index, ListStorage.size(self));
        return (long) WORD.get(ALL, ListStorage.data(self) + index * BYTES) == 0;
    }

    /**
     * Overwrites an element: retains the new instance, then releases the old one (which may
     * destroy it). Cursors and iterators carry on: the size does not change.
     *
     * @param index from 0 to {@code size() - 1}
     * @param value the new element, or null
     * @throws IndexOutOfBoundsException if {@code index} is out of range (nothing retained)
     * @throws IllegalStateException if {@code value} is closed, or borrowed and its target died
     * @throws WrongThreadException if {@code value}'s instance is thread-local to another thread
     * @throws ClassCastException if {@code value} is not of the list's element type
     */
    public void set(long index, T value) {
        long self = OBJECTS.write(this);
        Objects.checkIndex(index, ListStorage.size(self));
        long target = OBJECTS.retainForStore(this, elementClass(self), value);
        long at = ListStorage.data(self) + index * BYTES;
        long old = (long) WORD.get(ALL, at);
        WORD.set(ALL, at, target);
        if (old != 0) {
            OBJECTS.release(old);
        }
    }

    /**
     * Appends an element, in amortised constant time; the list takes its own count.
     *
     * @param value the new last element, or null
     * @throws IllegalStateException if {@code value} is closed, or borrowed and its target died
     * @throws WrongThreadException if {@code value}'s instance is thread-local to another thread
     * @throws ClassCastException if {@code value} is not of the list's element type
     */
    public void add(T value) {
        long self = OBJECTS.write(this);
        long target = OBJECTS.retainForStore(this, elementClass(self), value);
        long size = ListStorage.size(self);
        long data = ListStorage.data(self);
        if (size == ListStorage.capacity(self)) {
            data = growOrRelease(self, size + 1, target);
        }
        WORD.set(ALL, data + size * BYTES, target);
        ListStorage.appended(self, size + 1);
    }

    private static long growOrRelease(long self, long needed, long retained) {
        try {
            return ListStorage.grow(self, needed, BYTES, STORAGE);
        } catch (RuntimeException | Error e) {
            if (retained != 0) {
                OBJECTS.release(retained);
            }
            throw e;
        }
    }

    /**
     * Inserts an element, moving the later ones up by one; the list takes its own count.
     *
     * @param index from 0 to {@code size()}
     * @param value the element to insert, or null
     * @throws IndexOutOfBoundsException if {@code index} is out of range (nothing retained)
     * @throws IllegalStateException if {@code value} is closed, or borrowed and its target died
     * @throws WrongThreadException if {@code value}'s instance is thread-local to another thread
     * @throws ClassCastException if {@code value} is not of the list's element type
     */
    public void add(long index, T value) {
        long self = OBJECTS.write(this);
        long size = ListStorage.size(self);
        Objects.checkIndex(index, size + 1);
        long target = OBJECTS.retainForStore(this, elementClass(self), value);
        long data;
        try {
            data = ListStorage.openGap(self, index, BYTES, STORAGE);
        } catch (RuntimeException | Error e) {
            if (target != 0) {
                OBJECTS.release(target);
            }
            throw e;
        }
        WORD.set(ALL, data + index * BYTES, target);
        ListStorage.resized(self, size + 1);
    }

    /**
     * Removes an element, moving the later ones down by one, and releases it (which may
     * destroy it: the list is consistent before that destructor runs).
     *
     * @param index from 0 to {@code size() - 1}
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public void removeAt(long index) {
        long old = detach(index);
        if (old != 0) {
            OBJECTS.release(old);
        }
    }

    /** Takes element {@code index} out of the list without releasing it; returns its address. */
    private long detach(long index) {
        long self = OBJECTS.write(this);
        long size = ListStorage.size(self);
        Objects.checkIndex(index, size);
        long old = (long) WORD.get(ALL, ListStorage.data(self) + index * BYTES);
        ListStorage.closeGap(self, index, BYTES);
        ListStorage.resized(self, size - 1);
        return old;
    }

    /**
     * Returns the index of the first element referring to the same instance as {@code value}
     * (cypclass references are equal when they refer to the same instance).
     *
     * @param value a reference, open or not, or null
     * @return its first index, or -1
     */
    public long indexOf(CyObject value) {
        long self = OBJECTS.read(this);
        long data = ListStorage.data(self);
        long size = ListStorage.size(self);
        long wanted = value == null ? 0 : OBJECTS.identity(value);
        for (long i = 0; i < size; i++) {
            if ((long) WORD.get(ALL, data + i * BYTES) == wanted) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Tells whether an element refers to the same instance as {@code value}.
     *
     * @param value a reference, or null
     * @return whether {@link #indexOf} finds it
     */
    public boolean contains(CyObject value) {
        return indexOf(value) >= 0;
    }

    /**
     * Removes every element and releases them, first to last; the slot block is kept for
     * the next appends. Destructors that run meanwhile see an empty list and may use it. If
     * some throw, every element is still released and the first failure is rethrown.
     */
    public void clear() {
        long self = OBJECTS.write(this);
        long data = ListStorage.data(self);
        long size = ListStorage.size(self);
        long capacity = ListStorage.capacity(self);
        // Detach the slots first: a destructor run by a release below may add to this list.
        WORD.set(ALL, self + ListLayout.DATA, 0L);
        WORD.set(ALL, self + ListLayout.CAPACITY, 0L);
        ListStorage.resized(self, 0);
        Throwable failure = null;
        for (long i = 0; i < size; i++) {
            long target = (long) WORD.get(ALL, data + i * BYTES);
            if (target != 0) {
                try {
                    OBJECTS.release(target);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    } else {
                        failure.addSuppressed(t);
                    }
                }
            }
        }
        if (data != 0 && !isOpen()) {
            // A release destroyed the list itself (reached through a borrowed reference, it was
            // held only by what it held): its destructor found no slots, so free them here.
            Allocator.free(data);
        } else if (data != 0) {
            self = OBJECTS.write(this);
            if (ListStorage.data(self) == 0) {
                WORD.set(ALL, self + ListLayout.DATA, data);
                WORD.set(ALL, self + ListLayout.CAPACITY, capacity);
            } else {
                Allocator.free(data);
            }
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        } else if (failure instanceof Error error) {
            throw error;
        } else if (failure != null) {
            throw new IllegalStateException("a destructor failed", failure);
        }
    }

    /** The destructor's part: release every element (their deaths are queued), free the slots. */
    private static void destroy(long self) {
        long data = ListStorage.data(self);
        long size = ListStorage.size(self);
        WORD.set(ALL, self + ListLayout.SIZE, 0L);
        for (long i = 0; i < size; i++) {
            long target = (long) WORD.get(ALL, data + i * BYTES);
            if (target != 0) {
                OBJECTS.release(target);
            }
        }
        ListStorage.free(self);
    }

    /**
     * Starts a walk over the elements. The cursor allocates nothing per element (see
     * {@link Cursor#element()}); once it has run out it is recycled by this reference's next
     * {@code cursor()}, so that walking the list again allocates nothing either.
     *
     * @return a cursor before the first element
     * @throws IllegalStateException if this reference is closed
     */
    public Cursor<T> cursor() {
        long self = OBJECTS.read(this);
        Cursor<T> cursor = spare;
        if (cursor == null) {
            cursor = new Cursor<>(this);
        } else {
            spare = null;
        }
        cursor.start(ListStorage.modCount(self), ListStorage.size(self));
        return cursor;
    }

    /**
     * Returns a {@link List} view: reads and writes go to this list, through this reference
     * (so it must stay open). Its {@code get} returns borrowed references; {@code set} and
     * {@code remove} return a borrowed reference to the element they let go of, taken before
     * its release (still good for {@code equals}; usable only while something else keeps the
     * instance alive). It supports every optional operation and null elements, is
     * {@link java.util.RandomAccess}, and its iterators fail fast on any change of size made
     * while they are in use.
     *
     * @return a view of this list
     */
    public List<T> asList() {
        return new View<>(this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public RefList<T> newReference() {
        return (RefList<T>) super.newReference();
    }

    @Override
    @SuppressWarnings("unchecked")
    public RefList<T> gcReference() {
        return (RefList<T>) super.gcReference();
    }

    /** The dump of a {@code RefList}: its size and first eight elements. */
    private void dumpFields(StringBuilder out) {
        long self = OBJECTS.read(this);
        long size = ListStorage.size(self);
        StringJoiner elements = new StringJoiner(", ", "[", "]");
        for (long i = 0; i < Math.min(size, 8); i++) {
            long target = (long) WORD.get(ALL, ListStorage.data(self) + i * BYTES);
            elements.add(target == 0 ? "null" : OBJECTS.borrow(this, target).toString());
        }
        if (size > 8) {
            elements.add("...");
        }
        CyTypes.dumpField(out, "size", size);
        CyTypes.dumpField(out, "elements", elements);
    }

    /**
     * A walk over a {@link RefList}:
     * {@code while (cursor.next()) sum += cursor.element().payload();}.
     *
     * <p>{@link #element()} returns one borrowed reference that belongs to the cursor and is
     * re-pointed at each step, so that walking a million elements allocates nothing: use it
     * within the step, as a JDBC {@code ResultSet} row. It checks, as any borrowed reference,
     * that its instance still lives; to keep an element beyond the step, take
     * {@code element().newReference()}, or store it in a field or a container (which takes
     * its own count).
     *
     * <p>Fails fast: {@link #next()} throws {@link ConcurrentModificationException} if the
     * list's size changed (an append, insert, removal or clear, through any reference or view)
     * since the walk started; overwriting elements does not count.
     *
     * <p>Thread-safety: as its list.
     *
     * @param <T> the element cypclass
     */
    public static final class Cursor<T extends CyObject> {
        private final RefList<T> list;
        private long index;
        /** The list's {@code mod_count} and size when the walk started: see {@link ListLayout}. */
        private long expectedModCount;
        private long expectedSize;
        /** The element reference, re-pointed at each step; null until the first non-null element. */
        private CyObject element;

        private Cursor(RefList<T> list) {
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
         * Returns the current element as the cursor's own borrowed reference, re-pointed at
         * each step (see the class documentation).
         *
         * @return the element {@link #next()} moved to, or null if the slot is null
         * @throws java.util.NoSuchElementException before the first {@code next()} or after the last
         */
        @SuppressWarnings("unchecked")
        public T element() {
            long self = OBJECTS.read(list);
            if (Long.compareUnsigned(index, ListStorage.size(self)) >= 0) {   // also index -1
                throw Cursors.noElement();
            }
            long target = (long) WORD.get(ALL, ListStorage.data(self) + index * BYTES);
            if (target == 0) {
                return null;
            }
            CyObject reference = OBJECTS.repoint(list, element, target);
            if (reference != element) {
                // Only when the element's class changed: a reference store costs the collector's
                // write barriers on every step otherwise.
                element = reference;
            }
            return (T) reference;
        }

        /**
         * Overwrites the current element (retain new, release old); the walk goes on.
         *
         * @param value the new element, or null
         * @throws java.util.NoSuchElementException before the first {@code next()} or after the last
         */
        public void set(T value) {
            if (index < 0 || index >= list.size()) {
                throw Cursors.noElement();
            }
            list.set(index, value);
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

    /** The {@link List} view. */
    private static final class View<T extends CyObject> extends ListView<T> {
        private final RefList<T> list;

        View(RefList<T> list) {
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
        T at(long index) {
            return list.get(index);
        }

        @Override
        T replace(long index, T value) {
            T old = list.get(index);
            list.set(index, value);
            return old;
        }

        @Override
        void insert(long index, T value) {
            list.add(index, value);
        }

        @Override
        T delete(long index) {
            T old = list.get(index);
            list.removeAt(index);
            return old;
        }

        @Override
        void deleteAll() {
            list.clear();
        }
    }
}
