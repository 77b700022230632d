/**
 * <b>Internal, unsafe.</b> Raw-address code of the memory layer: the allocator, the
 * reference-count arithmetic, the type registry and the single entry point for restricted
 * FFM calls ({@link org.cypclass.memory.internal.NativeAccess}). Every method here trusts its
 * address arguments. This package is not exported to applications; the layers above check
 * liveness, ownership and capabilities before calling in.
 *
 * <p>Thread-safety: a type of this package without a thread-safety line of its own is
 * stateless or immutable, and safe to use from any thread.
 */
package org.cypclass.memory.internal;
