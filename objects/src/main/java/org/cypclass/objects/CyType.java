package org.cypclass.objects;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The descriptor of one cypclass: its C-compatible layout and the Java class of its references.
 * Every cypclass has exactly one, in the {@code TYPE} field of its generated class
 * ({@code Adder.TYPE}); {@link CyObject#cyType()} returns it too.
 *
 * <p>The layout follows the C ABI of the platform, header (or the base cypclass's layout) first,
 * with the same member names as the generated C header, so {@link #layout()} and
 * {@link #offsetOf} answer what C's {@code sizeof} and {@code offsetof} answer:
 * <pre>{@code
 * long size = Adder.TYPE.layout().byteSize();      // sizeof(struct org_example_Adder)
 * long value = Adder.TYPE.offsetOf("value");        // offsetof(struct org_example_Adder, value)
 * }</pre>
 *
 * <p>Behind it, the cypclass is registered with the allocator (type id, destructor, reference
 * slots); generated code builds the type, and makes the checked handles of its fields from it,
 * through {@code org.cypclass.objects.generated}, which is not an API for people.
 *
 * <p>Thread-safety: immutable once built; safe to use from any thread.
 *
 * @param <T> the cypclass
 */
public final class CyType<T extends CyObject> {

    private final Class<T> javaClass;
    private final Supplier<? extends T> factory;
    private final CyType<?> base;
    private final StructLayout layout;
    /** The reference slots, inherited ones first. */
    private final FieldReferences references;
    /** The flexible array member, or null. */
    private final FlexibleArray flexible;
    /** The {@code @Dealloc} hook, own or inherited, or null; a subclass without one inherits it. */
    private final Consumer<? super T> dealloc;
    /** Appends this class's own fields to a dump (the base's come first), or null. */
    private final BiConsumer<? super T, StringBuilder> dumper;
    private final int typeId;
    private final long size;

    /** Made by {@link TypeRegistry#define}, which checked the parts and registered the type id. */
    CyType(Class<T> javaClass, Supplier<? extends T> factory, CyType<?> base, StructLayout layout, FieldReferences references,
           FlexibleArray flexible, Consumer<? super T> dealloc, BiConsumer<? super T, StringBuilder> dumper, int typeId) {
        this.javaClass = javaClass;
        this.factory = factory;
        this.base = base;
        this.layout = layout;
        this.size = layout.byteSize();
        this.references = references;
        this.flexible = flexible;
        this.dealloc = dealloc;
        this.dumper = dumper;
        this.typeId = typeId;
    }

    /**
     * {@return the layout of an instance, in C ABI order and alignment, starting with the header
     * (or the base layout); for a cypclass with a flexible array member, the fixed part, whose
     * size is C's {@code sizeof}}
     */
    public StructLayout layout() {
        return layout;
    }

    /**
     * {@return the cypclass: the Java class of the references}
     */
    public Class<T> javaClass() {
        return javaClass;
    }

    /**
     * Returns the byte offset of a field from the start of an instance, as C's {@code offsetof}.
     *
     * @param field the field's name, in this type or a base
     * @return its offset
     * @throws IllegalArgumentException if there is no such field
     */
    public long offsetOf(String field) {
        return locate(field).offset;
    }

    /** The place of a field in an instance: its offset and its layout. */
    record Located(long offset, MemoryLayout layout) {
    }

    /**
     * Finds a field of this type or a base, not the header or the base struct themselves.
     *
     * @throws IllegalArgumentException if there is no such field
     */
    Located locate(String field) {
        for (MemoryLayout member : layout.memberLayouts()) {
            if (member.name().orElse("").equals(field) && !field.equals("base") && !field.equals("ob_base")) {
                return new Located(layout.byteOffset(groupElement(field)), member);
            }
        }
        if (base != null) {
            return base.locate(field);
        }
        throw new IllegalArgumentException(javaClass.getName() + " has no field " + field);
    }

    /** {@return the allocator type id of this cypclass's instances} */
    int typeId() {
        return typeId;
    }

    /** {@return the size of an instance, of the fixed part with a flexible array member} */
    long size() {
        return size;
    }

    /** {@return the reference slots, inherited ones first} */
    FieldReferences references() {
        return references;
    }

    /** {@return whether a reference field, or the first element of an array of references, starts at {@code offset}} */
    boolean isReferenceSlot(long offset) {
        return references.contains(offset);
    }

    /** {@return the flexible array member, or null} */
    FlexibleArray flexible() {
        return flexible;
    }

    /** {@return the {@code @Dealloc} hook, own or inherited, or null} */
    Consumer<? super T> dealloc() {
        return dealloc;
    }

    /** {@return a new, unbound reference of this cypclass (its no-argument constructor)} */
    T newUnbound() {
        return factory.get();
    }

    /**
     * Appends the fields of {@code self}, an instance of this type, to a dump: the base's
     * first, then this class's own ({@code name=value, } each).
     */
    void dumpFields(CyObject self, StringBuilder out) {
        if (base != null) {
            base.dumpFields(self, out);
        }
        if (dumper != null) {
            dumper.accept(javaClass.cast(self), out);
        }
    }
}
