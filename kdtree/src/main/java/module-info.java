/**
 * The talk's benchmark made real: a k-d tree whose nodes are cypclass instances and whose
 * points live off-heap in float64 storage of the library, built as scikit-learn builds its
 * {@code KDTree} (split on the dimension of largest spread, partition around the median, stop
 * at the leaf size, points permuted into tree order), in parallel by handing isolated subtrees
 * to workers, and queried for exact k nearest neighbours on any number of threads through the
 * frozen tree.
 */
module org.cypclass.kdtree {
    requires transitive org.cypclass.objects;
    requires org.cypclass.libc;

    exports org.cypclass.kdtree;
}
