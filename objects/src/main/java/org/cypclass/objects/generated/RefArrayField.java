package org.cypclass.objects.generated;

import org.checkerframework.checker.mustcall.qual.NotOwning;
import org.cypclass.objects.CyObject;

/**
 * A fixed-size array of reference fields of a cypclass, C's {@code struct Node *children[2]}:
 * each element a counted pointer to another instance, or null, with the semantics of a
 * {@link RefField} (the 2011 proposal's "objects as array elements").
 *
 * <p>Obtained only from {@link CyTypes#referenceArray}; generated accessors use it. Implemented
 * only by the library, as {@link RefField} is. Setting an element retains the new instance and then releases the old one; elements start null; the
 * instance's destructor releases them all. An index outside {@code [0, length())} throws
 * {@link IndexOutOfBoundsException} before anything is read, retained or released.
 *
 * @param <V> the declared cypclass of the elements
 */
public interface RefArrayField<V extends CyObject> {

    /**
     * Reads an element without taking a count.
     *
     * @param self the instance holding the array
     * @param index from 0 to {@code length() - 1}
     * @return a borrowed reference to the instance the element points to, of that instance's
     *         runtime class, valid while that instance lives (see {@link CyObject}); or null
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    @NotOwning
    V get(CyObject self, int index);

    /**
     * Writes an element: retains {@code value}, then releases the element's old target.
     *
     * @param self the instance holding the array
     * @param index from 0 to {@code length() - 1}
     * @param value the new target, or null; it must be open and usable by this thread
     * @throws IndexOutOfBoundsException if the index is out of range; nothing changed
     */
    void set(CyObject self, int index, V value);

    /**
     * {@return whether an element is null (points to nothing), without taking a reference}
     *
     * @param self the instance holding the array
     * @param index from 0 to {@code length() - 1}
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    boolean isNull(CyObject self, int index);

    /**
     * {@return the number of elements, fixed by the declaration's {@code @Length}}
     */
    int length();

    /**
     * Describes an element's target without taking a reference, for the field dump.
     *
     * @param self the instance holding the array
     * @param index from 0 to {@code length() - 1}
     * @return {@code null} or the target printed as {@link CyObject#toString()} does
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    String describe(CyObject self, int index);
}
