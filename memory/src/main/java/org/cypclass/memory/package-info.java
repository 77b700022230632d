/**
 * The public face of the memory layer: the {@link org.cypclass.memory.CyObjectHeader}
 * descriptor, memory statistics and leak reports.
 *
 * <h2>Memory-ordering vocabulary</h2>
 * Every atomic access in this library names its ordering with the VarHandle access mode it
 * uses, and says why at the field it touches:
 * <ul>
 *   <li><b>plain</b> ({@code get}/{@code set}): no ordering; only for data confined to one
 *       thread, such as the count of a thread-local object.</li>
 *   <li><b>opaque</b> ({@code getOpaque}/{@code setOpaque}): atomic and never hoisted out of a
 *       loop, but unordered with other accesses; for statistics read by other threads.</li>
 *   <li><b>release</b> / <b>acquire</b> ({@code setRelease}, {@code getAcquire},
 *       {@code weakCompareAndSetRelease}, {@link java.lang.invoke.VarHandle#acquireFence()}):
 *       a release makes every earlier write of its thread visible to the thread whose acquire
 *       reads the released value.</li>
 *   <li><b>volatile</b> ({@code getVolatile}, {@code compareAndSet}): sequentially consistent;
 *       used only where a diagnostic wants the latest value.</li>
 *   <li><b>relaxed CAS</b> ({@code weakCompareAndSetPlain}): atomic read-modify-write with no
 *       ordering, as C11's {@code memory_order_relaxed}.</li>
 * </ul>
 */
package org.cypclass.memory;
