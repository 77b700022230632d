/**
 * Not API: the bridges between the core of {@code org.cypclass.objects} and the other packages
 * of the module (the built-in containers, the capabilities, the actors and the support of
 * generated code, {@code org.cypclass.objects.generated}). Not exported.
 */
package org.cypclass.objects.internal;
