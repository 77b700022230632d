/**
 * Not exported. Downcall handles linked from the generated bindings with {@code errno}
 * capture, the per-thread capture segment, the close protocol of native files and argument
 * checks. {@link org.cypclass.libc.internal.Downcalls} is the only class that performs
 * restricted FFM operations.
 *
 * <p>Thread-safety: a type of this package without a thread-safety line of its own is
 * stateless or immutable, and safe to use from any thread.
 */
package org.cypclass.libc.internal;
