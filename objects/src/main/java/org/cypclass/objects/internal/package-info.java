/**
 * Not API: the bridges between the core of {@code org.cypclass.objects} and the other packages
 * of the module (the built-in containers, the capabilities, the actors and the support of
 * generated code, {@code org.cypclass.objects.generated}). Not exported.
 *
 * <p>Thread-safety: the bridges are stateless and may be called from any thread; each method
 * checks the calling thread as its contract says. A type with a thread-safety line of its own
 * follows that line instead.
 */
package org.cypclass.objects.internal;
