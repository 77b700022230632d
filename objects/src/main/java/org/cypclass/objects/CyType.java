package org.cypclass.objects;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.Orphans;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.memory.internal.ThreadNames;

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
    /** The address of the type's native {@code CyTypeObject}, what {@code ob_type} holds. */
    private final long typeObject;

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
        this.typeObject = BlockTypes.typeObject(typeId);
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

    /**
     * Takes back a pointer C holds, with the count it holds: the reverse of handing
     * {@link CyObject#pointer()} to C code that took a reference with {@code Cy_INCREF}. C gives
     * up one count and the returned reference owns it; no count changes, so C must not
     * {@code Cy_DECREF} that count afterwards.
     *
     * <p>The pointer is checked before anything is read through it, and refused, with no count
     * changed, unless it is:
     * <ul>
     *   <li>a block of the library's allocator (a foreign pointer, one from malloc or into the
     *       middle of an object, is refused from the allocator's own bookkeeping, without
     *       reading the memory it points to);</li>
     *   <li>live: its block allocated and its header not dead, its count at least 1;</li>
     *   <li>an instance of this cypclass or of a subclass (its block's type id and its
     *       {@code ob_type} agree);</li>
     *   <li>usable by the calling thread with an owned reference: a thread-local instance only
     *       on its owner thread (an orphan, whose owner ended, is adopted by the calling thread
     *       as any use adopts it); frozen instances on any thread (the reference reads them);
     *       locked and active instances on any thread (the reference is a value: reach the
     *       fields with {@code Locked.from(reference)} or send messages with
     *       {@code Active.from(reference)}); never an object inside a locked graph.</li>
     * </ul>
     * A pointer whose instance died and whose block was reused by another instance of this
     * type cannot be told from that instance: C must hand back only a pointer it holds a count
     * of, as C's own {@code Cy_DECREF} requires.
     *
     * @param pointer the instance's address, as C returned it ({@code CyObject *})
     * @return an owned reference of the instance's runtime class, to close when done
     * @throws IllegalArgumentException if the pointer is null, foreign, dead, or of another
     *         type; the message names the pointer and the reason
     * @throws WrongThreadException if the instance is thread-local to another, running thread
     * @throws org.cypclass.objects.capabilities.CapabilityException if it is inside a locked
     *         graph
     */
    public T adopt(MemorySegment pointer) {
        long address = pointer.address();
        if (!pointer.isNative() || address == 0) {
            throw refuseAdoption(address, pointer.isNative() ? "it is NULL" : "it is a heap segment, not a C pointer");
        }
        if (!Allocator.isBlock(address)) {
            throw refuseAdoption(address, "it is not an object of the Cypclass allocator (a foreign pointer, from"
                + " malloc or into the middle of an object, or an object already freed whose memory went back to the"
                + " C library)");
        }
        if (!Allocator.isAllocated(address)) {
            throw refuseAdoption(address, "the object is dead: its block is free (C released its last reference, or"
                + " hands back a pointer it no longer holds)");
        }
        int blockType = Allocator.typeOf(address);
        Class<?> actual = TypeRegistry.classOfTypeId(blockType);
        if (actual == null || !RefCount.isObject(address, blockType, Allocator.usableSize(address))) {
            throw refuseAdoption(address, "the block holds no cypclass instance (it is " + actual(blockType) + ")");
        }
        if (!javaClass.isAssignableFrom(actual)) {
            throw refuseAdoption(address, "it is a " + actual.getName() + ", not a " + javaClass.getName());
        }
        int state = RefCount.state(address);
        int count = RefCount.count(address);
        if (CyObjectHeader.capability(state) == CyObjectHeader.DEAD || count < 1 || RefCount.owner(address) == 0) {
            throw refuseAdoption(address, "the object is dead (state " + CyObjectHeader.describeState(state)
                + ", count " + count + ")");
        }
        long owner = RefCount.owner(address);
        if (owner > 0 && owner != Thread.currentThread().threadId() && !Orphans.adopt(address)) {
            throw new WrongThreadException("cannot adopt the pointer 0x" + Long.toHexString(address) + ": "
                + RefCount.describe(address) + " is thread-local to " + ThreadNames.ofId(owner) + "; "
                + ThreadNames.current() + " may not take a reference to it. Hand it back on its owner thread, or give C"
                + " a frozen or locked object");
        }
        long word = Access.ownedWord(address);  // refuses an object inside a locked graph
        return javaClass.cast(Instances.wrap(address, CyObject.DETERMINISTIC, word));
    }

    /**
     * Returns the table of this cypclass's methods exported to C ({@link CExport}): the
     * generated {@code struct X_methods} of {@code X.h}, which C also reaches from any instance
     * as {@code ob_type->tp_methods}. Hand it to C code that creates instances or calls methods
     * without an instance at hand; it lives as long as the process.
     *
     * @return the table's address as a zero-length segment, or {@link MemorySegment#NULL} if the
     *         cypclass exports nothing
     */
    public MemorySegment cMethods() {
        long methods = BlockTypes.methods(typeId);
        return methods == 0 ? MemorySegment.NULL : MemorySegment.ofAddress(methods);
    }

    private static String actual(int blockType) {
        Class<?> type = TypeRegistry.classOfTypeId(blockType);
        return type != null ? "a " + type.getName() + " block" : "a block of type " + BlockTypes.name(blockType);
    }

    private IllegalArgumentException refuseAdoption(long address, String reason) {
        return new IllegalArgumentException("cannot adopt the pointer 0x" + Long.toHexString(address) + " as a "
            + javaClass.getName() + ": " + reason + "; no count was changed");
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

    /** {@return the address of the type's native {@code CyTypeObject}} */
    long typeObject() {
        return typeObject;
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
