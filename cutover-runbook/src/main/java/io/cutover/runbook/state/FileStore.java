package io.cutover.runbook.state;

import io.cutover.core.error.CutoverException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Runs in a JSON file, decisions in an inbox file beside it, and a lock file that one running process holds. */
final class FileStore implements RunStore {
    private final StateFile file;
    private final Inbox inbox;
    private final String name;

    FileStore(Path path, String name) {
        this.file = new StateFile(path);
        this.inbox = new Inbox(path);
        this.name = name;
    }

    @Override
    public History load() {
        return file.load(name);
    }

    @Override
    public void save(History h) {
        file.save(h);
    }

    @Override
    public AutoCloseable conduct() {
        Path lockFile = file.path().resolveSibling(file.path().getFileName() + ".lock");
        try {
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw CutoverException.usage(name + " is being run by another process (its state: " + file.path() + ")");
            }
            return () -> {
                l.release();
                ch.close();
            };
        } catch (IOException e) {
            throw CutoverException.runtime("cannot lock " + file.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void post(Decision d) {
        inbox.post(d);
    }

    @Override
    public List<Decision> take() {
        return inbox.take();
    }

    @Override
    public String where() {
        return file.path().toString();
    }

    @Override
    public void close() {
        // nothing held between calls
    }
}
