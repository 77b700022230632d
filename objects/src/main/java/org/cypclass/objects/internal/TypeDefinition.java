package org.cypclass.objects.internal;

import java.lang.foreign.StructLayout;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.cypclass.memory.internal.ReferenceVisitor;
import org.cypclass.objects.CyObject;

/**
 * Everything a {@code CyType} is made from, handed to {@link TypesAccess#define}: what a
 * generated class declares through {@code TypeBuilder}, or what a built-in container declares
 * directly (its destructor hook and the references it holds outside its fields, which no
 * public builder offers).
 *
 * <p>Thread-safety: immutable (the functions it holds are the caller's).
 *
 * @param javaClass the cypclass
 * @param factory makes an unbound reference of the cypclass (its no-argument constructor)
 * @param layout the instance layout, header or base first
 * @param base the cypclass this one extends, whose type is defined already; or null. A class
 *        rather than its {@code CyType}, so that this package does not depend on the descriptor
 *        it describes
 * @param references the members of {@code layout} that are references or arrays of them
 * @param flexible the name of the flexible array member, or null
 * @param dealloc the hook run when an instance dies, or null (a subclass then inherits its base's)
 * @param dumper appends this class's own fields ({@code name=value, }) to a dump, or null
 * @param release what the destructor releases after the reference fields (a container's
 *        elements and storage), given the dying instance's address; or null
 * @param held reports the counted references an instance holds outside its fields, for a
 *        built-in type without reference fields; or null
 * @param <T> the cypclass
 */
public record TypeDefinition<T extends CyObject>(Class<T> javaClass, Supplier<? extends T> factory, StructLayout layout,
                                                 Class<? extends CyObject> base, List<String> references, String flexible,
                                                 Consumer<? super T> dealloc, BiConsumer<? super T, StringBuilder> dumper,
                                                 LongConsumer release, ReferenceVisitor held) {

    /**
     * Checks the required parts and copies the list.
     *
     * @throws NullPointerException if {@code javaClass}, {@code factory}, {@code layout} or
     *         {@code references} is null
     */
    public TypeDefinition {
        Objects.requireNonNull(javaClass, "javaClass");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(layout, "layout");
        references = List.copyOf(references);
    }

    /**
     * Defines a built-in type (a container): no base, no reference field, no flexible array
     * member, no hook.
     *
     * @param javaClass the cypclass
     * @param factory makes an unbound reference of it
     * @param layout the instance layout, header first
     * @param dumper appends its fields to a dump
     * @param release what the destructor releases, given the dying instance's address; must not
     *        recurse into deaths (releases through {@link ObjectsAccess#release} are queued by the
     *        destruction loop)
     * @param held reports the counted references it holds, or null if it holds none
     * @param <T> the cypclass
     * @return the definition
     */
    public static <T extends CyObject> TypeDefinition<T> builtIn(Class<T> javaClass, Supplier<? extends T> factory,
                                                                 StructLayout layout, BiConsumer<? super T, StringBuilder> dumper,
                                                                 LongConsumer release, ReferenceVisitor held) {
        return new TypeDefinition<>(javaClass, factory, layout, null, List.of(), null, null,
            Objects.requireNonNull(dumper, "dumper"), Objects.requireNonNull(release, "release"), held);
    }
}
