package org.cypclass.objects;

import java.util.Objects;

import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.objects.internal.GuardToken;
import org.cypclass.objects.internal.ObjectsAccess;
import org.cypclass.objects.internal.Words;
import org.cypclass.objects.internal.SharedSecrets;

/**
 * The one {@link ObjectsAccess}: the built-in containers reach the reference rules of this
 * package through it, without making them public. Registered by its own initializer, which
 * {@link SharedSecrets#objects()} triggers.
 */
final class ContainerSupport implements ObjectsAccess {

    static {
        SharedSecrets.register(new ContainerSupport());
    }

    private ContainerSupport() {
    }

    /**
     * Above every instance address (user-space addresses on the 64-bit platforms the JDK runs
     * on stay below 2^57), far enough below {@code Long.MAX_VALUE} that an instance address plus
     * any field offset cannot reach the end of {@code NativeAccess.ALL}.
     */
    private static final long ADDRESS_LIMIT = 1L << 62;

    @Override
    public long read(CyObject self) {
        // The never-failing check tells the JIT the address's range, so that it drops the
        // bounds check of ALL on every header access made from it (three per append).
        return Objects.checkIndex(Access.read(self, 0), ADDRESS_LIMIT);
    }

    @Override
    public long write(CyObject self) {
        return Objects.checkIndex(Access.write(self, 0), ADDRESS_LIMIT);
    }

    @Override
    public long retainForStore(CyObject holder, Class<? extends CyObject> declared, CyObject value) {
        if (value == null) {
            return 0;
        }
        long target = Access.useForStore(holder, declared.cast(value));
        RefCount.retain(target);
        return target;
    }

    @Override
    public void release(long instance) {
        RefCount.release(instance);
    }

    @Override
    public CyObject borrow(CyObject holder, long target) {
        return ReferenceSlot.borrowTarget(holder, target);
    }

    @Override
    public CyObject repoint(CyObject holder, CyObject reused, long target) {
        if (holder.kind >= CyObject.GUARD_VIEW) {
            return ReferenceSlot.borrowTarget(holder, target);   // dies with the guard: not re-pointed
        }
        // One load gives both the stamp and the type id of a small block. When the previous
        // element was a small block of the same type (its stamp says so; a big block's stamp is
        // its stub's, whose type no cypclass has), the reference is of the right class already.
        long stamp = Allocator.stamp(target);
        if (reused != null && Allocator.sameKind(stamp, reused.stamp)) {
            reused.rebindBorrowed(target, Access.borrowedWord(target), target, stamp);
            return reused;
        }
        return repointNew(reused, target);
    }

    /** {@link #repoint} for a first element, a change of type or a big block: out of line. */
    private static CyObject repointNew(CyObject reused, long target) {
        CyObject reference = reused;
        if (reference == null || reference.getClass() != TypeRegistry.classOfTypeId(Allocator.typeOf(target))) {
            reference = Instances.newUnbound(target);
        }
        long stampAt = target;
        long stamp = Allocator.stamp(target);
        if (Allocator.isBigStamp(stamp)) {
            stampAt = Allocator.stampAddress(target);
            stamp = Allocator.stamp(stampAt);
        }
        // Not in the borrow cache, so it never carries a lastBorrowed to clear.
        reference.bindBorrowed(target, Access.borrowedWord(target), stampAt, stamp, null);
        return reference;
    }

    @Override
    public long identity(CyObject reference) {
        return reference.identity;
    }

    @Override
    public int typeIdOf(Class<? extends CyObject> cypclass) {
        if (cypclass == CyObject.class) {
            return 0;
        }
        try {
            // Its TYPE registers the cypclass: make sure its initializer has run.
            Class.forName(cypclass.getName(), true, cypclass.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return TypeRegistry.ofClass(cypclass).typeId();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Class<? extends CyObject> classOf(int typeId) {
        return typeId == 0 ? CyObject.class : (Class<? extends CyObject>) TypeRegistry.classOfTypeId(typeId);
    }

    @Override
    public long ownedInstance(CyObject reference) {
        if (reference.kind != CyObject.DETERMINISTIC) {
            String what = switch (reference.kind) {
                case CyObject.BORROWED, CyObject.GUARDED -> "a borrowed reference (read from a field), which owns no count";
                case CyObject.GARBAGE_COLLECTED -> "a garbage-collected reference";
                default -> "a view, which owns no count";
            };
            throw new IllegalArgumentException(reference + " is " + what + ": consume takes an owned reference, from"
                + " create(...) or newReference()");
        }
        return Access.write(reference, 0);
    }

    @Override
    public void disown(CyObject reference) {
        Object watch = reference.tracker;
        reference.address = 0;
        reference.owner = 0;
        if (watch instanceof LeakWatch leakWatch) {
            leakWatch.closed();
        }
    }

    @Override
    public CyObject wrapOwned(long instance) {
        return Instances.wrap(instance, CyObject.DETERMINISTIC, Access.ownedWord(instance));
    }

    @Override
    public CyObject guardView(long instance, GuardToken token) {
        CyObject view = Instances.newUnbound(instance);
        view.address = instance;
        view.identity = instance;
        view.kind = CyObject.GUARD_VIEW;
        view.tracker = token;
        return view;
    }

    @Override
    public CyObject guardedMember(long instance, GuardToken token) {
        return ReferenceSlot.guarded(instance, token);
    }

    @Override
    public void setWord(CyObject reference, long word) {
        reference.owner = word;
    }

    @Override
    public CyObject lockedHandle(long instance) {
        CyObject handle = Instances.newUnbound(instance);
        long stampAt = Allocator.stampAddress(instance);
        handle.bindBorrowed(instance, Words.VALUE_ONLY, stampAt, Allocator.stamp(stampAt), null);
        return handle;
    }

    @Override
    public long use(CyObject reference) {
        return Access.use(reference);
    }

    @Override
    public long newStr(java.lang.foreign.MemorySegment utf8, long offset, long length) {
        return CyStr.allocate(utf8, offset, length);
    }
}
