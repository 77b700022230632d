package org.cypclass.objects.internal;

import java.util.function.LongConsumer;

import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;

/**
 * What the library's built-in cypclasses (the containers of {@code org.cypclass.objects.containers})
 * need from the package-private core of {@code org.cypclass.objects}: the capability check of
 * every use, the store and borrow rules of reference fields, and a destructor hook. The JDK's
 * {@code SharedSecrets} pattern: the core implements this interface and registers the one
 * instance with {@link SharedSecrets}; this package is not exported, so applications on the
 * module path cannot reach it.
 *
 * <p><b>Unsafe.</b> Methods return raw instance addresses; callers keep them inside their own
 * method and never hand them to users.
 *
 * <p>Thread-safety: stateless; each method checks the calling thread as its contract says.
 */
public interface ObjectsAccess {

    /**
     * Returns the instance address of a reference for reading, after the check every field
     * read makes (open, target alive, usable by the calling thread; a dying handle may read).
     *
     * @param self a reference
     * @return its instance's address
     * @throws IllegalStateException if the reference is closed or its borrowed target died
     * @throws WrongThreadException if the instance is thread-local to another thread
     */
    long read(CyObject self);

    /**
     * Returns the instance address of a reference for writing, after the check every field
     * write makes.
     *
     * @param self a reference
     * @return its instance's address
     * @throws IllegalStateException if the reference is closed or its borrowed target died
     * @throws WrongThreadException if the instance is thread-local to another thread
     */
    long write(CyObject self);

    /**
     * Takes the count a slot stores, as a reference-field set does before it writes: checks
     * that {@code value} is an instance of {@code declared}, open and usable by the calling
     * thread, then retains its instance.
     *
     * @param declared the declared type of the slot
     * @param value the reference to store, or null
     * @return the retained instance's address, or 0 for null
     * @throws ClassCastException if {@code value} is not a {@code declared}
     * @throws IllegalStateException if {@code value} is closed or its borrowed target died
     * @throws WrongThreadException if its instance is thread-local to another thread
     */
    long retainForStore(Class<? extends CyObject> declared, CyObject value);

    /**
     * Releases a count taken by {@link #retainForStore}; may destroy the instance.
     *
     * @param instance an address returned by {@link #retainForStore}, not 0
     */
    void release(long instance);

    /**
     * Returns a borrowed reference to {@code target}, read from a slot of {@code holder}, as a
     * reference-field getter does (the thread's borrow cache).
     *
     * @param holder the reference whose instance holds the slot, just checked by {@link #read}
     * @param target the live instance the slot holds, not 0
     * @return a borrowed reference of the target's runtime class
     */
    CyObject borrow(CyObject holder, long target);

    /**
     * Points a cursor's element reference at {@code target}: a borrowed reference owned by the
     * cursor and re-pointed at each step, so that a walk over a million elements allocates
     * nothing. Reuses {@code reused} when it is of the target's runtime class.
     *
     * @param reused the cursor's previous element reference, or null
     * @param target the live instance to point at, not 0
     * @return {@code reused} re-pointed, or a new borrowed reference
     */
    CyObject repoint(CyObject reused, long target);

    /**
     * Returns the instance a reference refers to, or referred to before it was closed: what
     * its {@code equals} compares.
     *
     * @param reference a reference, open or not
     * @return its instance's address, 0 if it was never bound
     */
    long identity(CyObject reference);

    /**
     * Returns the allocator type id of a cypclass.
     *
     * @param cypclass a cypclass, or {@code CyObject.class} for any
     * @return its type id, 0 for {@code CyObject.class}
     */
    int typeIdOf(Class<? extends CyObject> cypclass);

    /**
     * Returns the cypclass of an allocator type id.
     *
     * @param typeId an id returned by {@link #typeIdOf}
     * @return its cypclass, {@code CyObject.class} for 0
     */
    Class<? extends CyObject> classOf(int typeId);

    /**
     * Builds a type whose destructor also runs {@code release} on the dying instance, after
     * its reference fields: how a container releases its elements and frees its storage.
     *
     * @param builder a builder, ready to build
     * @param release receives the dying instance's address; must not recurse into deaths
     *        (releases through {@link #release} are queued by the destruction loop)
     * @param <T> the cypclass
     * @return the built type
     */
    <T extends CyObject> CyType<T> buildWithRelease(CyType.Builder<T> builder, LongConsumer release);
}
