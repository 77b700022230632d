package org.cypclass.objects;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.Destructor;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.memory.internal.ReferenceVisitor;
import org.cypclass.objects.generated.FlexibleArrayField;
import org.cypclass.objects.generated.RefArrayField;
import org.cypclass.objects.generated.RefField;
import org.cypclass.objects.internal.TypeDefinition;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.cypclass.memory.internal.NativeAccess.ALL;

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
 * reference slots) and makes the checked handles of the generated accessors; generated code
 * builds it and reaches those parts through {@code org.cypclass.objects.generated}, which is not
 * an API for people.
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
    private static final MethodHandle READ;
    private static final MethodHandle WRITE;
    private static final MethodHandle READ_ELEMENT;
    private static final MethodHandle WRITE_ELEMENT;
    private static final MethodHandle READ_FLEXIBLE;
    private static final MethodHandle WRITE_FLEXIBLE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodType field = MethodType.methodType(long.class, CyObject.class, long.class);
            MethodType element = MethodType.methodType(long.class, CyObject.class, long.class, long.class, long.class, long.class);
            allocateOutOfLine = MethodHandles.lookup().findStatic(RefCount.class, "allocate",
                MethodType.methodType(long.class, int.class, long.class));
            READ = lookup.findStatic(Access.class, "read", field);
            WRITE = lookup.findStatic(Access.class, "write", field);
            READ_ELEMENT = lookup.findStatic(Access.class, "readElement", element);
            WRITE_ELEMENT = lookup.findStatic(Access.class, "writeElement", element);
            MethodType flexibleElement = MethodType.methodType(long.class, CyObject.class, long.class, long.class, long.class);
            READ_FLEXIBLE = lookup.findStatic(FlexibleArray.class, "readElement", flexibleElement);
            WRITE_FLEXIBLE = lookup.findStatic(FlexibleArray.class, "writeElement", flexibleElement);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Class<T> javaClass;
    private final Supplier<? extends T> factory;
    private final CyType<?> base;
    private final StructLayout layout;
    private final long[] referenceOffsets;
    /** The name of each slot of {@link #referenceOffsets}, for reports ({@code children[1]}). */
    private final String[] referenceNames;
    /** The flexible array member, or null. */
    private final FlexibleArray flexible;
    private final Consumer<? super T> dealloc;
    /** Appends this class's own fields to a dump (the base's come first), or null. */
    private final BiConsumer<? super T, StringBuilder> dumper;
    /** What a built-in type releases beyond its reference fields (a container's elements), or null. */
    private final LongConsumer release;
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
        this.release = definition.release();
        List<String> names = new ArrayList<>();
        this.referenceOffsets = referenceOffsets(definition.references(), names);
        this.referenceNames = names.toArray(String[]::new);
        this.flexible = definition.flexible() == null ? null : FlexibleArray.of(javaClass, layout, definition.flexible());
        ReferenceVisitor held = definition.held();
        if (held != null && referenceOffsets.length != 0) {
            throw new IllegalStateException(javaClass.getName() + ": a type that reports its own references has no"
                + " reference fields");
        }
        // Objects with nothing to release need no destructor call at all.
        this.typeId = BlockTypes.register(javaClass.getName(),
            referenceOffsets.length == 0 && dealloc == null && release == null ? Destructor.NONE : this::destroy,
            held != null ? held : new FieldReferences(referenceOffsets, referenceNames));
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

    /**
     * Every reference slot, inherited ones first; each element of a reference array is one.
     * Fills {@code names} with the name of each slot, in the same order.
     */
    private long[] referenceOffsets(List<String> references, List<String> names) {
        long[] inherited = base == null ? new long[0] : base.referenceOffsets;
        if (base != null) {
            names.addAll(List.of(base.referenceNames));
        }
        List<Long> own = new ArrayList<>();
        for (String name : references) {
            MemoryLayout member = layout.select(groupElement(name));
            long offset = layout.byteOffset(groupElement(name));
            if (member instanceof AddressLayout) {
                own.add(offset);
                names.add(name);
            } else if (member instanceof SequenceLayout array && array.elementLayout() instanceof AddressLayout slot) {
                for (long i = 0; i < array.elementCount(); i++) {
                    own.add(offset + i * slot.byteSize());
                    names.add(name + "[" + i + "]");
                }
            } else {
                throw new IllegalArgumentException(javaClass.getName() + "." + name
                    + " is neither an address member nor a sequence of addresses");
            }
        }
        long[] offsets = Arrays.copyOf(inherited, inherited.length + own.size());
        for (int i = 0; i < own.size(); i++) {
            offsets[inherited.length + i] = own.get(i);
        }
        return offsets;
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

    /** The handle reading a primitive field ({@code CyTypes.reader}). */
    VarHandle reader(String field) {
        return handle(field, READ, READ_ELEMENT);
    }

    /** The handle writing a primitive field ({@code CyTypes.writer}). */
    VarHandle writer(String field) {
        if (flexible != null && field.equals(flexible.lengthName())) {
            // Element accesses trust it: a write could open the whole address space.
            throw new IllegalArgumentException(javaClass.getName() + "." + field
                + " is read-only: the factory writes the element count of " + flexible.name() + "[] once");
        }
        return handle(field, WRITE, WRITE_ELEMENT);
    }

    /** The accessor of a reference field ({@code CyTypes.reference}). */
    <V extends CyObject> RefField<V> reference(String field, Class<V> declared) {
        long offset = offsetOf(field);
        if (Arrays.stream(referenceOffsets).noneMatch(o -> o == offset)) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is not a reference field");
        }
        if (!(locate(field).layout instanceof AddressLayout)) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is an array of references: use referenceArray");
        }
        return new Reference<>(declared, offset);
    }

    /** The accessor of a fixed-size array of references ({@code CyTypes.referenceArray}). */
    <V extends CyObject> RefArrayField<V> referenceArray(String field, Class<V> declared) {
        Located located = locate(field);
        if (!(located.layout instanceof SequenceLayout array) || !(array.elementLayout() instanceof AddressLayout)
                || Arrays.stream(referenceOffsets).noneMatch(o -> o == located.offset)) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is not an array of references");
        }
        return new ReferenceArray<>(declared, located.offset, Math.toIntExact(array.elementCount()));
    }

    /** The accessor of the flexible array member ({@code CyTypes.flexibleArray}). */
    FlexibleArrayField flexibleArray(String field) {
        if (flexible == null || !flexible.name().equals(field)) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is not a flexible array member");
        }
        return flexible;
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

    private record Located(long offset, MemoryLayout layout) {
    }

    private Located locate(String field) {
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

    private VarHandle handle(String field, MethodHandle scalarCheck, MethodHandle elementCheck) {
        Located located = locate(field);
        VarHandle access;
        MethodHandle address;
        if (located.layout instanceof SequenceLayout array && array.elementLayout() instanceof ValueLayout element
                && !(element instanceof AddressLayout)) {
            access = MethodHandles.insertCoordinates(element.withByteAlignment(1).varHandle(), 0, ALL);
            if (flexible != null && located.offset == flexible.offset()) {
                MethodHandle check = scalarCheck == READ ? READ_FLEXIBLE : WRITE_FLEXIBLE;
                address = MethodHandles.insertArguments(check, 2, located.offset, element.byteSize())
                    .asType(MethodType.methodType(long.class, javaClass, long.class));
                return MethodHandles.collectCoordinates(access, 0, address);
            }
            address = MethodHandles.insertArguments(elementCheck, 2, located.offset, array.elementCount(), element.byteSize())
                .asType(MethodType.methodType(long.class, javaClass, long.class));
            return MethodHandles.collectCoordinates(access, 0, address);
        }
        if (!(located.layout instanceof ValueLayout value) || value instanceof AddressLayout || located.layout instanceof GroupLayout) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is not a primitive field");
        }
        access = MethodHandles.insertCoordinates(value.withByteAlignment(1).varHandle(), 0, ALL);
        address = MethodHandles.insertArguments(scalarCheck, 1, located.offset)
            .asType(MethodType.methodType(long.class, javaClass));
        return MethodHandles.filterCoordinates(access, 0, address);
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

    /**
     * Runs when an instance's last reference goes: the hook, then the reference fields. A
     * failing hook does not keep the fields from being released; its exception is rethrown
     * after them (and the memory layer still frees the block).
     */
    private void destroy(long instance) {
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

    /** The one implementation of {@link RefField}. */
    record Reference<V extends CyObject>(Class<V> declared, long offset) implements RefField<V> {

        @Override
        @SuppressWarnings("unchecked")
        public V get(CyObject self) {
            // The field only ever holds instances of the declared type (set() checks it).
            return (V) ReferenceSlot.borrow(self, Access.read(self, offset));
        }

        @Override
        public void set(CyObject self, V value) {
            ReferenceSlot.store(self, Access.write(self, offset), declared, value);
        }

        @Override
        public String describe(CyObject self) {
            return ReferenceSlot.describe(Access.read(self, offset));
        }

        @Override
        public boolean isNull(CyObject self) {
            return ReferenceSlot.isNull(Access.read(self, offset));
        }
    }
}
