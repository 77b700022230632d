/**
 * jcstress tests of the library's concurrent protocols: each test names the race it provokes,
 * and its outcome table says which results the protocol allows. Run by {@code ./cypclass stress}.
 */
package org.cypclass.stress;
