package io.cutover.sql;

import java.util.Map;

/**
 * A transform SQL cannot express, named by a step's {@code transform:} and loaded from the classpath with
 * {@link java.util.ServiceLoader} (list the class in {@code META-INF/services/io.cutover.sql.RowTransformer}).
 * It receives the row as target column → value (after the columns' SQL expressions, before ref translation)
 * and may change values in place. Throwing records the row as a {@code transform} error and skips it.
 */
public interface RowTransformer {
    /** The name used in the plan. */
    String name();

    /** Changes {@code row} in place; it must give the same result for the same input (verify reruns it). */
    void transform(Map<String, Object> row) throws Exception;
}
