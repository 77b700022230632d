package org.cypclass.objects.internal;

/**
 * The values of a reference's access word ({@code CyObject.owner}) besides thread ids: what
 * the fast path of every use compares with the calling thread's id.
 *
 * <pre>
 *   id                 owned, read and write, by thread id (no stamp check: it holds a count)
 *   ~id                borrowed, read and write, by thread id (stamp checked)
 *   id | READ_ONLY     a read guard's view, read only, by thread id
 *   FROZEN             owned reference to a frozen object: any thread reads, nobody writes
 *   FROZEN_BORROWED    borrowed reference to a frozen object: any thread reads (stamp checked)
 *   VALUE_ONLY         a locked object outside a guard: stored, passed, never its fields
 *   0                  closed, or decided out of line (guards, dying handles, shared objects)
 * </pre>
 * Thread ids are positive and far below {@code 2^62}, so no two rows meet.
 */
public final class Words {

    /** Set on a thread id: the reference may read but not write. */
    public static final long READ_ONLY = 1L << 62;
    /** An owned reference to a frozen object. */
    public static final long FROZEN = Long.MIN_VALUE;
    /** A borrowed reference to a frozen object. */
    public static final long FROZEN_BORROWED = Long.MIN_VALUE + 1;
    /** A reference to a locked object held outside a guard. */
    public static final long VALUE_ONLY = Long.MIN_VALUE + 2;

    private Words() {
    }
}
