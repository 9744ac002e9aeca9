package io.cutover.router.shadow;

import java.util.List;
import java.util.Map;

/**
 * A request as the primary got it, to be sent again to the shadow (and, for noise, to the primary):
 * {@code target} as the client sent it (origin form), the end-to-end headers, the body when writes are shadowed.
 */
public record ShadowRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
    /** Whether the method only reads: a read may be sent again at will, a write only when {@code writes: true}. */
    public static boolean read(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }
}
