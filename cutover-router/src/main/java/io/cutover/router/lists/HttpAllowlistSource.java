package io.cutover.router.lists;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A list served over HTTP(S), fetched with {@code If-None-Match} so an unchanged list costs a 304. */
public final class HttpAllowlistSource implements AllowlistSource {
    private final URI url;
    private final Duration timeout;
    private final HttpClient client;

    public HttpAllowlistSource(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public Fetched fetch(String previousVersion) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(url).timeout(timeout).GET();
        if (previousVersion != null && previousVersion.startsWith("etag:")) {
            req.header("If-None-Match", previousVersion.substring("etag:".length()));
        }
        HttpResponse<String> res = client.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (res.statusCode() == 304) {
            return Fetched.NOT_MODIFIED;
        }
        if (res.statusCode() != 200) {
            throw new IOException("HTTP " + res.statusCode() + " from " + url);
        }
        String etag = res.headers().firstValue("ETag").orElse(null);
        // without an ETag every fetch is a full one; the content hash still avoids needless swaps
        String version = etag != null ? "etag:" + etag : "hash:" + Integer.toHexString(res.body().hashCode());
        if (etag == null && version.equals(previousVersion)) {
            return Fetched.NOT_MODIFIED;
        }
        return new Fetched(res.body(), version);
    }

    @Override
    public String describe() {
        return url.toString();
    }
}
