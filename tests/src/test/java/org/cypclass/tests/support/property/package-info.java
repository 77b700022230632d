/**
 * Seeded property checks on plain JUnit 5: a {@link org.cypclass.tests.support.property.Generator}
 * draws a case from {@link org.cypclass.tests.support.property.Choices},
 * {@link org.cypclass.tests.support.property.PropertyCheck} runs the property on many cases, and
 * when one fails, {@link org.cypclass.tests.support.property.Shrinker} reduces the recorded
 * choices to a minimal failing case, which is reported with the seed that replays the run.
 *
 * <p>Shrinking works on the recorded choices, not on the generated values (the design of
 * Hypothesis): a generator needs no shrinker of its own, and any case that a shorter or smaller
 * choice list replays into is, by construction, a case the generator could have made.
 */
package org.cypclass.tests.support.property;
