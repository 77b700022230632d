/**
 * What runs the jcstress tests of this module and sums up their results: {@link
 * org.cypclass.stress.run.JcstressRun} starts jcstress, shows its progress and keeps its whole
 * report; {@link org.cypclass.stress.run.JcstressReport} reads that report. Used by the
 * {@code stress} profile ({@code ./mvnw verify -Pstress}), and so by {@code ./cypclass stress}
 * and {@code ./cypclass test}.
 */
package org.cypclass.stress.run;
