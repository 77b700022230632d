package org.cypclass.objects;

import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.cypclass.memory.internal.Destructor;

/**
 * The destructor of one cypclass ({@code tp_dealloc}), which the memory layer runs when an
 * instance's last count goes: the {@code @Dealloc} hook, on a handle that can read the dying
 * instance, then every reference slot (inherited ones first), then what a built-in type holds
 * beyond its fields (a container's elements and storage). The memory layer frees the block
 * afterwards. A failing hook does not keep the slots from being released; its exception is
 * rethrown after them.
 *
 * <p>Thread-safety: immutable; runs on whichever thread releases the last count.
 *
 * @param <T> the cypclass
 */
final class TypeDestructor<T extends CyObject> implements Destructor {

    private final Class<T> javaClass;
    /** Makes the handle the hook reads the dying instance through. */
    private final Supplier<? extends T> factory;
    /** The {@code @Dealloc} hook, or null. */
    private final Consumer<? super T> dealloc;
    private final long[] referenceOffsets;
    /** What a built-in type releases beyond its reference fields, or null. */
    private final LongConsumer release;

    private TypeDestructor(Class<T> javaClass, Supplier<? extends T> factory, Consumer<? super T> dealloc,
                           long[] referenceOffsets, LongConsumer release) {
        this.javaClass = javaClass;
        this.factory = factory;
        this.dealloc = dealloc;
        this.referenceOffsets = referenceOffsets;
        this.release = release;
    }

    /**
     * {@return the destructor of a cypclass with these parts, {@link Destructor#NONE} if it has
     * nothing to run or release}
     */
    static <T extends CyObject> Destructor of(Class<T> javaClass, Supplier<? extends T> factory, Consumer<? super T> dealloc,
                                              FieldReferences references, LongConsumer release) {
        long[] offsets = references.offsets();
        // Objects with nothing to release need no destructor call at all.
        if (offsets.length == 0 && dealloc == null && release == null) {
            return Destructor.NONE;
        }
        return new TypeDestructor<>(javaClass, factory, dealloc, offsets, release);
    }

    @Override
    public void destroy(long instance) {
        Throwable hookFailure = null;
        if (dealloc != null) {
            T dying = factory.get();
            dying.bind(instance, CyObject.DYING);
            try {
                dealloc.accept(dying);
            } catch (Throwable t) {
                hookFailure = t;
            } finally {
                dying.address = 0;
                dying.owner = 0;
            }
        }
        for (long offset : referenceOffsets) {
            ReferenceSlot.clear(instance + offset);
        }
        if (release != null) {
            release.accept(instance);
        }
        if (hookFailure instanceof RuntimeException runtime) {
            throw runtime;
        } else if (hookFailure instanceof Error error) {
            throw error;
        } else if (hookFailure != null) {
            throw new IllegalStateException("the @Dealloc hook of " + javaClass.getName() + " failed", hookFailure);
        }
    }
}
