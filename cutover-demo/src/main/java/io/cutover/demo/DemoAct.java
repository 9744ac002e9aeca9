package io.cutover.demo;

import java.io.PrintWriter;

/** One act of {@code cutover demo}: starts what it needs, shows a part at work, cleans up. */
public interface DemoAct {
    /** Short name used by {@code --act}. */
    String name();

    /** Runs the act, printing each step's result; returns an exit code (0 when it went as expected). */
    int run(PrintWriter out) throws Exception;
}
