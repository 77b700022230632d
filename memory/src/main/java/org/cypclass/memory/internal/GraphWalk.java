package org.cypclass.memory.internal;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import org.cypclass.memory.CyObjectHeader;

import static org.cypclass.memory.CyObjectHeader.CAPABILITY_MASK;
import static org.cypclass.memory.CyObjectHeader.LOCAL;
import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * Walks the thread-local graph reachable from one object: the check behind {@code consume}
 * (is the graph referenced only from inside itself and from one reference?) and the switch of
 * a whole isolated graph to another owner or capability (adopt, lock, freeze).
 *
 * <h2>What a graph is</h2>
 * The root, and every object reachable from it through reference slots (each type's
 * {@link ReferenceVisitor}) that is thread-local to the graph's owner. The walk stops at
 * objects of any other capability (locked, frozen, shared, later active): they are shareable
 * by themselves and stay outside, as in Cython+'s {@code CyObject_iso}. A slot that holds an
 * object thread-local to another thread makes the graph not isolated.
 *
 * <h2>The check: trial deletion</h2>
 * <ol>
 *   <li>Breadth first from the root, save each object's nogil count when first reached and
 *       mark it (its count made negative: {@link #MARK} added), then subtract one from a
 *       target's count for every slot of the graph that points at it.</li>
 *   <li>What is left in a count are the references from outside the graph: the root may keep
 *       exactly one (the reference being consumed), every other object none.</li>
 *   <li>Put back every count saved, which clears the marks too, whatever the verdict.</li>
 * </ol>
 * Garbage-collected references hold one nogil count together, and C-held ones their own, so
 * both are seen as outside references. The visited objects sit in one {@code long[]} that is
 * both the queue and the list of the graph (no recursion: a list of a million nodes or a deep
 * tree walks in constant stack). The array is kept per thread and reused, so a walk allocates
 * nothing on the Java heap once it has grown to the graph's size; arrays beyond a million
 * entries are dropped after use rather than kept.
 *
 * <p><b>Unsafe.</b> Addresses are live objects thread-local to the calling thread (the check)
 * or to a graph owner that can no longer touch them (the switch); counts are moved with plain
 * loads and stores.
 *
 * <p>Thread-safety: confined to the owning thread: each thread uses its own walker; a walk
 * calls no user code.
 */
public final class GraphWalk implements ReferenceVisitor.Slot {

    private static final VarHandle COUNT = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final VarHandle STATE = ValueLayout.JAVA_INT_UNALIGNED.varHandle();
    private static final VarHandle OWNER = ValueLayout.JAVA_LONG.varHandle();
    private static final long COUNT_AT = CyObjectHeader.NOGIL_OB_REFCNT;
    private static final long STATE_AT = CyObjectHeader.OB_STATE;
    private static final long OWNER_AT = CyObjectHeader.OB_OWNER;
    private static final int KEPT_CAPACITY = 1 << 20;
    /**
     * Added to a count when its object is first reached: live counts are positive, so a
     * negative count marks a visited object (no other header word is written), and the count
     * minus MARK is what the walk left of it.
     */
    private static final int MARK = Integer.MIN_VALUE;

    private static final ThreadLocal<GraphWalk> WALKERS = ThreadLocal.withInitial(GraphWalk::new);

    private static final int SUBTRACT = 0;
    private static final int SWITCH = 1;

    private long[] nodes = new long[64];
    /** For the check: each node's nogil count before the walk subtracted anything from it. */
    private int[] counts = new int[64];
    private int size;
    private int mode;
    private long graphOwner;
    private int newState;
    private long newOwner;
    private long foreign;

    /** The object referenced from outside found by the last {@link #check}, or 0. */
    private long outsider;
    /** How many outside references {@link #outsider} has. */
    private int outsideCount;

    private GraphWalk() {
    }

    /**
     * The result of a {@link #check}: isolated, or the first object found referenced from
     * outside the graph (or belonging to another thread).
     *
     * @param outsider 0 if the graph is isolated, else the object that is not
     * @param outsideReferences how many references to it come from outside the graph
     *        ({@code -1}: it is thread-local to another thread)
     */
    public record Verdict(long outsider, int outsideReferences) {

        /**
         * {@return whether the graph is isolated: no object of it is referenced from outside it}
         */
        public boolean isolated() {
            return outsider == 0;
        }
    }

    /**
     * Tells whether the graph of {@code root} is referenced only from inside itself and from
     * exactly one reference to the root (trial deletion, see the class doc). Nothing changes.
     * On success the stamp of every object of the graph is renewed when {@code renewStamps}
     * is set, so that borrowed references taken before stop working.
     *
     * @param root a live object thread-local to the calling thread
     * @param renewStamps whether an isolated graph's stamps are renewed
     * @return the verdict; allocates nothing when isolated
     */
    public static Verdict check(long root, boolean renewStamps) {
        GraphWalk walk = WALKERS.get();
        walk.trialDeletion(root);
        if (walk.outsider == 0 && renewStamps) {
            // Two renewals per object: this one and the switch of capability that may follow
            // (switchGraph); refused before anything changes if a stamp would repeat.
            for (int i = 0; i < walk.size; i++) {
                if (!Allocator.canRenewStamp(walk.nodes[i], 2)) {
                    long exhausted = walk.nodes[i];
                    walk.done();
                    throw Allocator.stampsExhausted(exhausted);
                }
            }
            for (int i = 0; i < walk.size; i++) {
                Allocator.renewStamp(walk.nodes[i]);
            }
        }
        long outsider = walk.outsider;
        int count = walk.outsideCount;
        walk.done();
        return outsider == 0 ? ISOLATED : new Verdict(outsider, count);
    }

    private static final Verdict ISOLATED = new Verdict(0, 0);

    /**
     * Switches every object of the isolated graph of {@code root} (thread-local to
     * {@code graphOwner}) to a new state and owner word, renewing each stamp. The root takes
     * {@code rootState}, the others {@code memberState}.
     *
     * @param root the graph's root, checked isolated by {@link #check}
     * @param graphOwner the thread id its objects are thread-local to
     * @param rootState the root's new state word
     * @param memberState the other objects' new state word
     * @param owner the new {@code ob_owner}: a thread id, or {@link CyObjectHeader#OWNER_SHARED}
     * @return how many objects were switched
     */
    public static int switchGraph(long root, long graphOwner, int rootState, int memberState, long owner) {
        if (owner == graphOwner && rootState == LOCAL && memberState == LOCAL) {
            return 0;       // adopted by the thread that owns it already
        }
        GraphWalk walk = WALKERS.get();
        walk.mode = SWITCH;
        walk.graphOwner = graphOwner;
        walk.newState = memberState;
        walk.newOwner = owner;
        walk.size = 0;
        walk.switchOne(root, rootState);
        walk.add(root);
        for (int i = 0; i < walk.size; i++) {
            long object = walk.nodes[i];
            BlockTypes.references(Allocator.typeOf(object)).forEachReference(object, walk);
        }
        int switched = walk.size;
        walk.done();
        return switched;
    }

    private void trialDeletion(long root) {
        graphOwner = (long) OWNER.get(ALL, root + OWNER_AT);
        outsider = 0;
        outsideCount = 0;
        foreign = 0;
        size = 0;
        mode = SUBTRACT;
        int rootCount = (int) COUNT.get(ALL, root + COUNT_AT);
        add(root, rootCount);
        COUNT.set(ALL, root + COUNT_AT, MARK + rootCount);
        try {
            for (int i = 0; i < size; i++) {
                long object = nodes[i];
                BlockTypes.references(Allocator.typeOf(object)).forEachReference(object, this);
            }
        } finally {
            // One pass: what is left in each count is its outside references; then the count
            // saved at discovery goes back and the mark goes away, whatever happened.
            for (int i = 0; i < size; i++) {
                long object = nodes[i];
                int left = (int) COUNT.get(ALL, object + COUNT_AT) - MARK - (i == 0 ? 1 : 0);
                if (left > 0 && outsider == 0) {
                    outsider = object;
                    outsideCount = left;
                }
                COUNT.set(ALL, object + COUNT_AT, counts[i]);
            }
        }
        if (foreign != 0) {
            outsider = foreign;
            outsideCount = -1;
        }
    }

    @Override
    public void visit(long offset, long target) {
        long owner = (long) OWNER.get(ALL, target + OWNER_AT);
        if (mode == SWITCH) {
            if (owner == graphOwner
                    && ((int) STATE.get(ALL, target + STATE_AT) & CAPABILITY_MASK) == LOCAL) {
                switchOne(target, newState);
                add(target);
            }
            return;
        }
        if (owner != graphOwner) {
            // -1: locked, frozen or shared, shareable by itself and not part of the graph;
            // another thread's id: a thread-local object the graph must not hold.
            if (owner > 0 && foreign == 0) {
                foreign = target;
            }
            return;
        }
        int count = (int) COUNT.get(ALL, target + COUNT_AT);
        if (count >= 0) {
            add(target, count);     // first reached: its count is saved, and marked by going negative
            count += MARK;
        }
        COUNT.set(ALL, target + COUNT_AT, count - 1);
    }

    private void switchOne(long object, int state) {
        Allocator.renewStamp(object);
        STATE.set(ALL, object + STATE_AT, state);
        OWNER.setRelease(ALL, object + OWNER_AT, newOwner);
    }

    private void add(long object) {
        if (size == nodes.length) {
            nodes = Arrays.copyOf(nodes, 2 * size);
        }
        nodes[size++] = object;
    }

    private void add(long object, int count) {
        if (size == counts.length) {
            counts = Arrays.copyOf(counts, 2 * size);
        }
        counts[size] = count;
        add(object);
    }

    private void done() {
        size = 0;
        if (nodes.length > KEPT_CAPACITY) {
            nodes = new long[64];
        }
        if (counts.length > KEPT_CAPACITY) {
            counts = new int[64];
        }
    }
}
