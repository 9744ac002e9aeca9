package io.cutover.redis.copy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Key names for people: UTF-8 when the bytes are valid UTF-8 without control characters, else escaped. */
final class Keys {
    private Keys() {
    }

    static String show(byte[] key) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
            if (s.chars().noneMatch(Character::isISOControl)) {
                return s;
            }
        } catch (CharacterCodingException e) {
            // fall through to escaping
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : key) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }
}
