package org.cypclass.objects.generated;

import java.lang.foreign.MemorySegment;

import org.cypclass.objects.CyObject;
import org.cypclass.objects.ElementsView;

/**
 * The flexible array member of a cypclass (C99's {@code double data[]} at the end of the
 * struct): an array of primitives sized when the instance is created, after a read-only
 * {@code int64} length field. Obtained only from {@link CyTypes#flexibleArray}; generated
 * accessors use it, and the element get and set go through {@link CyTypes#reader} and
 * {@link CyTypes#writer}. Implemented only by the library, as {@link RefField} is.
 *
 * <p>Every operation first checks the reference (open, usable by the calling thread), then
 * the whole range against the element count stored in the instance, and only then copies,
 * in one {@link MemorySegment#copy} call: a bad range throws
 * {@link IndexOutOfBoundsException} with nothing copied. The copies allocate nothing on the
 * Java heap.
 */
public interface FlexibleArrayField {

    /**
     * Reads the element count, fixed when the instance was created.
     *
     * @param self the instance holding the array
     * @return the number of elements, 0 or more
     */
    long length(CyObject self);

    /**
     * Copies {@code count} elements, starting at element {@code fromIndex}, into a Java array
     * of the element type.
     *
     * @param self the instance holding the array
     * @param fromIndex the first element to copy
     * @param dst an array whose component type is the element type
     * @param dstIndex where the first element goes in {@code dst}
     * @param count how many elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds or {@code count} is negative
     * @throws IllegalArgumentException if {@code dst} is not an array of the element type
     */
    void copyTo(CyObject self, long fromIndex, Object dst, int dstIndex, int count);

    /**
     * Copies {@code count} elements, starting at element {@code fromIndex}, into a segment,
     * in native byte order.
     *
     * @param self the instance holding the array
     * @param fromIndex the first element to copy
     * @param dst where to copy to
     * @param dstOffset the byte offset in {@code dst} of the first element
     * @param count how many elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds or {@code count} is negative
     * @throws IllegalArgumentException if {@code dst} is read-only
     * @throws IllegalStateException if the scope of {@code dst} is closed
     * @throws WrongThreadException if {@code dst} is confined to another thread
     */
    void copyTo(CyObject self, long fromIndex, MemorySegment dst, long dstOffset, long count);

    /**
     * Copies {@code count} elements of a Java array of the element type into the array
     * member, starting at element {@code atIndex}.
     *
     * @param self the instance holding the array
     * @param atIndex the first element to write
     * @param src an array whose component type is the element type
     * @param srcIndex the index in {@code src} of the first element to copy
     * @param count how many elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds or {@code count} is negative
     * @throws IllegalArgumentException if {@code src} is not an array of the element type
     */
    void copyFrom(CyObject self, long atIndex, Object src, int srcIndex, int count);

    /**
     * Copies {@code count} elements from a segment, in native byte order, into the array
     * member, starting at element {@code atIndex}. The segment may overlap the elements
     * (a view's segment): the copy behaves as if through an intermediate buffer.
     *
     * @param self the instance holding the array
     * @param atIndex the first element to write
     * @param src where to copy from
     * @param srcOffset the byte offset in {@code src} of the first element
     * @param count how many elements to copy
     * @throws IndexOutOfBoundsException if either range is out of bounds or {@code count} is negative
     * @throws IllegalStateException if the scope of {@code src} is closed
     * @throws WrongThreadException if {@code src} is confined to another thread
     */
    void copyFrom(CyObject self, long atIndex, MemorySegment src, long srcOffset, long count);

    /**
     * Opens a view of the elements as a segment; see {@link ElementsView}.
     *
     * @param self the instance holding the array
     * @return a view to close when done, confined to the calling thread
     */
    ElementsView view(CyObject self);

    /**
     * Prints the first elements, for the field dump.
     *
     * @param self the instance holding the array
     * @return for example {@code [1.0, 2.0, 3.0]}, or {@code [0.0, 0.0, ... (998 more)]}
     */
    String describe(CyObject self);
}
