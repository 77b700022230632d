/**
 * Built-in nogil containers, Cython+'s {@code cyplist}, {@code cypdict} and {@code cypset}: each
 * is itself a cypclass instance (the {@code CyObject} header, counted references, thread-local
 * capability, usable as a field of another cypclass, laid out for C in
 * {@code cypclass/containers.h}) whose elements live in a block of the library's allocator.
 *
 * <ul>
 *   <li>Lists of primitives: {@link org.cypclass.objects.containers.LongList},
 *       {@link org.cypclass.objects.containers.IntList},
 *       {@link org.cypclass.objects.containers.DoubleList}; of references:
 *       {@link org.cypclass.objects.containers.RefList}.</li>
 *   <li>Dicts (hash maps in insertion order, {@link org.cypclass.objects.containers.HashDict}):
 *       {@link org.cypclass.objects.containers.LongLongDict},
 *       {@link org.cypclass.objects.containers.LongIntDict},
 *       {@link org.cypclass.objects.containers.LongDoubleDict},
 *       {@link org.cypclass.objects.containers.IntLongDict},
 *       {@link org.cypclass.objects.containers.IntIntDict},
 *       {@link org.cypclass.objects.containers.IntDoubleDict}; with counted references:
 *       {@link org.cypclass.objects.containers.LongRefDict},
 *       {@link org.cypclass.objects.containers.IntRefDict} (reference values) and
 *       {@link org.cypclass.objects.containers.RefLongDict},
 *       {@link org.cypclass.objects.containers.RefRefDict} (reference keys, compared by
 *       identity), {@link org.cypclass.objects.containers.KeyLongDict},
 *       {@link org.cypclass.objects.containers.KeyRefDict} (frozen reference keys, compared by
 *       content through the key cypclass's {@code @Hash} and {@code @Equals} methods); a
 *       missing key in a strict {@code get} is a {@link java.util.NoSuchElementException}.</li>
 *   <li>Sets (hash sets in insertion order): of primitives
 *       ({@link org.cypclass.objects.containers.PrimitiveSet}),
 *       {@link org.cypclass.objects.containers.LongSet},
 *       {@link org.cypclass.objects.containers.IntSet}; of references,
 *       {@link org.cypclass.objects.containers.RefSet} (identity) and
 *       {@link org.cypclass.objects.containers.KeySet} (frozen, by content).</li>
 * </ul>
 *
 * <p>Common rules: element access is a capability check and plain off-heap loads and stores;
 * nothing on the hot paths allocates on the Java heap; a bad index is an
 * {@link java.lang.IndexOutOfBoundsException}, a negative capacity an
 * {@link java.lang.IllegalArgumentException}; a reference element is stored as a reference
 * field is (checked, retained before the old one is released) and read as a borrowed
 * reference; the references a container holds belong to its object graph (cycle reports,
 * {@code Isolated.consume}, locking, freezing and the adoption of orphans see them). Cursors walk without allocating and fail fast with
 * {@link java.util.ConcurrentModificationException} when the size changed since they started;
 * {@code asList()}, {@code asMap()} and {@code asSet()} give {@code java.util} views.
 *
 * <p>Thread-safety: confined to the owning thread while thread-local, as every cypclass instance;
 * a container's cursors, views and package-private helpers follow their container and say
 * nothing more. The layout descriptors ({@code ListLayout}, {@code DictLayout}) hold constants.
 */
package org.cypclass.objects.containers;
