package org.cypclass.objects;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.memory.internal.ReferenceVisitor;
import org.cypclass.objects.internal.TypeDefinition;

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
 * <p>Behind it, the type registers the cypclass with the allocator (type id, destructor,
 * reference slots); generated code builds it, and makes the checked handles of its fields
 * from it, through {@code org.cypclass.objects.generated}, which is not an API for people.
 *
 * <p>Thread-safety: immutable once built; safe to use from any thread.
 *
 * @param <T> the cypclass
 */
public final class CyType<T extends CyObject> {

    private static final Map<Class<?>, CyType<?>> BY_CLASS = new ConcurrentHashMap<>();
    /** By allocator type id; replaced whole under the lock, read without it. */
    private static volatile CyType<?>[] byId = new CyType<?>[0];
    /**
     * {@code RefCount.allocate}, called through a handle held in a non-final field: C2 cannot
     * inline through a handle it does not see as constant, so the allocation path never
     * becomes part of a generated {@code create}, which then stays small enough to be inlined
     * into its callers, where escape analysis removes the reference object. Not final on
     * purpose; written once, in the static initializer.
     */
    private static MethodHandle allocateOutOfLine;

    static {
        try {
            allocateOutOfLine = MethodHandles.lookup().findStatic(RefCount.class, "allocate",
                MethodType.methodType(long.class, int.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

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

    private CyType(TypeDefinition<T> definition, Consumer<? super T> dealloc) {
        this.javaClass = definition.javaClass();
        this.factory = definition.factory();
        this.base = definition.base() == null ? null : ofClass(definition.base());
        this.layout = definition.layout();
        this.size = layout.byteSize();
        this.dealloc = dealloc;
        this.dumper = definition.dumper();
        this.references = FieldReferences.of(javaClass, layout, base == null ? null : base.references, definition.references());
        this.flexible = definition.flexible() == null ? null : FlexibleArray.of(javaClass, layout, definition.flexible());
        ReferenceVisitor held = definition.held();
        if (held != null && !references.isEmpty()) {
            throw new IllegalStateException(javaClass.getName() + ": a type that reports its own references has no"
                + " reference fields");
        }
        this.typeId = BlockTypes.register(javaClass.getName(),
            TypeDestructor.of(javaClass, factory, dealloc, references, definition.release()), held != null ? held : references);
    }

    /**
     * Checks a definition and registers its type; {@code TypeBuilder.build} and the containers
     * come here through {@link TypeSupport}.
     *
     * @throws IllegalArgumentException if the layout does not start with the header (or the
     *         base layout), a reference member is not an address or a sequence of them, or the
     *         flexible array member is malformed
     */
    @SuppressWarnings("unchecked")
    static <T extends CyObject> CyType<T> define(TypeDefinition<T> definition) {
        Class<T> javaClass = definition.javaClass();
        CyType<?> base = definition.base() == null ? null : ofClass(definition.base());
        List<MemoryLayout> members = definition.layout().memberLayouts();
        MemoryLayout first = members.isEmpty() ? null : members.get(0);
        MemoryLayout expected = base == null ? CyObjectHeader.LAYOUT.withName("ob_base") : base.layout.withName("base");
        if (!expected.equals(first)) {
            throw new IllegalArgumentException(javaClass.getName() + ": the layout must start with " + expected + ", not " + first);
        }
        if (base != null && !base.javaClass.isAssignableFrom(javaClass)) {
            throw new IllegalArgumentException(javaClass.getName() + " does not extend " + base.javaClass.getName());
        }
        if (base != null && base.flexible != null) {
            // C forbids a struct with a flexible array member inside another struct.
            throw new IllegalArgumentException(javaClass.getName() + " cannot extend " + base.javaClass.getName()
                + ", which ends with the flexible array member " + base.flexible.name() + "[]");
        }
        Consumer<? super T> dealloc = definition.dealloc();
        if (dealloc == null && base != null) {
            dealloc = (Consumer<? super T>) base.dealloc;
        }
        CyType<T> type = new CyType<>(definition, dealloc);
        register(type);
        return type;
    }

    private static synchronized void register(CyType<?> type) {
        CyType<?>[] table = byId;
        if (table.length <= type.typeId) {
            table = Arrays.copyOf(table, Math.max(type.typeId + 1, table.length * 2));
        } else {
            table = table.clone();
        }
        table[type.typeId] = type;
        byId = table;
        BY_CLASS.put(type.javaClass, type);
    }

    static CyType<?> ofClass(Class<?> javaClass) {
        CyType<?> type = BY_CLASS.get(javaClass);
        if (type == null) {
            throw new IllegalStateException(javaClass.getName() + " is not a cypclass");
        }
        return type;
    }

    private static long allocateInstance(int typeId, long size) {
        try {
            return (long) allocateOutOfLine.invokeExact(typeId, size);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return the flexible array member, or null} */
    FlexibleArray flexible() {
        return flexible;
    }

    /** {@return whether a reference field, or the first element of an array of references, starts at {@code offset}} */
    boolean isReferenceSlot(long offset) {
        return references.contains(offset);
    }

    /** The allocator type id of this cypclass's instances. */
    int typeId() {
        return typeId;
    }

    /** The cypclass of the instances of an allocator type id, or null if it is not a cypclass. */
    static Class<?> classOfTypeId(int typeId) {
        CyType<?>[] table = byId;
        CyType<?> type = typeId >= 0 && typeId < table.length ? table[typeId] : null;
        return type == null ? null : type.javaClass;
    }

    /** Makes a reference of the instance's runtime class; the caller has taken its count. */
    static CyObject wrap(long instance, byte kind, long word) {
        CyObject reference = newUnbound(instance);
        reference.bind(instance, kind, word);
        return reference;
    }

    /** Makes an unbound reference of the instance's runtime class (type id from the block prefix). */
    static CyObject newUnbound(long instance) {
        return byId[Allocator.typeOf(instance)].factory.get();
    }

    /**
     * Allocates an instance and binds a new, unbound reference of this cypclass to it
     * ({@code CyTypes.initialize}).
     */
    T initialize(T unbound) {
        if (unbound.identity != 0) {
            throw new IllegalStateException(unbound + " is already bound to an instance");
        }
        unbound.bind(allocateInstance(typeId, size), CyObject.DETERMINISTIC);
        return unbound;
    }

    /**
     * Allocates an instance with room for {@code elements} elements of the flexible array
     * member and binds a new, unbound reference to it ({@code CyTypes.initialize}).
     */
    T initialize(T unbound, long elements) {
        if (flexible == null) {
            throw new IllegalStateException(javaClass.getName() + " has no flexible array member to size");
        }
        long bytes = flexible.instanceSize(elements);
        if (unbound.identity != 0) {
            throw new IllegalStateException(unbound + " is already bound to an instance");
        }
        long instance = allocateInstance(typeId, bytes);
        flexible.setLength(instance, elements);
        unbound.bind(instance, CyObject.DETERMINISTIC);
        return unbound;
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
