/**
 * The memory layer of Cypclass for Java: the {@code CyObject} header that starts every
 * off-heap instance, its reference counts, and the library's own off-heap allocator with
 * per-type accounting and leak reports.
 *
 * <p>Only {@link org.cypclass.memory} is exported. Raw-address code lives in
 * {@code org.cypclass.memory.internal}, which is not exported to applications.
 */
module org.cypclass.memory {
    exports org.cypclass.memory;
}
