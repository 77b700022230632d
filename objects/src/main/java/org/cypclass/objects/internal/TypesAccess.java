package org.cypclass.objects.internal;

import java.lang.invoke.VarHandle;

import org.cypclass.objects.CyObject;
import org.cypclass.objects.CyType;
import org.cypclass.objects.generated.FlexibleArrayField;
import org.cypclass.objects.generated.KeyMethods;
import org.cypclass.objects.generated.RefArrayField;
import org.cypclass.objects.generated.RefField;

/**
 * What {@code org.cypclass.objects.generated} (for generated code) and the built-in containers
 * need from {@link CyType} without its being public: defining a type, allocating an instance,
 * and making the handles and accessors of its fields. Implemented by the core, registered with
 * {@link SharedSecrets#registerTypes}; this package is not exported.
 */
public interface TypesAccess {

    /**
     * Checks a definition and registers its type with the allocator.
     *
     * @param definition what the type is made of
     * @param <T> the cypclass
     * @return the type
     * @throws IllegalArgumentException if the layout does not start with the header (or the
     *         base layout), a reference member is not an address or a sequence of them, or the
     *         flexible array member is malformed
     */
    <T extends CyObject> CyType<T> define(TypeDefinition<T> definition);

    /**
     * Allocates an instance and binds an unbound reference to it; see {@code CyTypes.initialize}.
     *
     * @param type the reference's type
     * @param unbound a reference just made with the cypclass's no-argument constructor
     * @param <T> the cypclass
     * @return {@code unbound}, now open and owning the instance's only count
     */
    <T extends CyObject> T initialize(CyType<T> type, T unbound);

    /**
     * Allocates an instance with a flexible array member; see {@code CyTypes.initialize}.
     *
     * @param type the reference's type
     * @param unbound a reference just made with the cypclass's no-argument constructor
     * @param elements the number of elements
     * @param <T> the cypclass
     * @return {@code unbound}, now open and owning the instance's only count
     */
    <T extends CyObject> T initialize(CyType<T> type, T unbound, long elements);

    /**
     * Makes the reading handle of a primitive field; see {@code CyTypes.reader}.
     *
     * @param type the type declaring the field, or a subtype
     * @param field the field's name
     * @return the handle
     */
    VarHandle reader(CyType<?> type, String field);

    /**
     * Makes the writing handle of a primitive field; see {@code CyTypes.writer}.
     *
     * @param type the type declaring the field, or a subtype
     * @param field the field's name
     * @return the handle
     */
    VarHandle writer(CyType<?> type, String field);

    /**
     * Makes the accessor of a reference field; see {@code CyTypes.reference}.
     *
     * @param type the type declaring the field, or a subtype
     * @param field the field's name
     * @param declared the field's declared cypclass
     * @param <V> the field's declared cypclass
     * @return the accessor
     */
    <V extends CyObject> RefField<V> reference(CyType<?> type, String field, Class<V> declared);

    /**
     * Makes the accessor of an array of references; see {@code CyTypes.referenceArray}.
     *
     * @param type the type declaring the field, or a subtype
     * @param field the field's name
     * @param declared the declared cypclass of its elements
     * @param <V> the declared cypclass of its elements
     * @return the accessor
     */
    <V extends CyObject> RefArrayField<V> referenceArray(CyType<?> type, String field, Class<V> declared);

    /**
     * Returns the accessor of the flexible array member; see {@code CyTypes.flexibleArray}.
     *
     * @param type the type declaring it
     * @param field its name
     * @return the accessor
     */
    FlexibleArrayField flexibleArray(CyType<?> type, String field);

    /**
     * Returns the reference through which a call from C runs on the object at {@code self};
     * see {@code CExports.receiver}.
     *
     * @param type the exporting cypclass's type
     * @param self the receiver's address, as C passed it
     * @param <T> the cypclass
     * @return a reference usable by the calling thread for the call
     */
    <T extends CyObject> T cReceiver(CyType<T> type, long self);

    /**
     * Returns a borrowed reference to a cypclass argument C passed; see {@code CExports.argument}.
     *
     * @param declared the parameter's cypclass
     * @param address the argument, as C passed it
     * @param <V> the parameter's cypclass
     * @return the reference, or null for NULL
     */
    <V extends CyObject> V cArgument(Class<V> declared, long address);

    /**
     * Hands a method's cypclass result to C: an owned one's count goes with it (the reference
     * is spent), a borrowed or garbage-collected one gets a new count; when C wants no result,
     * an owned one is closed and nothing is counted.
     *
     * @param result the result, or null
     * @param wanted whether C asked for the result
     * @return its address, or 0
     */
    long cExportResult(CyObject result, boolean wanted);

    /**
     * Hands an owned reference's count to C, closing the reference without releasing.
     *
     * @param created an owned reference, spent by this call
     * @return its address, or 0
     */
    long cExportOwned(CyObject created);

    /**
     * Returns the {@code CY_E*} status of a call from C that failed.
     *
     * @param failure what it threw
     * @return the status, below 0
     */
    int cStatus(Throwable failure);

    /**
     * Registers a cypclass's content hash and equality; see {@code CyTypes.keyMethods}.
     *
     * @param type the cypclass's type
     * @param methods its {@code @Hash} and {@code @Equals} methods
     * @throws IllegalStateException if the cypclass has methods registered already
     */
    void defineKeyMethods(CyType<?> type, KeyMethods<?> methods);

    /**
     * Returns the content hash and equality the containers keyed by content call for keys of
     * {@code keyClass}: its own, or the nearest base cypclass's.
     *
     * @param keyClass a cypclass, initialized (its type is defined)
     * @return the methods, or null if neither it nor a base declares {@code @Hash} and {@code @Equals}
     */
    KeyMethods<?> keyMethods(Class<? extends CyObject> keyClass);
}
