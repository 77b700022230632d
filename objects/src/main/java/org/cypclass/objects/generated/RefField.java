package org.cypclass.objects.generated;

import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.cypclass.objects.CyObject;

/**
 * A reference field of a cypclass: a counted pointer to another instance, or null.
 *
 * <p>Obtained only from {@link CyTypes#reference}; generated accessors use it. Implemented only
 * by the library (the one implementation lives beside {@code CyObject}, whose package-private
 * checks it calls without a bridge). Setting the field retains the new instance and then
 * releases the old one (so assigning a field its own value is safe); fields start null; the
 * instance's destructor releases them.
 *
 * @param <V> the declared cypclass of the field
 */
public interface RefField<V extends CyObject> {

    /**
     * Reads the field without taking a count.
     *
     * @param self the instance holding the field
     * @return a borrowed reference to the instance the field points to, of that instance's
     *         runtime class, valid while that instance lives (see {@link CyObject}); or null
     */
    @NotOwning
    V get(CyObject self);

    /**
     * Writes the field.
     *
     * @param self the instance holding the field
     * @param value the new target, or null; it must be open and usable by this thread
     */
    void set(CyObject self, V value);

    /**
     * {@return whether the field is null (points to nothing), without taking a reference}
     *
     * @param self the instance holding the field
     */
    boolean isNull(CyObject self);

    /**
     * Describes the field's target without taking a reference, for the field dump.
     *
     * @param self the instance holding the field
     * @return {@code null} or the target printed as {@link CyObject#toString()} does
     */
    String describe(CyObject self);
}
