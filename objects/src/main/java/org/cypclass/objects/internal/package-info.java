/**
 * Not API: the bridge between the core of {@code org.cypclass.objects} and the library's
 * built-in cypclasses in other packages of the module. Not exported.
 */
package org.cypclass.objects.internal;
