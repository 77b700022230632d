/**
 * Support for the code that the cypclass annotation processor generates ({@code Cy_X} for each
 * {@code @Cypclass X}): building a cypclass's {@link org.cypclass.objects.CyType}
 * ({@link org.cypclass.objects.generated.TypeBuilder}), the handles and accessors of its fields
 * and its factories' allocation ({@link org.cypclass.objects.generated.CyTypes}), the field
 * dump, the checks of the generated asynchronous methods
 * ({@link org.cypclass.objects.generated.ActorMessages}), and the table and upcall targets of the
 * methods exported to C ({@link org.cypclass.objects.generated.CExports}).
 *
 * <p><b>Not an API for people.</b> This package is exported because generated code, compiled in
 * the application's module, must reach it; an application calls what its generated classes
 * offer ({@code create}, the accessors) and the types of {@link org.cypclass.objects}, never
 * this package. It may change in any release, together with the processor, as
 * {@code dagger.internal} does for Dagger's generated code. Everything here checks its
 * arguments: a handle can only touch the fields of its own type, and nothing hands out an
 * address (the C targets take addresses from C, and check them as {@code CyType.adopt} does).
 *
 * <p>Thread-safety: the support classes and the field accessors are stateless. An accessor may
 * be used on any thread that may use the instance it touches (for a thread-local instance, its
 * owning thread: see {@link org.cypclass.objects.CyObject}); a
 * {@link org.cypclass.objects.generated.TypeBuilder} is used by one thread, as the generated
 * classes' static initializers do.
 */
package org.cypclass.objects.generated;
