package io.cutover.cli.router;

import io.cutover.cli.demo.DemoAct;

import java.io.PrintWriter;

/** The router act of {@code cutover demo}. */
public final class RouterDemoAct implements DemoAct {
    @Override
    public String name() {
        return "router";
    }

    @Override
    public int run(PrintWriter out) {
        out.println("(router act not built yet)");
        return 0;
    }
}
