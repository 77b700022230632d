/**
 * jcstress tests of the library's concurrent protocols (on raw addresses) and of the public
 * layers built on them ({@code Locked} guards, {@code Isolated}, actors, on the {@link
 * org.cypclass.stress.Cell} cypclass): each test names the race it provokes, and its outcome
 * table says which results are allowed, with a catch-all FORBIDDEN for the rest. Run by
 * {@code ./cypclass test} and {@code ./cypclass stress}; {@code docs/STRESS.md} records a
 * default-mode run and what the tests caught with the library broken on purpose.
 */
package org.cypclass.stress;
