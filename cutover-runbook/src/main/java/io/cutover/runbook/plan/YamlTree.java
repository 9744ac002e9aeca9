package io.cutover.runbook.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML into {@link Node}s that remember their line and column. Jackson's tree model drops locations, so
 * this walks the streaming parser itself.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {
    }

    /** The document's root, or a {@link Problem} at the place the YAML is broken. */
    static Node read(String text) throws Problem {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Node.Mapping(new LinkedHashMap<>(), Map.of(), new Node.Where(1, 1));
            }
            return value(p);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage().lines().findFirst().orElse("not valid YAML");
            throw new Problem(l == null ? new Node.Where(1, 1) : new Node.Where(l.getLineNr(), l.getColumnNr()),
                    "not valid YAML: " + msg);
        } catch (IOException e) {
            throw new Problem(new Node.Where(1, 1), "cannot read: " + e.getMessage());
        }
    }

    private static Node value(JsonParser p) throws IOException {
        Node.Where at = where(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, Node> values = new LinkedHashMap<>();
                Map<String, Node.Where> keys = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Node.Where keyAt = where(p.currentTokenLocation());
                    p.nextToken();
                    if (values.containsKey(key)) {
                        throw new Problem(keyAt, "'" + key + "' is given twice");
                    }
                    values.put(key, value(p));
                    keys.put(key, keyAt);
                }
                return new Node.Mapping(values, keys, at);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p));
                }
                return new Node.Seq(items, at);
            }
            case VALUE_NULL -> {
                return new Node.Scalar(null, at);
            }
            default -> {
                return new Node.Scalar(p.getText(), at);
            }
        }
    }

    private static Node.Where where(JsonLocation l) {
        return new Node.Where(l.getLineNr(), l.getColumnNr());
    }

    /** One problem at one place; unchecked so it can leave the Jackson walk. */
    static final class Problem extends RuntimeException {
        final transient Node.Where where;

        Problem(Node.Where where, String message) {
            super(message, null, false, false);
            this.where = where;
        }
    }
}
