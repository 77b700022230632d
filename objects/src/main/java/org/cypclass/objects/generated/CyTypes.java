package org.cypclass.objects.generated;

import java.lang.invoke.VarHandle;

import org.checkerframework.checker.mustcall.qual.MustCallAlias;
import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;
import org.cypclass.objects.internal.SharedSecrets;
import org.cypclass.objects.internal.TypesAccess;

/**
 * What a generated class does with its {@link CyType}: allocate instances in its factories, make
 * the handles and accessors of its fields once (kept in {@code static final} fields, so the JIT
 * folds them into every access), and print its fields.
 *
 * <p>The handles returned by {@link #reader} and {@link #writer} take the reference as their
 * only coordinate (arrays: the reference and a {@code long} index) and check, on every access,
 * that the reference is open and that the calling thread may use the instance; the address
 * never reaches the caller. Each handle and accessor can only reach the field it was made for.
 *
 * <p>For generated code; see the {@linkplain org.cypclass.objects.generated package}.
 */
public final class CyTypes {

    /** The core's factory methods; a constant, so the JIT inlines through it. */
    private static final TypesAccess TYPES = SharedSecrets.types();

    private CyTypes() {
    }

    /**
     * Allocates an instance and binds a new, unbound reference of its cypclass to it; for the
     * generated factories, which construct the reference themselves so that it stays visible to
     * escape analysis. Every field starts zero, every reference null.
     *
     * <p>For a cypclass with a flexible array member this makes an instance with no elements;
     * the generated factories use {@link #initialize(CyType, CyObject, long)}.
     *
     * @param type the cypclass's type
     * @param unbound a reference just made with the cypclass's no-argument constructor
     * @param <T> the cypclass
     * @return {@code unbound}, now open and owning the instance's only count
     * @throws IllegalStateException if the reference is already bound
     */
    public static <T extends CyObject> @MustCallAlias T initialize(CyType<T> type, @MustCallAlias T unbound) {
        return TYPES.initialize(type, unbound);
    }

    /**
     * Allocates an instance of a cypclass with a flexible array member, with room for
     * {@code elements} elements (all zero), writes the element count into its length field and
     * binds a new, unbound reference to it; for the generated factories.
     *
     * @param type the cypclass's type
     * @param unbound a reference just made with the cypclass's no-argument constructor
     * @param elements the number of elements of the flexible array member
     * @param <T> the cypclass
     * @return {@code unbound}, now open and owning the instance's only count
     * @throws IllegalArgumentException if {@code elements} is negative or the instance would be
     *         too large to address; nothing was allocated
     * @throws IllegalStateException if the reference is already bound, or the cypclass has no
     *         flexible array member
     * @throws OutOfMemoryError if the C library cannot provide the memory; nothing leaked
     */
    public static <T extends CyObject> @MustCallAlias T initialize(CyType<T> type, @MustCallAlias T unbound, long elements) {
        return TYPES.initialize(type, unbound, elements);
    }

    /**
     * Makes a handle reading a primitive field: coordinates {@code (T)} for a scalar,
     * {@code (T, long index)} for an array element (a fixed-size array or the flexible array
     * member, whose index is checked against the element count stored in the instance).
     *
     * @param type the cypclass's type
     * @param field the field's name, in this type or a base
     * @return a var handle for plain reads ({@code get})
     * @throws IllegalArgumentException if there is no such primitive field
     */
    public static VarHandle reader(CyType<?> type, String field) {
        return TYPES.reader(type, field);
    }

    /**
     * Makes a handle writing a primitive field; see {@link #reader}. The length of a flexible
     * array member is read-only: every bounds check trusts it.
     *
     * @param type the cypclass's type
     * @param field the field's name, in this type or a base
     * @return a var handle for plain writes ({@code set})
     * @throws IllegalArgumentException if there is no such primitive field, or it is the length
     *         of the flexible array member
     */
    public static VarHandle writer(CyType<?> type, String field) {
        return TYPES.writer(type, field);
    }

    /**
     * Makes the accessor of a reference field.
     *
     * @param type the cypclass's type
     * @param field the field's name, in this type or a base
     * @param declared the field's declared cypclass
     * @param <V> the field's declared cypclass
     * @return the accessor
     * @throws IllegalArgumentException if there is no such reference field
     */
    public static <V extends CyObject> RefField<V> reference(CyType<?> type, String field, Class<V> declared) {
        return TYPES.reference(type, field, declared);
    }

    /**
     * Makes the accessor of a fixed-size array of references.
     *
     * @param type the cypclass's type
     * @param field the field's name, in this type or a base
     * @param declared the declared cypclass of its elements
     * @param <V> the declared cypclass of its elements
     * @return the accessor
     * @throws IllegalArgumentException if there is no such array of references
     */
    public static <V extends CyObject> RefArrayField<V> referenceArray(CyType<?> type, String field, Class<V> declared) {
        return TYPES.referenceArray(type, field, declared);
    }

    /**
     * Returns the accessor of the flexible array member: its length, bulk copies and views.
     *
     * @param type the cypclass's type
     * @param field the flexible array member's name
     * @return the accessor
     * @throws IllegalArgumentException if {@code field} is not the type's flexible array member
     */
    public static FlexibleArrayField flexibleArray(CyType<?> type, String field) {
        return TYPES.flexibleArray(type, field);
    }

    /**
     * Appends one field to a dump, as {@code name=value, }; for the dumpers given to
     * {@link TypeBuilder#dump}.
     *
     * @param out the dump so far
     * @param name the field's name
     * @param value the field's value, printed with {@code String.valueOf}
     */
    public static void dumpField(StringBuilder out, String name, Object value) {
        out.append(name).append('=').append(value).append(", ");
    }

    /**
     * Registers the content hash and equality of a cypclass that declares {@code @Hash} and
     * {@code @Equals}, for the containers keyed by content.
     *
     * @param type the cypclass's type, just built
     * @param methods calls its {@code @Hash} and {@code @Equals} methods
     * @param <T> the cypclass
     * @return {@code methods}
     * @throws IllegalStateException if the cypclass has methods registered already
     */
    public static <T extends CyObject> KeyMethods<T> keyMethods(CyType<T> type, KeyMethods<T> methods) {
        TYPES.defineKeyMethods(type, methods);
        return methods;
    }
}
