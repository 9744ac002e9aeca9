package io.cutover.runbook.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML value with the place it was written, so that every problem can name file:line:col. */
public sealed interface Node {
    Where where();

    /** A line and column in the runbook file (both from 1). */
    record Where(int line, int col) {
        @Override
        public String toString() {
            return line + ":" + col;
        }
    }

    /** A scalar as written (null for YAML's null / ~ / empty). */
    record Scalar(String text, Where where) implements Node {
    }

    /** A list. */
    record Seq(List<Node> items, Where where) implements Node {
    }

    /** A mapping, in file order; {@code keys} holds where each key was written. */
    record Mapping(LinkedHashMap<String, Node> values, Map<String, Where> keys, Where where) implements Node {
        public Node get(String key) {
            return values.get(key);
        }
    }
}
