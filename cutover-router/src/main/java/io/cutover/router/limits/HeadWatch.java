package io.cutover.router.limits;

/** A client connection that parses request heads itself, as {@link HeaderTimeout} needs to see it. */
public interface HeadWatch {
    /** Request heads completed on this connection. */
    long completedHeads();

    /** Whether part of a request head has arrived and the rest not yet. */
    boolean headUnderWay();
}
