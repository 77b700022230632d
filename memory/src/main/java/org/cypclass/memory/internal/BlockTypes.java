package org.cypclass.memory.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * Registry of block types: the unit of memory accounting, the native {@code CyTypeObject}
 * that an object's {@code ob_type} points to, and the destructor run when an object dies
 * (on a release in Java, or in C through the type object's {@code tp_dealloc}), and the
 * {@link ReferenceVisitor} that tells cycle detection and orphan adoption which references
 * an object holds.
 *
 * <p>Ids are dense, start at {@link #UNTYPED} + 1 and are never reused. Registration is rare
 * and takes a lock; lookups read an immutable snapshot published through a volatile field and
 * take no lock.
 *
 * <p>Thread-safety: safe to use from any thread.
 */
public final class BlockTypes {

    /** Id of the type used for blocks allocated without a type. */
    public static final int UNTYPED = 0;

    /**
     * The native type object, declared in C as {@code CyTypeObject}:
     * <pre>
     *   0  tp_name     const char *             NUL-terminated type name
     *   8  tp_id       int32                    the id returned by {@link #register}
     *  12  tp_flags    int32                    reserved, 0
     *  16  tp_dealloc  void (*)(CyObject *)     the upcall that destroys an object whose last
     *                                           reference C released; one stub for every type
     *  24  tp_lock_wait   int32_t (*)(CyObject *, int32_t write)
     *                                           the upcall in which C waits for a lock it could
     *                                           not take at once ({@link TpLock}); 0 once held
     *  32  tp_lock_wake   void (*)(CyObject *, int32_t by_writer)
     *                                           the upcall by which C's release wakes waiters
     *  40  tp_methods     const void *          the type's table of methods exported to C (a
     *                                           generated {@code struct X_methods}), or NULL;
     *                                           set once, by {@link #setMethods}
     * </pre>
     */
    public static final StructLayout TYPE_OBJECT_LAYOUT = MemoryLayout.structLayout(
            ValueLayout.ADDRESS.withName("tp_name"),
            ValueLayout.JAVA_INT.withName("tp_id"),
            ValueLayout.JAVA_INT.withName("tp_flags"),
            ValueLayout.ADDRESS.withName("tp_dealloc"),
            ValueLayout.ADDRESS.withName("tp_lock_wait"),
            ValueLayout.ADDRESS.withName("tp_lock_wake"),
            ValueLayout.ADDRESS.withName("tp_methods"))
        .withName("CyTypeObject");

    /** Offset of {@code tp_methods} in the type object. */
    private static final long TP_METHODS = 40;
    /** Release and acquire on {@code tp_methods}; see {@link #setMethods}. */
    private static final java.lang.invoke.VarHandle METHODS = ValueLayout.JAVA_LONG.varHandle();

    private record Table(String[] names, Destructor[] destructors, long[] typeObjects, ReferenceVisitor[] visitors) {
    }

    private static final Object LOCK = new Object();
    /** Published with a volatile write after the arrays are filled; readers see whole tables. */
    private static volatile Table table = new Table(new String[0], new Destructor[0], new long[0], new ReferenceVisitor[0]);

    static {
        register("untyped", Destructor.NONE);
    }

    private BlockTypes() {
    }

    /**
     * Registers a new type whose references are not known to the memory layer: cycle
     * detection treats its objects as holding none (so it never reports a cycle through
     * them), and adopting one of them adopts it alone.
     *
     * @param name the name shown in leak reports and read by C through {@code tp_name}
     * @param destructor what runs when an object of this type dies
     * @return the new type's id
     */
    public static int register(String name, Destructor destructor) {
        return register(name, destructor, ReferenceVisitor.NONE);
    }

    /**
     * Registers a new type.
     *
     * @param name the name shown in leak reports and read by C through {@code tp_name}
     * @param destructor what runs when an object of this type dies
     * @param references finds the counted references an object of this type holds
     * @return the new type's id
     */
    public static int register(String name, Destructor destructor, ReferenceVisitor references) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(destructor, "destructor");
        Objects.requireNonNull(references, "references");
        synchronized (LOCK) {
            Table old = table;
            int id = old.names.length;
            if (id > BlockPrefix.MAX_TYPE_ID) {
                throw new IllegalStateException("cannot register type " + name + ": all " + (BlockPrefix.MAX_TYPE_ID + 1)
                    + " type ids are taken; a block prefix holds 16 bits of type id");
            }
            MemorySegment typeObject = Arena.global().allocate(TYPE_OBJECT_LAYOUT);
            typeObject.set(ValueLayout.ADDRESS, 0, Arena.global().allocateFrom(name));
            typeObject.set(ValueLayout.JAVA_INT, 8, id);
            typeObject.set(ValueLayout.JAVA_INT, 12, 0);
            typeObject.set(ValueLayout.JAVA_LONG, 16, TpDealloc.STUB);
            typeObject.set(ValueLayout.JAVA_LONG, 24, TpLock.WAIT_STUB);
            typeObject.set(ValueLayout.JAVA_LONG, 32, TpLock.WAKE_STUB);
            typeObject.set(ValueLayout.JAVA_LONG, TP_METHODS, 0L);
            String[] names = Arrays.copyOf(old.names, id + 1);
            Destructor[] destructors = Arrays.copyOf(old.destructors, id + 1);
            long[] typeObjects = Arrays.copyOf(old.typeObjects, id + 1);
            ReferenceVisitor[] visitors = Arrays.copyOf(old.visitors, id + 1);
            visitors[id] = references;
            names[id] = name;
            destructors[id] = destructor;
            typeObjects[id] = typeObject.address();
            table = new Table(names, destructors, typeObjects, visitors);
            return id;
        }
    }

    /**
     * Registers a type whose objects hold no references.
     *
     * @param name the type's name
     * @return the new type's id
     */
    public static int register(String name) {
        return register(name, Destructor.NONE);
    }

    /**
     * {@return the number of registered types; valid ids are below it}
     */
    public static int count() {
        return table.names.length;
    }

    /**
     * {@return the type's name, or {@code "<unknown type N>"} (N the id) for an id never
     * registered}
     *
     * @param id a registered type id
     */
    public static String name(int id) {
        String[] names = table.names;
        return id >= 0 && id < names.length ? names[id] : "<unknown type " + id + ">";
    }

    /**
     * {@return the address of the type's native {@code CyTypeObject}}
     *
     * @param id a registered type id
     */
    public static long typeObject(int id) {
        return table.typeObjects[id];
    }

    /**
     * {@return the type's reference visitor, which finds the references an object of the type
     * holds; {@link ReferenceVisitor#NONE} for an unknown id}
     *
     * @param id a type id, as read from a block prefix
     */
    static ReferenceVisitor references(int id) {
        ReferenceVisitor[] visitors = table.visitors;
        return id >= 0 && id < visitors.length ? visitors[id] : ReferenceVisitor.NONE;
    }

    /**
     * Names a reference slot of an object for reports, through its type's visitor.
     *
     * @param object a live object
     * @param offset a slot offset its type's visitor reported
     * @return for example {@code next} or {@code children[1]}
     */
    public static String slotName(long object, long offset) {
        return references(Allocator.typeOf(object)).slotName(object, offset);
    }

    /**
     * Publishes a type's table of methods exported to C in its type object's {@code tp_methods}.
     * A release store (under the registry's lock, which makes it once): C code that reads the
     * pointer through an object it was handed, or through a type object Java gave it, was given
     * it after this store by a synchronising hand-over, so a plain C read sees the whole table.
     *
     * @param id a registered type id
     * @param methods the address of the table, which lives as long as the process
     * @throws IllegalStateException if the type already has a table
     */
    public static void setMethods(int id, long methods) {
        synchronized (LOCK) {
            MemorySegment typeObject = NativeAccess.segment(typeObject(id), TYPE_OBJECT_LAYOUT.byteSize());
            if (typeObject.get(ValueLayout.JAVA_LONG, TP_METHODS) != 0) {
                throw new IllegalStateException("type " + name(id) + " already has its table of C methods");
            }
            METHODS.setRelease(typeObject, TP_METHODS, methods);
        }
    }

    /**
     * {@return the address of the type's table of methods exported to C, or 0 if it has none}
     *
     * @param id a registered type id
     */
    public static long methods(int id) {
        return (long) METHODS.getAcquire(NativeAccess.segment(typeObject(id), TYPE_OBJECT_LAYOUT.byteSize()), TP_METHODS);
    }

    static Destructor destructor(int id) {
        return table.destructors[id];
    }

    static boolean isRegistered(int id) {
        return id >= 0 && id < table.names.length;
    }
}
