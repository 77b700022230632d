package org.cypclass.objects.internal;

import org.cypclass.objects.CyObject;

/**
 * What the library's built-in cypclasses (the containers of {@code org.cypclass.objects.containers})
 * need from the package-private core of {@code org.cypclass.objects}: the capability check of
 * every use and the store and borrow rules of reference fields (their types are defined
 * through {@link TypesAccess}). The JDK's {@code SharedSecrets} pattern: the core implements
 * this interface and registers the one instance with {@link SharedSecrets}; this package is not
 * exported, so applications on the module path cannot reach it.
 *
 * <p><b>Unsafe.</b> Methods return raw instance addresses; callers keep them inside their own
 * method and never hand them to users.
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
     * @param holder the reference whose instance holds the slot (what may hold what depends on
     *        its capability)
     * @param declared the declared type of the slot
     * @param value the reference to store, or null
     * @return the retained instance's address, or 0 for null
     * @throws ClassCastException if {@code value} is not a {@code declared}
     * @throws IllegalStateException if {@code value} is closed or its borrowed target died, or
     *         (a {@code CapabilityException}) the store breaks a capability rule
     * @throws WrongThreadException if its instance is thread-local to another thread
     */
    long retainForStore(CyObject holder, Class<? extends CyObject> declared, CyObject value);

    /**
     * Releases a count taken by {@link #retainForStore}; may destroy the instance.
     *
     * @param instance an address returned by {@link #retainForStore}, not 0
     */
    void release(long instance);

    /**
     * Returns a borrowed reference to {@code target}, read from a slot of {@code holder}, as a
     * reference-field getter does (the thread's borrow cache; a holder read through a guard of a
     * locked graph gives a reference checked against that guard).
     *
     * @param holder the reference whose instance holds the slot, just checked by {@link #read}
     * @param target the live instance the slot holds, not 0
     * @return a borrowed reference of the target's runtime class
     */
    CyObject borrow(CyObject holder, long target);

    /**
     * Points a cursor's element reference at {@code target}: a borrowed reference owned by the
     * cursor and re-pointed at each step, so that a walk over a million elements allocates
     * nothing. Reuses {@code reused} when it is of the target's runtime class. Under a guard of
     * a locked graph (a holder read through the guard) it borrows as {@link #borrow} does
     * instead, since such references must die with the guard.
     *
     * @param holder the reference whose instance holds the slot, just checked by {@link #read}
     * @param reused the cursor's previous element reference, or null
     * @param target the live instance to point at, not 0
     * @return {@code reused} re-pointed, or a new borrowed reference
     */
    CyObject repoint(CyObject holder, CyObject reused, long target);

    /**
     * Returns the instance a reference refers to, or referred to before it was closed: what
     * its {@code equals} compares.
     *
     * @param reference a reference, open or not
     * @return its instance's address, 0 if it was never bound
     */
    long identity(CyObject reference);

    /**
     * {@return the allocator type id of a cypclass, 0 for {@code CyObject.class}}
     *
     * @param cypclass a cypclass, or {@code CyObject.class} for any
     */
    int typeIdOf(Class<? extends CyObject> cypclass);

    /**
     * {@return the cypclass of an allocator type id, {@code CyObject.class} for 0}
     *
     * @param typeId an id returned by {@link #typeIdOf}
     */
    Class<? extends CyObject> classOf(int typeId);

    /**
     * Returns the instance of an owned (deterministic) reference that the calling thread may
     * write through, the reference {@code consume} takes over.
     *
     * @param reference a reference
     * @return its instance's address
     * @throws IllegalArgumentException if it is borrowed, garbage-collected or a guard's view
     * @throws IllegalStateException if it is closed, or its instance is not thread-local
     * @throws WrongThreadException if its instance is thread-local to another thread
     */
    long ownedInstance(CyObject reference);

    /**
     * Closes a reference without giving its count back: the count now belongs to the caller.
     *
     * @param reference an open owned reference
     */
    void disown(CyObject reference);

    /**
     * Makes an owned reference to {@code instance} of its runtime class, its access word from
     * the header (thread-local, frozen or locked); the caller has taken the count it owns.
     *
     * @param instance a live instance
     * @return the new reference
     */
    CyObject wrapOwned(long instance);

    /**
     * Makes the view a guard hands out of a locked root: no count, unusable until
     * {@link #setWord} opens it, checked by {@code token} out of line.
     *
     * @param instance the locked root
     * @param token its holder's guard token
     * @return the view
     */
    CyObject guardView(long instance, GuardToken token);

    /**
     * Makes a reference to an object of a locked graph, usable only while {@code token}'s
     * guard is open on the calling thread (as a field read through the guard returns).
     *
     * @param instance a live object of the locked graph
     * @param token the guard token of the graph's root holder
     * @return the reference, owning no count
     */
    CyObject guardedMember(long instance, GuardToken token);

    /**
     * Sets a reference's access word (see {@code Words}): how a guard opens and closes its view.
     *
     * @param reference a guard view
     * @param word the calling thread's id, that id with {@code READ_ONLY}, or 0
     */
    void setWord(CyObject reference, long word);

    /**
     * Makes a borrowed reference to a locked root that may be stored and passed but never read
     * through ({@code VALUE_ONLY}), valid while the instance lives.
     *
     * @param instance a live locked root
     * @return the handle
     */
    CyObject lockedHandle(long instance);

    /**
     * Returns the instance a reference may be used for (not its fields), as a store does.
     *
     * @param reference an open reference
     * @return its instance's address
     */
    long use(CyObject reference);

    /**
     * Makes a {@code CyStr} instance from {@code length} bytes of UTF-8 at {@code offset} of
     * {@code utf8}, frozen from birth, with no Java reference: the caller (a string-keyed
     * container, for a key it did not hold before) owns its one count and gives it back with
     * {@link #release}.
     *
     * @param utf8 the bytes
     * @param offset where they start
     * @param length how many
     * @return the new instance's address, owning one count
     * @throws IndexOutOfBoundsException if the range is outside {@code utf8}
     * @throws IllegalArgumentException if the bytes are not well-formed UTF-8 or too long
     */
    long newStr(java.lang.foreign.MemorySegment utf8, long offset, long length);
}
