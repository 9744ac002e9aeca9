package io.cutover.router.lists;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** A list in a local file; the version is a hash of the content, so an unchanged file is not re-parsed. */
public final class FileAllowlistSource implements AllowlistSource {
    private final Path file;

    public FileAllowlistSource(Path file) {
        this.file = file;
    }

    @Override
    public Fetched fetch(String previousVersion) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String version = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        if (version.equals(previousVersion)) {
            return Fetched.NOT_MODIFIED;
        }
        return new Fetched(new String(bytes, StandardCharsets.UTF_8), version);
    }

    @Override
    public String describe() {
        return "file:" + file;
    }
}
