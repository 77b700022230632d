package org.cypclass.tests.support.property;

/**
 * A property of one case: it returns normally when the case passes and throws when it fails.
 *
 * @param <T> the type of the cases
 */
@FunctionalInterface
public interface Property<T> {

    /** Checks {@code value}; any throwable is a failure. */
    void check(T value) throws Exception;
}
