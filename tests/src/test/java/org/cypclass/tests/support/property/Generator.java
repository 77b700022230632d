package org.cypclass.tests.support.property;

/**
 * Makes one case from a source of choices. It must draw everything it varies from
 * {@code choices}, so that the same choices give the same case: that is what makes a failure
 * replayable and shrinkable.
 *
 * @param <T> the type of the cases
 */
@FunctionalInterface
public interface Generator<T> {

    /** {@return a case built from the draws it makes on {@code choices}} */
    T generate(Choices choices);
}
