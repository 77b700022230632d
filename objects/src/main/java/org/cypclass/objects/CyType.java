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
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.Allocator;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.Destructor;
import org.cypclass.memory.internal.RefCount;
import org.cypclass.memory.internal.ReferenceVisitor;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static org.cypclass.memory.internal.NativeAccess.ALL;

/**
 * The descriptor of one cypclass: its C-compatible layout, its registration with the
 * allocator, the factory of its references, its destructor, and the handles its generated
 * accessors use.
 *
 * <p>Generated code builds one per cypclass, in a {@code static final TYPE} field:
 * <pre>{@code
 * public static final CyType<Adder> TYPE = CyType.builder(Adder.class, Adder::new,
 *         MemoryLayout.structLayout(CyObjectHeader.LAYOUT.withName("ob_base"),
 *             ValueLayout.JAVA_INT.withName("value"), MemoryLayout.paddingLayout(4)).withName("Adder"))
 *     .build();
 * private static final VarHandle VALUE$READ = TYPE.reader("value");
 * }</pre>
 * The layout's first member is the {@code CyObject} header named {@code ob_base}, or, for a
 * cypclass extending another, the base cypclass's whole layout named {@code base}. The builder
 * checks it, so handles can only be made at offsets that belong to the type.
 *
 * <p>The handles returned by {@link #reader} and {@link #writer} take the reference as their
 * only coordinate (arrays: the reference and a {@code long} index) and check, on every
 * access, that the reference is open and that the calling thread may use the instance; the
 * address never leaves this package.
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
    /** What a built-in type releases beyond its reference fields (a container's elements), or null. */
    private final LongConsumer release;
    private final int typeId;
    private final long size;

    private CyType(Builder<T> builder) {
        this.javaClass = builder.javaClass;
        this.factory = builder.factory;
        this.base = builder.base;
        this.layout = builder.layout;
        this.size = builder.layout.byteSize();
        this.dealloc = builder.dealloc;
        this.release = builder.release;
        this.referenceOffsets = builder.referenceOffsets();
        this.referenceNames = builder.referenceNames.toArray(String[]::new);
        this.flexible = builder.flexible == null ? null : FlexibleArray.of(javaClass, layout, builder.flexible);
        if (builder.held != null && referenceOffsets.length != 0) {
            throw new IllegalStateException(javaClass.getName() + ": a type that reports its own references has no"
                + " reference fields");
        }
        // Objects with nothing to release need no destructor call at all.
        this.typeId = BlockTypes.register(javaClass.getName(),
            referenceOffsets.length == 0 && dealloc == null && release == null ? Destructor.NONE : this::destroy,
            builder.held != null ? builder.held : new FieldReferences(referenceOffsets, referenceNames));
    }

    /**
     * Starts describing a cypclass; for generated code.
     *
     * @param javaClass the cypclass
     * @param factory makes an unbound reference of the cypclass (its no-argument constructor)
     * @param layout the instance layout, header or base first
     * @param <T> the cypclass
     * @return a builder
     */
    public static <T extends CyObject> Builder<T> builder(Class<T> javaClass, Supplier<? extends T> factory, StructLayout layout) {
        return new Builder<>(javaClass, factory, layout);
    }

    /**
     * Builds a {@link CyType}.
     *
     * <p>Thread-safety: not thread-safe; use it from one thread, as generated static
     * initializers do.
     *
     * @param <T> the cypclass
     */
    public static final class Builder<T extends CyObject> {
        private final Class<T> javaClass;
        private final Supplier<? extends T> factory;
        private final StructLayout layout;
        private CyType<?> base;
        private final List<String> references = new ArrayList<>();
        private Consumer<? super T> dealloc;
        private LongConsumer release;
        /** What reports the counted references a built-in type holds outside its fields, or null. */
        private ReferenceVisitor held;
        private String flexible;
        /** Filled by {@link #referenceOffsets()}, in the same order. */
        private final List<String> referenceNames = new ArrayList<>();

        private Builder(Class<T> javaClass, Supplier<? extends T> factory, StructLayout layout) {
            this.javaClass = Objects.requireNonNull(javaClass, "javaClass");
            this.factory = Objects.requireNonNull(factory, "factory");
            this.layout = Objects.requireNonNull(layout, "layout");
        }

        /**
         * Names the cypclass this one extends.
         *
         * @param base the base type, whose layout must be this layout's first member
         * @return this builder
         */
        public Builder<T> base(CyType<?> base) {
            this.base = Objects.requireNonNull(base, "base");
            return this;
        }

        /**
         * Marks a member of the layout as a reference to a cypclass instance, or as a
         * fixed-size array of such references.
         *
         * @param field an address member of this type's own layout, or a sequence of them
         * @return this builder
         */
        public Builder<T> reference(String field) {
            references.add(field);
            return this;
        }

        /**
         * Marks the layout's last member as a flexible array member (C99's {@code double data[]}):
         * a zero-length sequence of a primitive layout named {@code field}, right after an
         * {@code int64} member named {@code field + "_length"} that holds its element count.
         * Instances are then made with {@link #initialize(CyObject, long)}.
         *
         * @param field the name of the flexible array member
         * @return this builder
         */
        public Builder<T> flexible(String field) {
            this.flexible = Objects.requireNonNull(field, "field");
            return this;
        }

        /**
         * Sets the hook run when an instance dies, before its references are released.
         *
         * @param hook called with a reference that can read the dying instance
         * @return this builder
         */
        public Builder<T> dealloc(Consumer<? super T> hook) {
            this.dealloc = hook;
            return this;
        }

        /**
         * Sets what the destructor releases after the reference fields: for the library's
         * built-in types (containers), whose counted references live outside the instance.
         * Not reachable from user code: {@code ContainerSupport} calls it.
         */
        Builder<T> release(LongConsumer release) {
            this.release = Objects.requireNonNull(release, "release");
            return this;
        }

        /**
         * Sets what reports the counted references an instance holds outside its fields (a
         * container's elements), for cycle reports, {@code consume} and the adoption of
         * orphans; for built-in types without reference fields. Not reachable from user code.
         */
        Builder<T> references(ReferenceVisitor held) {
            this.held = Objects.requireNonNull(held, "held");
            return this;
        }

        /**
         * Checks the layout and registers the type.
         *
         * @return the type
         * @throws IllegalArgumentException if the layout does not start with the header (or
         *         the base layout), or a reference field is not an address
         */
        @SuppressWarnings("unchecked")
        public CyType<T> build() {
            List<MemoryLayout> members = layout.memberLayouts();
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
            if (dealloc == null && base != null) {
                dealloc = (Consumer<? super T>) base.dealloc;
            }
            CyType<T> type = new CyType<>(this);
            register(type);
            return type;
        }

        /** Every reference slot, inherited ones first; each element of a reference array is one. */
        private long[] referenceOffsets() {
            long[] inherited = base == null ? new long[0] : base.referenceOffsets;
            if (base != null) {
                referenceNames.addAll(List.of(base.referenceNames));
            }
            List<Long> own = new ArrayList<>();
            for (String name : references) {
                MemoryLayout member = layout.select(groupElement(name));
                long offset = layout.byteOffset(groupElement(name));
                if (member instanceof AddressLayout) {
                    own.add(offset);
                    referenceNames.add(name);
                } else if (member instanceof SequenceLayout array && array.elementLayout() instanceof AddressLayout slot) {
                    for (long i = 0; i < array.elementCount(); i++) {
                        own.add(offset + i * slot.byteSize());
                        referenceNames.add(name + "[" + i + "]");
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
     * Allocates an instance and binds a new, unbound reference of this cypclass to it; for
     * generated factories, which construct the reference themselves so that it stays visible
     * to escape analysis.
     *
     * <p>For a cypclass with a flexible array member this makes an instance with no elements;
     * the generated factories use {@link #initialize(CyObject, long)}.
     *
     * @param unbound a reference just made with the cypclass's no-argument constructor
     * @return {@code unbound}, now open and owning the instance's only count
     * @throws IllegalStateException if the reference is already bound
     */
    public T initialize(T unbound) {
        if (unbound.identity != 0) {
            throw new IllegalStateException(unbound + " is already bound to an instance");
        }
        unbound.bind(allocateInstance(typeId, size), CyObject.DETERMINISTIC);
        return unbound;
    }

    /**
     * Allocates an instance of a cypclass with a flexible array member, with room for
     * {@code elements} elements (all zero), writes the element count into its length field
     * and binds a new, unbound reference to it; for generated factories.
     *
     * @param unbound a reference just made with the cypclass's no-argument constructor
     * @param elements the number of elements of the flexible array member
     * @return {@code unbound}, now open and owning the instance's only count
     * @throws IllegalArgumentException if {@code elements} is negative or the instance would
     *         be too large to address; nothing was allocated
     * @throws IllegalStateException if the reference is already bound, or this cypclass has
     *         no flexible array member
     * @throws OutOfMemoryError if the C library cannot provide the memory; nothing leaked
     */
    public T initialize(T unbound, long elements) {
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
     * Returns a handle reading a primitive field: coordinates {@code (T)} for a scalar,
     * {@code (T, long index)} for an array element (a fixed-size array or the flexible array
     * member, whose index is checked against the element count stored in the instance).
     *
     * @param field the field's name, in this type or a base
     * @return a var handle for plain reads ({@code get})
     * @throws IllegalArgumentException if there is no such primitive field
     */
    public VarHandle reader(String field) {
        return handle(field, READ, READ_ELEMENT);
    }

    /**
     * Returns a handle writing a primitive field; see {@link #reader}.
     *
     * @param field the field's name, in this type or a base
     * @return a var handle for plain writes ({@code set})
     * @throws IllegalArgumentException if there is no such primitive field
     */
    public VarHandle writer(String field) {
        if (flexible != null && field.equals(flexible.lengthName())) {
            // Element accesses trust it: a write could open the whole address space.
            throw new IllegalArgumentException(javaClass.getName() + "." + field
                + " is read-only: the factory writes the element count of " + flexible.name() + "[] once");
        }
        return handle(field, WRITE, WRITE_ELEMENT);
    }

    /**
     * Returns the accessor of a reference field.
     *
     * @param field the field's name, in this type or a base
     * @param declared the field's declared cypclass
     * @param <V> the field's declared cypclass
     * @return the accessor
     * @throws IllegalArgumentException if there is no such reference field
     */
    public <V extends CyObject> RefField<V> reference(String field, Class<V> declared) {
        long offset = offsetOf(field);
        if (Arrays.stream(referenceOffsets).noneMatch(o -> o == offset)) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is not a reference field");
        }
        if (!(locate(field).layout instanceof AddressLayout)) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is an array of references: use referenceArray");
        }
        return new Reference<>(declared, offset);
    }

    /**
     * Returns the accessor of a fixed-size array of references.
     *
     * @param field the field's name, in this type or a base
     * @param declared the declared cypclass of its elements
     * @param <V> the declared cypclass of its elements
     * @return the accessor
     * @throws IllegalArgumentException if there is no such array of references
     */
    public <V extends CyObject> RefArrayField<V> referenceArray(String field, Class<V> declared) {
        Located located = locate(field);
        if (!(located.layout instanceof SequenceLayout array) || !(array.elementLayout() instanceof AddressLayout)
                || Arrays.stream(referenceOffsets).noneMatch(o -> o == located.offset)) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is not an array of references");
        }
        return new ReferenceArray<>(declared, located.offset, Math.toIntExact(array.elementCount()));
    }

    /**
     * Returns the accessor of the flexible array member: its length, bulk copies and views.
     *
     * @param field the flexible array member's name
     * @return the accessor
     * @throws IllegalArgumentException if {@code field} is not this type's flexible array member
     */
    public FlexibleArrayField flexibleArray(String field) {
        if (flexible == null || !flexible.name().equals(field)) {
            throw new IllegalArgumentException(javaClass.getName() + "." + field + " is not a flexible array member");
        }
        return flexible;
    }

    /**
     * Returns the layout of an instance, C ABI order and alignment.
     *
     * @return the instance layout, starting with the header (or the base layout)
     */
    public StructLayout layout() {
        return layout;
    }

    /**
     * Returns the cypclass.
     *
     * @return the Java class of the references
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

        String describe(CyObject self) {
            return ReferenceSlot.describe(Access.read(self, offset));
        }

        @Override
        public boolean isNull(CyObject self) {
            return ReferenceSlot.isNull(Access.read(self, offset));
        }
    }
}
