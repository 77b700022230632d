package org.cypclass.objects;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.RefCount;

/**
 * The capability check every use of a reference goes through, and the exceptions it throws.
 *
 * <p>The hot path is two comparisons: the reference is open (its address is not 0) and the
 * instance's {@code ob_owner} is the calling thread. Everything else is decided out of line.
 *
 * <p>Thread-safety: stateless.
 */
final class Access {

    private Access() {
    }

    /**
     * Returns the instance address of an open reference usable by the calling thread.
     *
     * @throws IllegalStateException if the reference is closed
     * @throws WrongThreadException if the instance is thread-local to another thread
     */
    static long use(CyObject self) {
        long instance = self.address;
        if (instance != 0 && RefCount.isOwnedByCurrentThread(instance)) {
            return instance;
        }
        return useSlow(self, "use");
    }

    /**
     * Checks that the calling thread may use an open reference's instance, without taking
     * the reference itself (for paths that must not let it escape).
     *
     * @throws WrongThreadException if the instance is thread-local to another thread
     */
    static void checkUsable(long instance, Class<?> type) {
        if (!RefCount.isOwnedByCurrentThread(instance)) {
            long owner = RefCount.owner(instance);
            Thread current = Thread.currentThread();
            throw new WrongThreadException(String.format("<%s object at 0x%x>", type.getName(), instance)
                + " is thread-local to " + describeThread(owner) + "; thread \"" + current.getName() + "\" (id "
                + current.threadId() + ") may not close a reference to it");
        }
    }

    /** The address of a field for reading; a dealloc hook may read its dying instance. */
    static long read(CyObject self, long offset) {
        long instance = self.address;
        if (instance != 0 && RefCount.isOwnedByCurrentThread(instance)) {
            return instance + offset;
        }
        return useSlow(self, "read a field of") + offset;
    }

    /** The address of a field for writing. */
    static long write(CyObject self, long offset) {
        long instance = self.address;
        if (instance != 0 && RefCount.isOwnedByCurrentThread(instance)) {
            return instance + offset;
        }
        return useSlow(self, "write a field of") + offset;
    }

    /** The address of an array element for reading, the index checked against the length. */
    static long readElement(CyObject self, long index, long offset, long length, long elementSize) {
        return read(self, offset) + java.util.Objects.checkIndex(index, length) * elementSize;
    }

    /** The address of an array element for writing, the index checked against the length. */
    static long writeElement(CyObject self, long index, long offset, long length, long elementSize) {
        return write(self, offset) + java.util.Objects.checkIndex(index, length) * elementSize;
    }

    private static long useSlow(CyObject self, String what) {
        long instance = self.address;
        if (instance == 0) {
            throw new IllegalStateException("cannot " + what + " " + self.getClass().getName()
                + ": this reference is closed (or was never created by a factory); take another reference with"
                + " newReference() before closing this one");
        }
        if (self.kind == CyObject.DYING) {
            return instance;
        }
        long owner = RefCount.owner(instance);
        if (owner == 0) {
            throw new IllegalStateException("cannot " + what + " " + self + ": the instance is dead (its last count"
                + " was released through another path); keep a reference open for as long as you use it");
        }
        Thread current = Thread.currentThread();
        if (owner == CyObjectHeader.OWNER_SHARED) {
            throw new IllegalStateException("cannot " + what + " " + self
                + " directly: the instance is shared; use it through a capability");
        }
        throw new WrongThreadException(self + " is thread-local to " + describeThread(owner) + "; thread \""
            + current.getName() + "\" (id " + current.threadId() + ") may not " + what + " it");
    }

    /** Names a thread from its id, for messages: looking it up is slow, but only errors do it. */
    static String describeThread(long id) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.threadId() == id) {
                return "thread \"" + thread.getName() + "\" (id " + id + ")";
            }
        }
        return "the thread with id " + id + " (no longer running)";
    }
}
