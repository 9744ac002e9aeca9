package io.cutover.router.http;

/**
 * The answers the router gives itself rather than a backend, each with its status and the reason it is counted
 * under ({@code cutover_router_own_answers_total{status,reason}}). Their bodies are one short plain line: never a
 * backend's address, an exception or a server's internals.
 */
public enum OwnAnswer {
    BAD_REQUEST(400, "bad_request", "Bad Request: the request is not valid HTTP/1.1"),
    BODY_TOO_LARGE(413, "body_too_large", "Content Too Large"),
    HEAD_TOO_LARGE(431, "request_head_too_large", "Request Header Fields Too Large: the request head is larger than limits.max_request_head"),
    INTERNAL(500, "internal_error", "Internal Server Error"),
    BACKEND_REFUSED(502, "backend_refused", "refused the connection"),
    BACKEND_FAILED(502, "backend_failed", "failed before answering"),
    BACKEND_BUSY(502, "backend_busy", "has too many requests waiting for a connection"),
    RESPONSE_HEAD_TOO_LARGE(502, "response_head_too_large", "sent a head larger than limits.max_response_head"),
    BAD_RESPONSE(502, "bad_response", "sent an answer that is not valid HTTP/1.1"),
    MAX_INFLIGHT(503, "max_inflight", "Service Unavailable: the router is at max_inflight"),
    SESSION_UNAVAILABLE(503, "session_unavailable", "Service Unavailable: the session service failed"),
    STOPPING(503, "stopping", "Service Unavailable: the router is stopping"),
    BACKEND_TIMEOUT(504, "backend_timeout", "timed out");

    private final int status;
    private final String reason;
    private final String text;

    OwnAnswer(int status, String reason, String text) {
        this.status = status;
        this.reason = reason;
        this.text = text;
    }

    public int status() {
        return status;
    }

    /** The metric label. */
    public String reason() {
        return reason;
    }

    /** The status line's text, e.g. {@code 502 Bad Gateway}. */
    public String statusLine() {
        return status + " " + switch (status) {
            case 400 -> "Bad Request";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Error";
        };
    }

    /** The body line for an answer about no particular backend. */
    public String body() {
        return status + " " + text;
    }

    /** The body line for a backend's failure: route and backend by their names in the configuration. */
    public String body(String route, String backend) {
        return statusLine() + ": route '" + route + "' → backend '" + backend + "' " + text;
    }

    /** The answer for an HTTP status the server produced itself (Jetty's own error answers). */
    public static OwnAnswer forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 413 -> BODY_TOO_LARGE;
            case 431 -> HEAD_TOO_LARGE;
            case 502 -> BACKEND_FAILED;
            case 503 -> STOPPING;
            case 504 -> BACKEND_TIMEOUT;
            default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL;
        };
    }
}
