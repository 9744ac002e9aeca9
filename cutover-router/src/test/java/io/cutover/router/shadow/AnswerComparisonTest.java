package io.cutover.router.shadow;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The field-by-field comparison of two answers: JSON paths, ignored paths, numbers by value, headers, non-JSON bodies. */
class AnswerComparisonTest {
    private static Observed json(int status, String type, String body) {
        return new Observed(status, Map.of("content-type", List.of(type)), body.getBytes(StandardCharsets.UTF_8), false);
    }

    private static List<String> fields(AnswerComparison c, Observed a, Observed b) {
        return c.compare(a, b).stream().map(Difference::field).toList();
    }

    @Test
    void jsonIsComparedByPathWithIndexesFoldedAndIgnoredSubtreesLeftOut() {
        AnswerComparison c = new AnswerComparison(List.of("Content-Type"), List.of("$.meta", "$.items[*].etag"));
        Observed a = json(200, "application/json", """
                {"total": 10, "meta": {"at": 1}, "items": [{"id": 1, "price": 2.50, "etag": "a"}, {"id": 2, "price": 3}],
                 "weird key": true}""");
        Observed b = json(200, "application/json", """
                {"total": 10.0, "meta": {"at": 2}, "items": [{"id": 1, "price": 2.5, "etag": "b"}, {"id": 2, "price": 4},
                 {"id": 3, "price": 1}], "weird key": false, "extra": null}""");
        assertThat(fields(c, a, b)).containsExactly("$.items[*].price", "$.items[*]", "$['weird key']", "$.extra");
    }

    @Test
    void statusHeadersAndNonJsonBodiesAreFieldsToo() {
        AnswerComparison c = new AnswerComparison(List.of("Content-Type", "Cache-Control"), List.of());
        Observed a = json(200, "text/html", "<p>hi</p>");
        Observed b = json(404, "text/plain", "<p>hi!</p>");
        assertThat(c.compare(a, b)).extracting(Difference::field, Difference::primary, Difference::shadow).containsExactly(
                org.assertj.core.groups.Tuple.tuple("status", 200, 404),
                org.assertj.core.groups.Tuple.tuple("header:content-type", "text/html", "text/plain"),
                org.assertj.core.groups.Tuple.tuple("body", "<p>hi</p>", "<p>hi!</p>"));
        assertThat(c.compare(a, a)).isEmpty();
    }

    @Test
    void aRawAnswerIsParsedWithItsChunkedBodyAndInterimAnswersSkipped() {
        byte[] raw = ("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "7\r\n{\"a\": 1\r\n1\r\n}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        Observed o = Observed.parse(raw, false);
        assertThat(o.status()).isEqualTo(200);
        assertThat(new String(o.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\": 1}");
        assertThat(o.header("Content-Type")).isEqualTo("application/json");
        assertThat(Observed.parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort".getBytes(StandardCharsets.ISO_8859_1), false))
                .as("a cut answer is not compared").isNull();
    }
}
