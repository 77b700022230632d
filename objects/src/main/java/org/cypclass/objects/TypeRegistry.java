package org.cypclass.objects;

import java.lang.foreign.MemoryLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.cypclass.memory.CyObjectHeader;
import org.cypclass.memory.internal.BlockTypes;
import org.cypclass.memory.internal.ReferenceVisitor;
import org.cypclass.objects.generated.KeyMethods;
import org.cypclass.objects.internal.TypeDefinition;

/**
 * Every cypclass type of the process: {@link #define} checks a {@link TypeDefinition}, registers
 * the type with the allocator (its name, destructor and reference slots, for a type id) and
 * makes its {@link CyType}; the lookups find it again by Java class or by type id.
 *
 * <p>Thread-safety: types are defined on any thread (the static initializers of generated
 * classes and containers) and looked up by every thread. Both tables are written under the
 * class's lock and read without it: the map by class is a {@link ConcurrentHashMap}, the array
 * by type id is copied, filled and published whole through a volatile field. Either publication
 * orders the type's construction before a reader that finds it, and a {@code CyType}'s fields
 * are final besides.
 */
final class TypeRegistry {

    private static final Map<Class<?>, CyType<?>> BY_CLASS = new ConcurrentHashMap<>();
    /** The {@code @Hash}/{@code @Equals} methods of the cypclasses that declare them. */
    private static final Map<Class<?>, KeyMethods<?>> KEY_METHODS = new ConcurrentHashMap<>();
    /** By allocator type id; replaced whole under the lock, read without it. */
    private static volatile CyType<?>[] byId = new CyType<?>[0];

    private TypeRegistry() {
    }

    /**
     * Checks a definition and registers its type; {@code TypeBuilder.build} and the containers
     * come here through {@link TypeSupport}.
     *
     * @throws IllegalArgumentException if the layout does not start with the header (or the
     *         base layout), a reference member is not an address or a sequence of them, or the
     *         flexible array member is malformed
     * @throws IllegalStateException if the base is not a cypclass, or a type that reports its own
     *         references has reference fields
     */
    @SuppressWarnings("unchecked")
    static <T extends CyObject> CyType<T> define(TypeDefinition<T> definition) {
        Class<T> javaClass = definition.javaClass();
        CyType<?> base = definition.base() == null ? null : ofClass(definition.base());
        List<MemoryLayout> members = definition.layout().memberLayouts();
        MemoryLayout first = members.isEmpty() ? null : members.get(0);
        MemoryLayout expected = base == null ? CyObjectHeader.LAYOUT.withName("ob_base") : base.layout().withName("base");
        if (!expected.equals(first)) {
            throw new IllegalArgumentException(javaClass.getName() + ": the layout must start with " + expected + ", not " + first);
        }
        if (base != null && !base.javaClass().isAssignableFrom(javaClass)) {
            throw new IllegalArgumentException(javaClass.getName() + " does not extend " + base.javaClass().getName());
        }
        if (base != null && base.flexible() != null) {
            // C forbids a struct with a flexible array member inside another struct.
            throw new IllegalArgumentException(javaClass.getName() + " cannot extend " + base.javaClass().getName()
                + ", which ends with the flexible array member " + base.flexible().name() + "[]");
        }
        Consumer<? super T> dealloc = definition.dealloc();
        if (dealloc == null && base != null) {
            dealloc = (Consumer<? super T>) base.dealloc();
        }
        FieldReferences references = FieldReferences.of(javaClass, definition.layout(),
            base == null ? null : base.references(), definition.references());
        FlexibleArray flexible = definition.flexible() == null ? null
            : FlexibleArray.of(javaClass, definition.layout(), definition.flexible());
        ReferenceVisitor held = definition.held();
        if (held != null && !references.isEmpty()) {
            throw new IllegalStateException(javaClass.getName() + ": a type that reports its own references has no"
                + " reference fields");
        }
        int typeId = BlockTypes.register(javaClass.getName(),
            TypeDestructor.of(javaClass, definition.factory(), dealloc, references, definition.release()),
            held != null ? held : references);
        CyType<T> type = new CyType<>(javaClass, definition.factory(), base, definition.layout(), references, flexible,
            dealloc, definition.dumper(), typeId);
        register(type);
        return type;
    }

    private static synchronized void register(CyType<?> type) {
        CyType<?>[] table = byId;
        if (table.length <= type.typeId()) {
            table = Arrays.copyOf(table, Math.max(type.typeId() + 1, table.length * 2));
        } else {
            table = table.clone();
        }
        table[type.typeId()] = type;
        byId = table;
        BY_CLASS.put(type.javaClass(), type);
    }

    /**
     * {@return the type of a cypclass}
     *
     * @throws IllegalStateException if {@code javaClass} is not a cypclass
     */
    static CyType<?> ofClass(Class<?> javaClass) {
        CyType<?> type = BY_CLASS.get(javaClass);
        if (type == null) {
            throw new IllegalStateException(javaClass.getName() + " is not a cypclass");
        }
        return type;
    }

    /** {@return the type of a live instance's type id (from its block prefix); not checked} */
    static CyType<?> ofTypeId(int typeId) {
        return byId[typeId];
    }

    /** {@return the cypclass of the instances of an allocator type id, or null if it is not a cypclass} */
    static Class<?> classOfTypeId(int typeId) {
        CyType<?>[] table = byId;
        CyType<?> type = typeId >= 0 && typeId < table.length ? table[typeId] : null;
        return type == null ? null : type.javaClass();
    }

    /** Registers the content hash and equality of a cypclass, once. */
    static void defineKeyMethods(CyType<?> type, KeyMethods<?> methods) {
        if (KEY_METHODS.putIfAbsent(type.javaClass(), Objects.requireNonNull(methods, "methods")) != null) {
            throw new IllegalStateException(type.javaClass().getName() + " has @Hash and @Equals methods already");
        }
    }

    /** {@return the content hash and equality of a cypclass's keys, its own or its nearest base's; or null} */
    static KeyMethods<?> keyMethods(Class<?> keyClass) {
        for (Class<?> c = keyClass; c != null && c != CyObject.class; c = c.getSuperclass()) {
            KeyMethods<?> methods = KEY_METHODS.get(c);
            if (methods != null) {
                return methods;
            }
        }
        return null;
    }
}
