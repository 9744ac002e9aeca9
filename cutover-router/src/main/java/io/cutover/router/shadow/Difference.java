package io.cutover.router.shadow;

/**
 * One field that differs between two answers: {@code status}, {@code header:NAME}, a JSON path with array indexes as
 * {@code [*]} ({@code $.items[*].price}: one name for a field however many items there are), or {@code body} for a body
 * that is not JSON. The values are JSON-ready (a JSON node, a string, a number, or null for absent).
 */
public record Difference(String field, Object primary, Object shadow) {
}
