/**
 * The memory layer of Cypclass for Java: the {@code CyObject} header that starts every
 * off-heap instance, its reference counts, and the library's own off-heap allocator with
 * per-type accounting and leak reports.
 *
 * <p>Only {@link org.cypclass.memory} is exported. Raw-address code lives in
 * {@code org.cypclass.memory.internal}, which is not exported to applications.
 */
@SuppressWarnings("module") // the qualified export names a module built after this one
module org.cypclass.memory {
    // NogilRegion reads the thread's allocated-bytes counter (com.sun.management.ThreadMXBean).
    requires jdk.management;

    exports org.cypclass.memory;
    // The object layer builds on the raw allocator and reference counts; applications do not see them.
    exports org.cypclass.memory.internal to org.cypclass.objects, org.cypclass.objects.containers;
}
