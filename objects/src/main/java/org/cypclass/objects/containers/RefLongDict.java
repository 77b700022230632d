package org.cypclass.objects.containers;

import java.util.Objects;

import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;
import org.cypclass.objects.Cypclass;
import org.cypclass.objects.generated.CyTypes;
import org.cypclass.objects.internal.SharedSecrets;
import org.cypclass.objects.internal.TypeDefinition;

import static org.cypclass.objects.containers.DictLayout.DICT_ENTRY;

/**
 * A hash map from cypclass instances to {@code long} values, off the Java heap: Cython+'s
 * {@code cypdict[K, long]}, a cypclass instance (header, counted references, thread-local
 * capability) laid out as a compact dict ({@link DictLayout}, whose last word is
 * {@code key_type} here; C: {@code org_cypclass_objects_containers_RefLongDict} in
 * {@code cypclass/containers.h}), whose key words are instance addresses.
 *
 * <p><b>Keys are compared by identity</b>: two references are the same key when they refer to
 * the same instance, and the hash is that of the instance's address. That is what
 * {@link CyObject#equals} and {@link CyObject#hashCode} say (they are final), so the
 * {@link java.util.Map} view agrees with the dict. A cypclass cannot declare its own equality
 * and hash for this dict: the engine probes, compacts and re-hashes by key word alone, with no
 * user code inside (which could re-enter the dict, throw in the middle of a rebuild, or allocate
 * on paths meant to be nogil), C reads the same entries, and a key whose fields changed
 * after insertion would be lost, since cypclass fields are mutable. To key by value, key by a
 * primitive the instances carry (a {@link LongRefDict} from an id to the instance).
 *
 * <p>Each key holds one count of its instance while it is in the dict: {@link #put} of a new
 * key checks it (open, usable by this thread, allowed in this dict by the capability rules,
 * of the dict's key class) and retains it; removing it, clearing and destroying the dict
 * release it, after the dict is consistent again (a destructor run by a release may use the
 * dict). Overwriting the value of a present key takes no new count. Lookups ({@link #get},
 * {@link #containsKey}, {@link #remove}) take no count, but need an open reference (a closed
 * one could name another instance that reuses the address).
 *
 * <p>Iteration is in insertion order, which removals and re-insertions keep as Python's dict
 * does. A {@link Cursor} walks without allocating: its {@link Cursor#key()} is one borrowed
 * reference re-pointed at each step. It fails fast with
 * {@link java.util.ConcurrentModificationException} when the size changed since it started;
 * overwriting a value does not disturb it. {@link #asMap()} is a {@link java.util.Map} view
 * with borrowed keys and boxed values.
 *
 * <p>The keys belong to the dict's graph: cycle reports name a cycle through the dict
 * ({@code keys[3]}), {@code Isolated.consume} counts them as references from inside the graph,
 * and locking, freezing or adopting the graph takes them along. Destroying the dict releases
 * every key in constant stack.
 *
 * <p>Thread-safety: a thread-local instance may be used only by the thread that created it;
 * any other thread gets {@link WrongThreadException}. A reference object is not thread-safe.
 *
 * @param <K> the key cypclass
 */
@Cypclass
public final class RefLongDict<K extends CyObject> extends HashDict<K, Long> {

    /** The type of every {@code RefLongDict} instance: layout, allocator registration, destructor, references. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static final CyType<RefLongDict<?>> TYPE = (CyType<RefLongDict<?>>) (CyType) SharedSecrets.types().define(
        TypeDefinition.builtIn(RefLongDict.class, RefLongDict::new, DictLayout.of(RefLongDict.class, "key_type"),
            RefLongDict::dumpFields, EntryReferences.KEYS::destroy, EntryReferences.KEYS));
    /** The allocator type of the entry and index blocks, so that {@code MemoryStats} counts them apart. */
    private static final int STORAGE = BlockTypes.register(RefLongDict.class.getName() + " storage");
    /** The word that records the key cypclass ({@code key_type}: {@code value_type}'s place). */
    private static final long KEY_TYPE = DictLayout.VALUE_TYPE;

    /** The key cypclass, read from the instance on first use. */
    private Class<? extends CyObject> keyClass;

    private RefLongDict() {
    }

    /**
     * Creates an empty dict with {@code keyType} keys; its first insertion allocates room for a
     * few entries.
     *
     * @param keyType the key cypclass, or {@code CyObject.class} for any cypclass
     * @param <K> the key cypclass
     * @return the only reference to the new dict, to close when done
     * @throws IllegalStateException if {@code keyType} is not a cypclass; nothing was allocated
     */
    public static <K extends CyObject> RefLongDict<K> create(Class<K> keyType) {
        int keyTypeId = OBJECTS.typeIdOf(Objects.requireNonNull(keyType, "keyType"));
        @SuppressWarnings("unchecked")
        RefLongDict<K> dict = (RefLongDict<K>) (RefLongDict<?>) CyTypes.initialize(TYPE, new RefLongDict<K>());
        HashStorage.store(OBJECTS.write(dict) + KEY_TYPE, keyTypeId);
        dict.keyClass = keyType;
        return dict;
    }

    /**
     * Creates an empty dict with {@code keyType} keys and room for {@code initialCapacity}
     * entries.
     *
     * @param keyType the key cypclass, or {@code CyObject.class} for any cypclass
     * @param initialCapacity how many entries fit before the first growth
     * @param <K> the key cypclass
     * @return the only reference to the new dict, to close when done
     * @throws IllegalArgumentException if {@code initialCapacity} is negative or above 2^30;
     *         nothing was allocated
     * @throws IllegalStateException if {@code keyType} is not a cypclass; nothing was allocated
     */
    public static <K extends CyObject> RefLongDict<K> create(Class<K> keyType, long initialCapacity) {
        HashStorage.checkCapacity(RefLongDict.class, initialCapacity);
        return reserve(create(keyType), initialCapacity);
    }

    private Class<? extends CyObject> keyClass(long self) {
        Class<? extends CyObject> known = keyClass;
        if (known == null) {
            known = OBJECTS.classOf((int) HashStorage.load(self + KEY_TYPE));
            keyClass = known;
        }
        return known;
    }

    /**
     * Returns the key cypclass every new key is checked against.
     *
     * @return the class given to {@code create}
     */
    public Class<? extends CyObject> keyType() {
        return keyClass(OBJECTS.read(this));
    }

    @Override
    int storage() {
        return STORAGE;
    }

    @Override
    Word<K> keyWord() {
        return null;
    }

    @Override
    Word<Long> valueWord() {
        return Word.LONG;
    }

    /** {@return the instance a key names, for a lookup: the reference must be open and usable} */
    private static long identity(CyObject key) {
        return OBJECTS.use(Objects.requireNonNull(key, "a RefLongDict has no null key"));
    }

    /**
     * Maps {@code key} to {@code value}: overwrites the value of a present key (not a change of
     * size: cursors carry on), or retains the key and appends a new entry, last in iteration
     * order.
     *
     * @param key the key, not null
     * @param value its value
     * @throws IllegalStateException if {@code key} is closed, or borrowed and its target died
     * @throws WrongThreadException if {@code key}'s instance is thread-local to another thread
     * @throws ClassCastException if {@code key} is not of the dict's key type
     * @throws org.cypclass.objects.capabilities.CapabilityException if the dict may not hold
     *         {@code key} (a thread-local key in a dict inside a locked graph)
     */
    public void put(K key, long value) {
        long self = OBJECTS.write(this);
        long size = HashStorage.size(self);
        // One probe: the count is taken first (with every store check), and given back if the
        // key was already there, whose entry holds a count of its own.
        long word = OBJECTS.retainForStore(this, keyClass(self), Objects.requireNonNull(key, "a RefLongDict has no null key"));
        long at;
        try {
            at = HashStorage.insert(self, word, DICT_ENTRY, STORAGE);
        } catch (RuntimeException | Error e) {
            OBJECTS.release(word);
            throw e;
        }
        HashStorage.store(at + 8, value);
        if (HashStorage.size(self) == size) {
            OBJECTS.release(word);
        }
    }

    /**
     * Returns the value of a key that must be present.
     *
     * @param key the key: an open reference to its instance
     * @return its value
     * @throws java.util.NoSuchElementException if the key is missing
     * @throws IllegalStateException if {@code key} is closed, or borrowed and its target died
     */
    public long get(K key) {
        long at = find(identity(key));
        if (at == 0) {
            throw missingKey(key);
        }
        return HashStorage.load(at + 8);
    }

    /**
     * Returns the value of a key, or a default.
     *
     * @param key the key: an open reference to its instance
     * @param defaultValue what to return if the key is missing
     * @return its value, or {@code defaultValue}
     * @throws IllegalStateException if {@code key} is closed, or borrowed and its target died
     */
    public long getOrDefault(K key, long defaultValue) {
        long at = find(identity(key));
        return at == 0 ? defaultValue : HashStorage.load(at + 8);
    }

    /**
     * Tells whether a key is present.
     *
     * @param key the key: an open reference to its instance
     * @return whether the dict maps it
     * @throws IllegalStateException if {@code key} is closed, or borrowed and its target died
     */
    public boolean containsKey(K key) {
        return find(identity(key)) != 0;
    }

    /**
     * Removes a key and its value and releases the key (which may destroy its instance: the
     * dict is consistent before that destructor runs); the other entries keep their order.
     *
     * @param key the key: an open reference to its instance
     * @return whether it was present
     * @throws IllegalStateException if {@code key} is closed, or borrowed and its target died
     */
    public boolean remove(K key) {
        return removeWord(identity(key));
    }

    /**
     * Removes every entry and releases the keys, in insertion order; the blocks are kept for
     * the next insertions. Destructors that run meanwhile see an empty dict and may use it. If
     * some throw, every key is still released and the first failure is rethrown.
     */
    @Override
    public void clear() {
        EntryReferences.KEYS.clear(this);
    }

    /**
     * Starts a walk over the entries, in insertion order. The cursor allocates nothing per
     * entry (see {@link Cursor#key()}); once it has run out it is recycled by this reference's
     * next {@code cursor()}, so that a loop that walks the dict again allocates nothing either.
     *
     * @return a cursor before the first entry
     * @throws IllegalStateException if this reference is closed
     */
    @SuppressWarnings("unchecked")
    public Cursor<K> cursor() {
        HashCursor spare = takeSpare();
        return (Cursor<K>) (spare == null ? new Cursor<>(this) : spare).start();
    }

    @Override
    void released(long entry) {
        EntryReferences.KEYS.release(entry);
    }

    @Override
    boolean acceptsKey(Object key) {
        return key instanceof CyObject reference && keyClass(OBJECTS.read(this)).isInstance(reference);
    }

    @Override
    long keyOf(Object key) {
        return identity((CyObject) key);
    }

    @Override
    @SuppressWarnings("unchecked")
    K boxKey(long word) {
        // Only K instances are ever stored (every new key is checked against the key class).
        return (K) OBJECTS.borrow(this, word);
    }

    @Override
    void putBoxed(K key, Long value) {
        put(key, Objects.requireNonNull(value, "a RefLongDict holds no null values"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public RefLongDict<K> newReference() {
        return (RefLongDict<K>) super.newReference();
    }

    @Override
    @SuppressWarnings("unchecked")
    public RefLongDict<K> gcReference() {
        return (RefLongDict<K>) super.gcReference();
    }

    /**
     * A walk over a {@link RefLongDict}: {@code while (cursor.next()) use(cursor.key(), cursor.value());}.
     *
     * <p>{@link #key()} returns one borrowed reference that belongs to the cursor and is
     * re-pointed at each step, so that walking a million entries allocates nothing: use it
     * within the step, as a JDBC {@code ResultSet} row (it checks, as any borrowed reference,
     * that its instance still lives; {@code key().newReference()} keeps one).
     *
     * <p>Fails fast: {@code next()} throws {@link java.util.ConcurrentModificationException} if
     * the dict's size changed (an insertion, removal or clear, through any reference or view)
     * since the walk started, except by the cursor's own {@code remove()}; {@link #setValue}
     * and overwriting puts do not count.
     *
     * <p>Thread-safety: as its dict.
     *
     * @param <K> the key cypclass
     */
    public static final class Cursor<K extends CyObject> extends HashCursor {
        private final RefLongDict<K> dict;
        /** The key reference, re-pointed at each step; null until the first step. */
        private CyObject key;

        private Cursor(RefLongDict<K> dict) {
            super(dict);
            this.dict = dict;
        }

        /**
         * Returns the current key as the cursor's own borrowed reference, re-pointed at each
         * step (see the class documentation).
         *
         * @return the key of the entry {@code next()} moved to
         * @throws java.util.NoSuchElementException if the cursor is not on an entry
         */
        @SuppressWarnings("unchecked")
        public K key() {
            CyObject reference = OBJECTS.repoint(dict, key, HashStorage.load(readEntry()));
            if (reference != key) {
                // Only when the key's class changed: a reference store costs the collector's
                // write barriers on every step otherwise.
                key = reference;
            }
            return (K) reference;
        }

        /**
         * Returns the current value.
         *
         * @return the value of the entry {@code next()} moved to
         * @throws java.util.NoSuchElementException if the cursor is not on an entry
         */
        public long value() {
            return HashStorage.load(readEntry() + 8);
        }

        /**
         * Overwrites the current value; the walk goes on.
         *
         * @param value the new value
         * @throws java.util.NoSuchElementException if the cursor is not on an entry
         */
        public void setValue(long value) {
            HashStorage.store(writeEntry() + 8, value);
        }
    }
}
