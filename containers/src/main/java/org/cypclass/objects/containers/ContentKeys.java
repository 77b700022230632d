package org.cypclass.objects.containers;

import java.util.ConcurrentModificationException;
import java.util.Objects;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.generated.KeyMethods;
import org.cypclass.objects.internal.SharedSecrets;

import static org.cypclass.objects.containers.HashContainer.OBJECTS;

/**
 * Keys compared by content ({@link KeyLongDict}, {@link KeyRefDict}, {@link KeySet}): the key
 * cypclass's {@code @Hash} and {@code @Equals} methods ({@link KeyMethods}), the rule that an
 * inserted key is frozen, and the lookup that calls user code.
 *
 * <p>Where user code runs, and why that is safe: a key's {@code @Hash} method runs once, before
 * the container is touched (on insertion and on each lookup), and the engine keeps the hash of
 * every inserted key in its entry, so growing and compacting run no user code. The
 * {@code @Equals} method runs inside a lookup, for each entry whose stored hash equals the
 * probe's (and that is not the probe's own instance). It is Java code and could change the
 * container (through another reference); so after each call the lookup checks the container
 * again ({@link HashContainer#OBJECTS}{@code .read}: open, alive, usable) and compares its
 * {@code mod_count} and index block with those it started from, and throws
 * {@link ConcurrentModificationException} if they differ, before it reads the index again.
 * An inserted key is frozen, so nothing its hash depends on can change while it is in the
 * container, and any thread may read it (a frozen container is read by many threads at once).
 *
 * <p>Thread-safety: immutable; the lookup allocates nothing but what the {@code @Equals}
 * method allocates, and the borrowed reference to a stored key (the thread's borrow cache).
 */
final class ContentKeys {

    private ContentKeys() {
    }

    /**
     * {@return the key methods of a key class, for {@code create}}
     *
     * @throws IllegalArgumentException if neither the class nor a base cypclass declares
     *         {@code @Hash} and {@code @Equals}
     */
    @SuppressWarnings("unchecked")
    static KeyMethods<CyObject> of(Class<? extends CyObject> keyType, Class<?> container) {
        // typeIdOf has initialized the class: its generated initializer registered its methods.
        KeyMethods<?> methods = SharedSecrets.types().keyMethods(keyType);
        if (methods == null) {
            throw new IllegalArgumentException("cannot make a " + container.getSimpleName() + " of " + keyType.getName()
                + " keys: it declares no @Hash and @Equals methods (a " + container.getSimpleName()
                + " compares keys by content; to key by identity, use a Ref" + container.getSimpleName().substring(3) + ")");
        }
        return (KeyMethods<CyObject>) methods;
    }

    /** {@return the hash the index uses for a key: the murmur3 finalizer of its {@code @Hash} method's} */
    static long hash(KeyMethods<CyObject> methods, CyObject key) {
        return HashStorage.hash(methods.hash(key));
    }

    /**
     * Checks a key about to be inserted: not null, frozen.
     *
     * @throws IllegalArgumentException if the key is not frozen
     */
    static CyObject frozen(CyObject key, Class<?> container) {
        long instance = OBJECTS.use(Objects.requireNonNull(key, "a " + container.getSimpleName() + " has no null key"));
        if (CyObjectHeader.capability(RefCount.state(instance)) != CyObjectHeader.FROZEN) {
            throw notFrozen(key, container);
        }
        return key;
    }

    private static IllegalArgumentException notFrozen(CyObject key, Class<?> container) {
        return new IllegalArgumentException("cannot insert " + key + " into a " + container.getSimpleName()
            + ": a key compared by content must be frozen, so that its hash cannot change while it is a key; freeze it"
            + " first (Frozen<K> key = Isolated.consume(k).freeze(), then insert key.get())");
    }

    /**
     * Finds the index slot of the entry whose key equals {@code probe} by content.
     *
     * @param container the container, whose address {@code self} the caller just checked
     * @param self the container's address, just checked
     * @param methods the key cypclass's {@code @Hash} and {@code @Equals} methods
     * @param probe the key looked up, open
     * @param h its hash ({@link #hash})
     * @param hashAt where the entries keep their hash
     * @return the slot, or -1 if no key is equal
     * @throws ConcurrentModificationException if the {@code @Equals} method changed the container
     */
    static long slot(HashContainer container, long self, KeyMethods<CyObject> methods, CyObject probe, long h,
                     long hashAt) {
        long stride = container.stride();
        // Open and alive, so that its instance is not one a stored key now reuses.
        long probeInstance = OBJECTS.use(probe);
        long modCount = HashStorage.modCount(self);
        long index = HashStorage.index(self);
        for (long slot = HashStorage.nextWithHash(self, h, -1, stride, hashAt); slot >= 0;
                slot = HashStorage.nextWithHash(self, h, slot, stride, hashAt)) {
            long key = HashStorage.load(HashStorage.entryAt(self, slot, stride));
            if (key == probeInstance) {
                return slot;
            }
            boolean equal = methods.equal(probe, OBJECTS.borrow(container, key));
            // User code ran: the container must be as it was before its words are read again.
            long now = OBJECTS.read(container);
            if (now != self || HashStorage.modCount(now) != modCount || HashStorage.index(now) != index) {
                throw new ConcurrentModificationException("the @Equals method of " + probe.getClass().getName()
                    + " changed " + container + " during a lookup");
            }
            if (equal) {
                return slot;
            }
        }
        return -1;
    }

    /** {@return the entry at a slot {@link #slot} found, or 0 for -1} */
    static long entry(long self, long slot, long stride) {
        return slot < 0 ? 0 : HashStorage.entryAt(self, slot, stride);
    }
}
