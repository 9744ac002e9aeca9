package io.cutover.sql.plan;

/** A foreign key translated through the migration log: source column {@code from} holds a key of {@code step}. */
public record Ref(String from, String step) {
}
