package io.cutover.router.check;

import io.cutover.core.error.CutoverException;
import io.cutover.router.config.RouterSettings;
import io.cutover.router.lists.AllowlistParser;
import io.cutover.router.lists.AllowlistSource;
import io.cutover.router.lists.AllowlistSources;
import io.cutover.router.session.SessionTokenSigner;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code cutover router check}: everything {@link RouterSettings} validates, plus every list fetched and
 * parsed once and the session key usable. The first problem is a usage error (exit 2) with one line.
 */
public final class RouterCheck {
    private RouterCheck() {
    }

    /** One list as the check found it. */
    public record ListReport(String name, String source, int ids) {
    }

    /** What the check found. */
    public record Report(String listen, String admin, List<String> backends,
                         @com.fasterxml.jackson.annotation.JsonProperty("default") String defaultBackend,
                         List<String> routes, List<ListReport> lists, boolean session, String tls) {
    }

    /** Loads, validates and checks {@code file}. */
    public static Report check(Path file) {
        return check(RouterSettings.load(file), file.toString());
    }

    /** Checks already-validated settings; {@code source} prefixes error lines. */
    public static Report check(RouterSettings s, String source) {
        List<ListReport> lists = new ArrayList<>();
        for (RouterSettings.ListSpec l : s.lists().values()) {
            AllowlistSource src = AllowlistSources.of(l, s.baseDir());
            String what = source + ": lists." + l.name() + " (" + src.describe() + ")";
            String text;
            try {
                text = src.fetch(null).text();
            } catch (NoSuchFileException e) {
                throw CutoverException.usage(what + ": no such file");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CutoverException.usage(what + ": interrupted");
            } catch (Exception e) {
                throw CutoverException.usage(what + ": cannot read: " + e.getMessage());
            }
            try {
                lists.add(new ListReport(l.name(), src.describe(), AllowlistParser.parse(text).size()));
            } catch (AllowlistParser.MalformedListException e) {
                throw CutoverException.usage(what + ": " + e.getMessage());
            }
        }
        if (s.session() != null) {
            try {
                SessionTokenSigner.of(s.session().token());
            } catch (CutoverException e) {
                throw CutoverException.usage(source + ": " + e.getMessage());
            }
        }
        return new Report(s.listen().toString(), s.admin() == null ? null : s.admin().toString(),
                List.copyOf(s.backends().keySet()), s.defaultBackend(),
                s.routes().stream().map(RouterSettings.RouteSpec::name).toList(), lists, s.session() != null,
                s.listenTls() == null ? null : s.listenTls().address() + " (" + s.listenTls().pair().subject() + ", valid until "
                        + s.listenTls().pair().notAfter() + ")");
    }
}
