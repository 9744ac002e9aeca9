package io.cutover.sql.plan;

/**
 * Rows are inserted with {@code column = value} (hidden) until {@code cutover sql reveal} sets
 * {@code column = reveal}. When {@code reveal} is absent it is the opposite of a boolean or 0/1 value.
 */
public record Hide(String column, Object value, Object reveal) {
    /** The value that makes a row visible. */
    public Object revealValue() {
        if (reveal != null) {
            return reveal;
        }
        if (value instanceof Boolean b) {
            return !b;
        }
        if (value instanceof Number n && (n.intValue() == 0 || n.intValue() == 1)) {
            return 1 - n.intValue();
        }
        String s = String.valueOf(value);
        if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("true")) {
            return !Boolean.parseBoolean(s);
        }
        return null;
    }
}
