package org.cypclass.objects.generated;

import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;
import org.cypclass.objects.internal.SharedSecrets;
import org.cypclass.objects.internal.TypeDefinition;
import org.cypclass.objects.internal.TypesAccess;

/**
 * Builds the {@link CyType} of a cypclass, in the static initializer of its generated class:
 * <pre>{@code
 * public static final CyType<Adder> TYPE = TypeBuilder.of(Adder.class, Adder::new,
 *         MemoryLayout.structLayout(CyObjectHeader.LAYOUT.withName("ob_base"),
 *             ValueLayout.JAVA_INT.withName("value"), MemoryLayout.paddingLayout(4)).withName("Adder"))
 *     .dump(Cy_Adder::dumpFields)
 *     .build();
 * private static final VarHandle VALUE$READ = CyTypes.reader(TYPE, "value");
 * }</pre>
 * The layout's first member is the {@code CyObject} header named {@code ob_base}, or, for a
 * cypclass extending another, the base cypclass's whole layout named {@code base}. {@link #build}
 * checks it, so handles can only be made at offsets that belong to the type.
 *
 * <p>For generated code; see the {@linkplain org.cypclass.objects.generated package}.
 *
 * @param <T> the cypclass
 */
public final class TypeBuilder<T extends CyObject> {

    private static final TypesAccess TYPES = SharedSecrets.types();

    private final Class<T> javaClass;
    private final Supplier<? extends T> factory;
    private final StructLayout layout;
    private CyType<?> base;
    private final List<String> references = new ArrayList<>();
    private String flexible;
    private Consumer<? super T> dealloc;
    private BiConsumer<? super T, StringBuilder> dumper;

    private TypeBuilder(Class<T> javaClass, Supplier<? extends T> factory, StructLayout layout) {
        this.javaClass = Objects.requireNonNull(javaClass, "javaClass");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /**
     * Starts describing a cypclass.
     *
     * @param javaClass the cypclass
     * @param factory makes an unbound reference of the cypclass (its no-argument constructor)
     * @param layout the instance layout, header or base first
     * @param <T> the cypclass
     * @return a builder
     */
    public static <T extends CyObject> TypeBuilder<T> of(Class<T> javaClass, Supplier<? extends T> factory, StructLayout layout) {
        return new TypeBuilder<>(javaClass, factory, layout);
    }

    /**
     * Names the cypclass this one extends.
     *
     * @param base the base type, whose layout must be this layout's first member
     * @return this builder
     */
    public TypeBuilder<T> base(CyType<?> base) {
        this.base = Objects.requireNonNull(base, "base");
        return this;
    }

    /**
     * Marks a member of the layout as a reference to a cypclass instance, or as a fixed-size
     * array of such references.
     *
     * @param field an address member of this type's own layout, or a sequence of them
     * @return this builder
     */
    public TypeBuilder<T> reference(String field) {
        references.add(Objects.requireNonNull(field, "field"));
        return this;
    }

    /**
     * Marks the layout's last member as a flexible array member (C99's {@code double data[]}):
     * a zero-length sequence of a primitive layout named {@code field}, right after an
     * {@code int64} member named {@code field + "_length"} that holds its element count.
     * Instances are then made with {@link CyTypes#initialize(CyType, CyObject, long)}.
     *
     * @param field the name of the flexible array member
     * @return this builder
     */
    public TypeBuilder<T> flexible(String field) {
        this.flexible = Objects.requireNonNull(field, "field");
        return this;
    }

    /**
     * Sets the hook run when an instance dies, before its references are released; without
     * one, a cypclass inherits its base's.
     *
     * @param hook called with a reference that can read the dying instance
     * @return this builder
     */
    public TypeBuilder<T> dealloc(Consumer<? super T> hook) {
        this.dealloc = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * Sets what {@link CyObject#dump()} prints of this class's own fields, after its base's:
     * it appends {@code name=value, } for each, with {@link CyTypes#dumpField}.
     *
     * @param dumper called with an open instance and the dump so far
     * @return this builder
     */
    public TypeBuilder<T> dump(BiConsumer<? super T, StringBuilder> dumper) {
        this.dumper = Objects.requireNonNull(dumper, "dumper");
        return this;
    }

    /**
     * Checks the layout and registers the type with the allocator.
     *
     * @return the type
     * @throws IllegalArgumentException if the layout does not start with the header (or the
     *         base layout), a reference member is not an address or a sequence of them, the base
     *         is not a superclass or ends with a flexible array member, or the flexible array
     *         member is malformed
     */
    public CyType<T> build() {
        return TYPES.define(new TypeDefinition<>(javaClass, factory, layout, base == null ? null : base.javaClass(),
            references, flexible, dealloc, dumper, null, null));
    }
}
