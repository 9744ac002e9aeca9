package io.cutover.cli.router;

import io.cutover.router.session.SessionKeys;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code cutover router keygen}: an ES256 key pair for the session token. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Print a new ES256 key pair as JWKs: the private one for the router's session.token.key "
                + "(alg: ES256), the public one for SessionTokenVerifier.es256 in the new services.")
public final class RouterKeygenCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SessionKeys.Es256Pair pair = SessionKeys.newEs256();
        PrintWriter out = spec.commandLine().getOut();
        out.println("private (router, keep secret): " + pair.privateJwk());
        out.println("public (services):             " + pair.publicJwk());
        return 0;
    }
}
