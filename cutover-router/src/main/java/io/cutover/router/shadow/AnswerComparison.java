package io.cutover.router.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compares two answers field by field: the status, the chosen headers, and the body (as JSON when both bodies parse
 * as JSON, else as bytes). JSON paths in {@code ignore} are left out, a path and everything under it; {@code [*]} in
 * an ignored path stands for any index and {@code .*} for any key.
 */
public final class AnswerComparison {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<String> headers;
    private final List<Pattern> ignore;

    public AnswerComparison(List<String> headers, List<String> ignore) {
        this.headers = List.copyOf(headers);
        List<Pattern> ps = new ArrayList<>();
        for (String path : ignore) {
            ps.add(pathPattern(path));
        }
        this.ignore = List.copyOf(ps);
    }

    /** The differences between {@code a} and {@code b}, in a stable order, ignored paths left out. */
    public List<Difference> compare(Observed a, Observed b) {
        List<Difference> out = new ArrayList<>();
        if (a.status() != b.status()) {
            out.add(new Difference("status", a.status(), b.status()));
        }
        for (String h : headers) {
            String va = a.header(h);
            String vb = b.header(h);
            if (va == null ? vb != null : !va.equals(vb)) {
                out.add(new Difference("header:" + h.toLowerCase(Locale.ROOT), va, vb));
            }
        }
        JsonNode ja = json(a.body());
        JsonNode jb = json(b.body());
        if (ja != null && jb != null) {
            json("$", "$", ja, jb, out);
        } else if (!Arrays.equals(a.body(), b.body())) {
            out.add(new Difference("body", text(a.body()), text(b.body())));
        }
        return out;
    }

    private void json(String path, String field, JsonNode a, JsonNode b, List<Difference> out) {
        if (ignored(path)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> names = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                String key = simple(n) ? "." + n : "['" + n.replace("'", "\\'") + "']";
                JsonNode va = a.get(n);
                JsonNode vb = b.get(n);
                if (va == null || vb == null) {
                    if (!ignored(path + key)) {
                        out.add(new Difference(field + key, va, vb));
                    }
                } else {
                    json(path + key, field + key, va, vb, out);
                }
            }
        } else if (a.isArray() && b.isArray()) {
            int n = Math.max(a.size(), b.size());
            for (int i = 0; i < n; i++) {
                JsonNode va = a.get(i);
                JsonNode vb = b.get(i);
                String p = path + "[" + i + "]";
                if (va == null || vb == null) {
                    if (!ignored(p)) {
                        out.add(new Difference(field + "[*]", va == null ? NullNode.getInstance() : va, vb));
                    }
                } else {
                    json(p, field + "[*]", va, vb, out);
                }
            }
        } else if (!same(a, b)) {
            out.add(new Difference(field, a, b));
        }
    }

    /** Equal values; numbers by value, so {@code 1.0} and {@code 1} are the same price. */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private boolean ignored(String path) {
        for (Pattern p : ignore) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** {@code $.a[*].b} as a regex matching {@code $.a[3].b} and everything under it. */
    static Pattern pathPattern(String path) {
        StringBuilder re = new StringBuilder();
        String p = path.trim();
        for (int i = 0; i < p.length(); i++) {
            if (p.startsWith("[*]", i)) {
                re.append("\\[[0-9]+\\]");
                i += 2;
            } else if (p.startsWith(".*", i)) {
                re.append("(\\.[^.\\[]+|\\['[^']*'\\])");
                i += 1;
            } else {
                re.append(Pattern.quote(String.valueOf(p.charAt(i))));
            }
        }
        re.append("([.\\[].*)?");
        return Pattern.compile(re.toString());
    }

    private static boolean simple(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-');
    }

    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        byte first = firstNonSpace(body);
        if (first != '{' && first != '[') {
            return null; // only documents: a bare number or string body is compared as bytes
        }
        try {
            return MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static byte firstNonSpace(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return x;
            }
        }
        return 0;
    }

    private static String text(byte[] body) {
        int n = Math.min(body.length, 512);
        String s = new String(body, 0, n, StandardCharsets.UTF_8);
        return n < body.length ? s + "…(" + body.length + " bytes)" : s;
    }

    /** The fields of a list of differences, in order, without repeats. */
    static Set<String> fields(List<Difference> ds) {
        Set<String> out = new LinkedHashSet<>();
        for (Difference d : ds) {
            out.add(d.field());
        }
        return out;
    }

}
