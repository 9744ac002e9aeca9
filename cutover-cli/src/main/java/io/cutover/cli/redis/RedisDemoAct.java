package io.cutover.cli.redis;

import io.cutover.cli.demo.DemoAct;

import java.io.PrintWriter;

/** The redis act of {@code cutover demo}. */
public final class RedisDemoAct implements DemoAct {
    @Override
    public String name() {
        return "redis";
    }

    @Override
    public int run(PrintWriter out) {
        out.println("(redis act not built yet)");
        return 0;
    }
}
