package io.cutover.cli.sql;

import io.cutover.cli.demo.DemoAct;

import java.io.PrintWriter;

/** The sql act of {@code cutover demo}. */
public final class SqlDemoAct implements DemoAct {
    @Override
    public String name() {
        return "sql";
    }

    @Override
    public int run(PrintWriter out) {
        out.println("(sql act not built yet)");
        return 0;
    }
}
