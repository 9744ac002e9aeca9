package io.cutover.router.lists;

import io.cutover.router.config.RouterSettings.ListSpec;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** Builds the source a list's {@code source:} names. */
public final class AllowlistSources {
    private AllowlistSources() {
    }

    /** {@code file:PATH} (relative to {@code baseDir}) or an http(s) URL; HTTP fetches time out after 10s at most. */
    public static AllowlistSource of(ListSpec spec, Path baseDir) {
        String src = spec.source();
        if (src.startsWith("http://") || src.startsWith("https://")) {
            Duration timeout = spec.refresh().compareTo(Duration.ofSeconds(10)) < 0
                    ? Duration.ofSeconds(Math.max(2, spec.refresh().toSeconds())) : Duration.ofSeconds(10);
            return new HttpAllowlistSource(URI.create(src), timeout);
        }
        Path p = Path.of(src.substring("file:".length()));
        return new FileAllowlistSource(p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p));
    }
}
