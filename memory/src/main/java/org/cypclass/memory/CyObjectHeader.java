package org.cypclass.memory;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Descriptor of the {@code CyObject} header that starts every cypclass instance.
 *
 * <p>The layout follows Cython+'s {@code struct CyObject : PyObject}: the two words of the
 * Python object head first, then the nogil reference count, then the words this library needs
 * for capabilities. The C declaration of the same struct is
 * {@code memory/src/main/c/include/cypclass/cyobject.h}; a gcc-compiled test checks that every
 * offset and the size agree on the build platform, and that every public constant of this class
 * has a C twin of the same value ({@code CY_LOCAL}, {@code CY_LOCK_WRITER}, ...).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                    ob_refcnt (int64)                          |  0  references from the
 * |                                                               |     garbage-collected world
 * +---------------------------------------------------------------+
 * |                    ob_type (pointer to CyTypeObject)          |  8
 * |                                                               |
 * +-------------------------------+-------------------------------+
 * |   nogil_ob_refcnt (int32)     |   ob_state (int32)            | 16
 * +-------------------------------+-------------------------------+
 * |        ob_owner (int64 owner thread id | -1 shared | 0 dead)      | 24
 * |                                                               |
 * +---------------------------------------------------------------+
 *                                                         size 32, alignment 8
 * </pre>
 *
 * <h2>The state word</h2>
 * <pre>
 *   bits 0..3   capability: {@link #DEAD}, {@link #LOCAL}, {@link #SHARED}, {@link #LOCKED},
 *               {@link #LOCKED_MEMBER}, {@link #FROZEN}, {@link #ACTIVE}
 *   bit  4      {@link #ATOMIC_REFCOUNT}: the nogil count is updated with atomic instructions
 *   bits 8..31  the reader-writer lock of a locked object: {@link #WRITER}, {@link #WRITER_WAITING},
 *               {@link #PARKED} and the reader count from bit 11 ({@link #READER} each)
 * </pre>
 * An isolated graph keeps the thread-local code of its sender until a thread adopts it: only
 * the {@code Isolated} holder can reach it meanwhile. Locked, frozen and the objects inside a
 * locked graph count atomically ({@code ob_owner} = {@link #OWNER_SHARED}).
 * A thread-local object has the state word exactly equal to {@link #LOCAL}, and its
 * {@code ob_owner} holds the id of its owner thread: the hot path of every reference-count
 * operation compares {@code ob_owner} with the calling thread's id (one load), and reads the
 * state word only off that path.
 */
public final class CyObjectHeader {

    /** Offset of {@code ob_refcnt}: the count of garbage-collected references, int64. */
    public static final long OB_REFCNT = 0;
    /** Offset of {@code ob_type}: the address of the instance's native {@code CyTypeObject}. */
    public static final long OB_TYPE = 8;
    /** Offset of {@code nogil_ob_refcnt}: the count of deterministic references, int32. */
    public static final long NOGIL_OB_REFCNT = 16;
    /** Offset of {@code ob_state}: capability, reference-count mode and lock bits, int32. */
    public static final long OB_STATE = 20;
    /**
     * Offset of {@code ob_owner}, int64: the counting mode. The id of the owning thread while
     * thread-local (plain counting), {@link #OWNER_SHARED} once counting is atomic, 0 when
     * dead. No thread has id 0 or -1.
     */
    public static final long OB_OWNER = 24;
    /** Size of the header in bytes; the fields of an instance start here. */
    public static final long SIZE = 32;
    /** Alignment of the header in bytes: every field is naturally aligned for atomic access. */
    public static final long ALIGNMENT = 8;

    /** Capability code of a destroyed object (and of a freshly freed block). */
    public static final int DEAD = 0;
    /** Capability code of a thread-local object: only its owner thread may touch it. */
    public static final int LOCAL = 1;
    /** Capability code of an object that any thread may retain and release. */
    public static final int SHARED = 2;
    /**
     * Capability code of the root of a locked graph: any thread may hold it, its fields are
     * reached only inside a read or write guard of the lock in the state word's high bits.
     */
    public static final int LOCKED = 3;
    /** Capability code of an object inside a locked graph: reached only under its root's guard. */
    public static final int LOCKED_MEMBER = 4;
    /** Capability code of a frozen object: read-only, any thread reads it without a lock. */
    public static final int FROZEN = 5;
    /** Capability code of an active object (an actor): its graph is reached only by its messages. */
    public static final int ACTIVE = 6;
    /** Lock bit: a writer holds the lock. */
    public static final int WRITER = 1 << 8;
    /** Lock bit: a writer waits; new readers wait behind it (no writer starvation). */
    public static final int WRITER_WAITING = 1 << 9;
    /** Lock bit: some thread is parked on the lock; the releasing thread must wake it. */
    public static final int PARKED = 1 << 10;
    /** One reader in the lock's reader count (bits 11 to 31). */
    public static final int READER = 1 << 11;
    /** Mask of the lock's reader count. */
    public static final int READERS = -READER;
    /** Value of {@code ob_owner} once the count is updated atomically by any thread. */
    public static final long OWNER_SHARED = -1L;
    /** Mask of the capability code in the state word. */
    public static final int CAPABILITY_MASK = 0xF;
    /** State bit set once the nogil count must be updated atomically; never cleared. */
    public static final int ATOMIC_REFCOUNT = 1 << 4;

    /** The header as a C-compatible struct layout with named fields. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("ob_refcnt"),
            ValueLayout.ADDRESS.withName("ob_type"),
            ValueLayout.JAVA_INT.withName("nogil_ob_refcnt"),
            ValueLayout.JAVA_INT.withName("ob_state"),
            ValueLayout.JAVA_LONG.withName("ob_owner"))
        .withName("CyObject");

    static {
        // The constants above are what hot paths use; the layout is what C and tools see.
        check("ob_refcnt", OB_REFCNT);
        check("ob_type", OB_TYPE);
        check("nogil_ob_refcnt", NOGIL_OB_REFCNT);
        check("ob_state", OB_STATE);
        check("ob_owner", OB_OWNER);
        if (LAYOUT.byteSize() != SIZE || LAYOUT.byteAlignment() != ALIGNMENT) {
            throw new AssertionError("CyObject header layout is " + LAYOUT);
        }
    }

    private CyObjectHeader() {
    }

    /**
     * {@return the capability code of a state word: one of {@link #DEAD}, {@link #LOCAL},
     * {@link #SHARED} or a later capability code}
     *
     * @param state a value read from {@code ob_state}
     */
    public static int capability(int state) {
        return state & CAPABILITY_MASK;
    }

    /**
     * {@return a readable name for a state word, for messages and debugging: for example
     * {@code "local"} or {@code "shared (atomic)"}}
     *
     * @param state a value read from {@code ob_state}
     */
    public static String describeState(int state) {
        String capability = switch (capability(state)) {
            case DEAD -> "dead";
            case LOCAL -> "thread-local";
            case SHARED -> "shared";
            case LOCKED -> "locked";
            case LOCKED_MEMBER -> "inside a locked graph";
            case FROZEN -> "frozen";
            case ACTIVE -> "active";
            default -> "capability " + capability(state);
        };
        return (state & ATOMIC_REFCOUNT) != 0 ? capability + " (atomic count)" : capability;
    }

    private static void check(String field, long offset) {
        long actual = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
        if (actual != offset) {
            throw new AssertionError(field + " is at " + actual + ", expected " + offset);
        }
    }
}
