package io.cutover.sql.state;

/**
 * What the state tables need to know of a step: its name and the types of its source and target keys, which decide
 * how its migration log stores them ({@link LogTable}).
 *
 * @param sourceKey the plan's source key, as written (for messages)
 * @param targetKey the plan's target key, as written (for messages)
 */
public record StepKeys(String step, String sourceKey, int sourceType, String sourceTypeName,
                       String targetKey, int targetType, String targetTypeName) {
}
