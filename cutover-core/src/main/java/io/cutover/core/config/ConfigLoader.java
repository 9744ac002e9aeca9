package io.cutover.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cutover.core.error.CutoverException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads YAML (or JSON) configuration files: {@code ${ENV}} substitution first, then binding to records
 * with snake_case field names. Every error is one line: {@code file:line:column: what is wrong}.
 */
public final class ConfigLoader {
    private final EnvSubstitution substitution;
    private final ObjectMapper mapper;

    public ConfigLoader(EnvSubstitution substitution) {
        this.substitution = substitution;
        this.mapper = YAMLMapper.builder(new YAMLFactory())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // `changed: updated_at` means the list of that one column, as people write it
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .build();
    }

    /** A loader reading variables from the process environment. */
    public static ConfigLoader fromSystem() {
        return new ConfigLoader(EnvSubstitution.fromSystem());
    }

    /** The mapper used for binding (snake_case, strict); for modules that bind sub-trees themselves. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Reads {@code file}, substitutes variables and binds it to {@code type}. */
    public <T> T load(Path file, Class<T> type) {
        return parse(read(file), file.toString(), type);
    }

    /** Substitutes variables in {@code yaml} and binds it to {@code type}; {@code source} names it in errors. */
    public <T> T parse(String yaml, String source, Class<T> type) {
        if (yaml.isBlank()) {
            throw CutoverException.usage(source + ": the file is empty");
        }
        String text = substitution.apply(yaml, source);
        try {
            T value = mapper.readValue(text, type);
            if (value == null) {
                throw CutoverException.usage(source + ": the file is empty");
            }
            return value;
        } catch (JsonProcessingException e) {
            throw CutoverException.usage(describe(source, e), e);
        }
    }

    /** Reads {@code file} as a tree after substitution, for formats with free-form parts. */
    public JsonNode loadTree(Path file) {
        String source = file.toString();
        String raw = read(file);
        if (raw.isBlank()) {
            throw CutoverException.usage(source + ": the file is empty");
        }
        String text = substitution.apply(raw, source);
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw CutoverException.usage(source + ": the file is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw CutoverException.usage(describe(source, e), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CutoverException.usage(file + ": no such file");
        } catch (IOException e) {
            throw CutoverException.usage(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** One line: file:line:col: message (without Jackson's source excerpt). */
    public static String describe(String source, JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException y) {
                return describeSyntax(source, y);
            }
        }
        JsonLocation loc = e.getLocation();
        String where = loc == null ? source : source + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
        String msg;
        if (e instanceof UnrecognizedPropertyException u) {
            msg = "unknown field '" + u.getPropertyName() + "'"
                    + (u.getKnownPropertyIds() == null ? "" : " (known: " + known(u) + ")");
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            msg = "expected " + expected(m.getTargetType()) + given(m);
        } else {
            msg = e.getOriginalMessage();
        }
        msg = msg.replaceAll("\\s+", " ").replaceAll(" \\(for Object starting at.*$", "");
        if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()
                && !(e instanceof UnrecognizedPropertyException)) {
            msg = "at " + field(jm.getPath()) + ": " + msg;
        }
        return where + ": " + msg;
    }

    /** A YAML syntax error: where the problem is and what it is, without SnakeYAML's quoted excerpts. */
    private static String describeSyntax(String source, MarkedYAMLException y) {
        Mark mark = y.getProblemMark() != null ? y.getProblemMark() : y.getContextMark();
        String where = mark == null ? source : source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        String problem = y.getProblem() == null ? "malformed YAML" : y.getProblem();
        return where + ": " + (y.getContext() == null ? "" : y.getContext() + ": ") + problem.replaceAll("\\s+", " ");
    }

    /** The innermost field named: 'max_connections', or 'tags' item 2 for an element of a list. */
    private static String field(List<JsonMappingException.Reference> path) {
        var last = path.get(path.size() - 1);
        for (int i = path.size() - 1; i >= 0; i--) {
            String name = path.get(i).getFieldName();
            if (name != null) {
                return "'" + name + "'" + (last.getFieldName() == null && last.getIndex() >= 0 ? " item " + (last.getIndex() + 1) : "");
            }
        }
        return "item " + (last.getIndex() + 1);
    }

    /** What a field of {@code type} takes, in the words of a YAML file. */
    private static String expected(Class<?> type) {
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list, e.g. [a, b]";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "a whole number";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == String.class || type.isEnum()) {
            return "a single value";
        }
        return "a mapping, e.g. {name: value}";
    }

    /** ", got 'lots'" or ", got a list": what the file gave instead. */
    private static String given(MismatchedInputException m) {
        if (m instanceof InvalidFormatException f && f.getValue() != null) {
            return ", got '" + f.getValue() + "'";
        }
        Matcher g = GIVEN.matcher(m.getOriginalMessage());
        if (!g.find()) {
            return "";
        }
        return switch (g.group(1)) {
            case "Array" -> ", got a list";
            case "Object" -> ", got a mapping";
            default -> g.group(3) != null ? ", got '" + g.group(3) + "'" : ", got a " + g.group(1).toLowerCase(Locale.ROOT);
        };
    }

    /** How Jackson says what it was given: "from String value ('x')", "from Array value (token …)". */
    private static final Pattern GIVEN = Pattern.compile("from (\\w+) value( \\('([^']*)'\\))?");

    private static String known(UnrecognizedPropertyException u) {
        return String.join(", ", u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
    }
}
