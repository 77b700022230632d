package org.cypclass.objects;

import java.lang.foreign.ValueLayout;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.NativeAccess;
import org.cypclass.memory.internal.Orphans;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.memory.internal.ThreadNames;
import org.cypclass.objects.capabilities.CapabilityException;
import org.cypclass.objects.internal.GuardToken;

/**
 * The thread rules of a call from C ({@code org.cypclass.objects.generated.CExports}): the
 * Java reference through which an exported method runs on the object C passed, or the
 * refusal, as a {@link CCallException} carrying its {@code CY_E*} status.
 *
 * <p>Which reference, by the receiver's capability:
 * <ul>
 *   <li>thread-local to the calling thread: the thread's borrowed reference
 *       ({@link BorrowCache#borrowLive}), as a field read would give; nothing allocated once
 *       cached. Thread-local to another thread (a native thread is never the owner of an object
 *       Java made): refused before any user code runs.</li>
 *   <li>frozen: the borrowed reference, which reads and refuses writes.</li>
 *   <li>locked: a guard view whose token ({@link CLock}) accepts reads while the lock word holds
 *       a writer or readers and writes while it holds a writer; the thread's last one is reused
 *       for the same allocation. The word does not say which
 *       thread holds the lock, so a caller that does not hold it while another thread does is
 *       not caught: C must hold the lock, as {@code cyobject.h} says. Refused at once if nobody
 *       holds it.</li>
 *   <li>anything else (active, inside a locked graph, dead): refused.</li>
 * </ul>
 * C must hold a count of the receiver for the call, as for {@code Cy_DECREF}: the header is
 * read to decide, so a freed block is recognised only while its memory is the allocator's.
 */
final class CCalls {

    /**
     * The calling thread's last view of a locked receiver, reused while it names the same
     * allocation (address and stamp), so that repeated calls under C's lock allocate nothing.
     */
    private static final ThreadLocal<CyObject> LOCKED_VIEW = new ThreadLocal<>();

    private CCalls() {
    }

    /**
     * {@return a reference through which the calling thread may call a method of the object at
     * {@code self}, of {@code type} or a subclass}
     *
     * @throws CCallException if it may not, with the status C gets
     */
    static CyObject receiver(CyType<?> type, long self) {
        if (self != 0 && RefCount.owner(self) == Thread.currentThread().threadId()
                && NativeAccess.ALL.get(ValueLayout.JAVA_LONG, self + CyObjectHeader.OB_TYPE) == type.typeObject()) {
            return BorrowCache.borrowLive(self);
        }
        return receiverSlow(type, self);
    }

    private static CyObject receiverSlow(CyType<?> type, long self) {
        Class<?> cypclass = type.javaClass();
        checkObject(cypclass, self, false);
        long owner = RefCount.owner(self);
        int state = RefCount.state(self);
        int capability = CyObjectHeader.capability(state);
        if (owner > 0) {
            return threadLocal(self, owner, cypclass);
        }
        return switch (capability) {
            case CyObjectHeader.FROZEN -> BorrowCache.borrowLive(self);
            case CyObjectHeader.LOCKED -> {
                if ((state & (CyObjectHeader.WRITER | CyObjectHeader.READERS)) == 0) {
                    throw new CCallException(CCallException.NOT_LOCKED, callOf(cypclass) + ": " + RefCount.describe(self)
                        + " is locked and nobody holds its lock; take it first with Cy_WLOCK (Cy_RLOCK for a method"
                        + " that only reads)");
                }
                yield lockedView(self);
            }
            case CyObjectHeader.ACTIVE -> throw new CCallException(CCallException.CAPABILITY, callOf(cypclass) + ": "
                + RefCount.describe(self) + " is active; only its own messages reach it (Active.tell or ask, from Java)");
            case CyObjectHeader.LOCKED_MEMBER -> throw new CCallException(CCallException.CAPABILITY, callOf(cypclass) + ": "
                + RefCount.describe(self) + " is inside a locked graph; only its root's methods are exported to C calls");
            default -> throw new CCallException(CCallException.CAPABILITY, callOf(cypclass) + ": " + RefCount.describe(self)
                + " is " + CyObjectHeader.describeState(state) + "; C may call methods only of a live object it holds"
                + " a count of, thread-local to the calling thread, frozen, or locked with its lock held");
        };
    }

    private static CyObject lockedView(long self) {
        long stampAt = Allocator.stampAddress(self);
        long stamp = Allocator.stamp(stampAt);
        CyObject view = LOCKED_VIEW.get();
        if (view != null && view.address == self && view.stampAt == stampAt && view.stamp == stamp) {
            return view;
        }
        view = Instances.newUnbound(self);
        view.address = self;
        view.identity = self;
        view.kind = CyObject.GUARD_VIEW;
        view.tracker = new CLock(self);
        view.stampAt = stampAt;
        view.stamp = stamp;
        LOCKED_VIEW.set(view);
        return view;
    }

    private static CyObject threadLocal(long self, long owner, Class<?> type) {
        if (owner == Thread.currentThread().threadId()) {
            return BorrowCache.borrowLive(self);
        }
        if (Orphans.isOrphan(self)) {
            throw new CCallException(CCallException.WRONG_THREAD, callOf(type) + ": " + RefCount.describe(self)
                + " is thread-local to " + ThreadNames.ofId(owner) + ", which has ended; adopt it from Java first");
        }
        throw new CCallException(CCallException.WRONG_THREAD, callOf(type) + ": " + RefCount.describe(self)
            + " is thread-local to " + ThreadNames.ofId(owner) + "; " + ThreadNames.current() + " may not use it. Call"
            + " it on its owner thread, or give C a frozen or locked object");
    }

    /**
     * {@return a borrowed reference to a cypclass argument C passed, or null for NULL}: it
     * checks the class and liveness; its uses check the thread rules, as a field read's do
     *
     * @throws CCallException if the pointer is dead or of another class
     */
    static <V extends CyObject> V argument(Class<V> declared, long address) {
        if (address == 0) {
            return null;
        }
        checkObject(declared, address, true);
        int capability = CyObjectHeader.capability(RefCount.state(address));
        if (capability == CyObjectHeader.LOCKED || capability == CyObjectHeader.ACTIVE) {
            return declared.cast(lockedHandle(address));
        }
        if (capability == CyObjectHeader.LOCKED_MEMBER) {
            throw new CCallException(CCallException.CAPABILITY, "cannot pass " + RefCount.describe(address)
                + " from C: it is inside a locked graph");
        }
        return declared.cast(BorrowCache.borrowLive(address));
    }

    /** The start of a refused call's message; made only when refusing, so that a call allocates nothing. */
    private static String callOf(Class<?> type) {
        return "cannot call a method of " + type.getName() + " from C";
    }

    /** The start of a refused argument's message. */
    private static String passOf(Class<?> type) {
        return "cannot pass a " + type.getName() + " argument from C";
    }

    private static String refused(Class<?> declared, boolean argument) {
        return argument ? passOf(declared) : callOf(declared);
    }

    /** Refuses NULL, a block that is not a live instance, and an instance not of {@code declared}. */
    private static void checkObject(Class<?> declared, long address, boolean argument) {
        if (address == 0) {
            throw new CCallException(CCallException.DEAD, refused(declared, argument) + ": the pointer is NULL");
        }
        int state = RefCount.state(address);
        if (CyObjectHeader.capability(state) == CyObjectHeader.DEAD || RefCount.owner(address) == 0
                || !Allocator.isAllocated(address)) {
            throw new CCallException(CCallException.DEAD, refused(declared, argument) + ": the object at 0x"
                + Long.toHexString(address) + " is dead (C must hold a count of what it passes)");
        }
        Class<?> actual = TypeRegistry.classOfTypeId(Allocator.typeOf(address));
        if (actual == null || !declared.isAssignableFrom(actual)) {
            throw new CCallException(CCallException.ARGUMENT, refused(declared, argument) + ": the object at 0x"
                + Long.toHexString(address) + " is " + (actual == null ? "no cypclass instance (" + BlockTypes.name(Allocator.typeOf(address)) + ")"
                : "a " + actual.getName()) + ", not a " + declared.getName());
        }
    }

    /** The handle of a locked or active argument, through which Java code takes a guard or sends. */
    private static CyObject lockedHandle(long address) {
        CyObject handle = Instances.newUnbound(address);
        long stampAt = Allocator.stampAddress(address);
        handle.bindBorrowed(address, org.cypclass.objects.internal.Words.VALUE_ONLY, stampAt, Allocator.stamp(stampAt), null);
        return handle;
    }

    /** {@return the status C gets for a failure: a refusal's own, else by the exception's kind} */
    static int status(Throwable failure) {
        if (failure instanceof CCallException refused) {
            return refused.status;
        }
        if (failure instanceof WrongThreadException) {
            return CCallException.WRONG_THREAD;
        }
        if (failure instanceof CapabilityException) {
            return CCallException.CAPABILITY;
        }
        return CCallException.EXCEPTION;
    }

    /**
     * Hands a method's cypclass result to C: an owned result (a method that created or took a
     * reference for its caller) gives C its count and is spent, as a Java caller would close
     * it; a borrowed or garbage-collected one gets a new count for C. C gives the count back
     * with {@code Cy_DECREF}. When C asked for no result, the owned result is closed instead.
     *
     * @return the address, or 0 for null or when C wants no result
     */
    static long exportResult(CyObject result, boolean wanted) {
        if (result == null) {
            return 0;
        }
        if (result.kind == CyObject.DETERMINISTIC) {
            if (!wanted) {
                result.close();
                return 0;
            }
            return exportOwned(result);
        }
        if (!wanted) {
            return 0;
        }
        long address = Access.use(result);
        RefCount.retain(address);
        return address;
    }

    /** {@return the address of a new instance, whose count goes to C with it; 0 for null} */
    static long exportOwned(CyObject created) {
        if (created == null) {
            return 0;
        }
        long address = Access.use(created);
        Object watch = created.tracker;
        created.address = 0;
        created.owner = 0;
        if (watch instanceof LeakWatch leakWatch) {
            leakWatch.closed();
        }
        return address;
    }

    /**
     * The guard of a C caller's lock: accepts uses while the lock word shows a holder of the
     * right kind, since C's lock records no thread.
     */
    private static final class CLock extends GuardToken {

        private final long root;

        CLock(long root) {
            this.root = root;
        }

        @Override
        public long root() {
            return root;
        }

        @Override
        public void check(CyObject reference, boolean write) {
            int state = RefCount.state(root);
            boolean held = write ? (state & CyObjectHeader.WRITER) != 0
                : (state & (CyObjectHeader.WRITER | CyObjectHeader.READERS)) != 0;
            if (!held) {
                throw new CapabilityException("cannot " + (write ? "write" : "read") + " a field of " + reference
                    + " in a call from C: the caller holds no " + (write ? "write " : "") + "lock of "
                    + RefCount.describe(root) + " (take it with Cy_WLOCK" + (write ? "" : " or Cy_RLOCK") + ")");
            }
        }
    }
}
