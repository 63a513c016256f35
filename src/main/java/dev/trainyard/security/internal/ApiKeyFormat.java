package dev.trainyard.security.internal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of an API key: {@code ty_<public id>_<secret>}, where the public id is 16 hex
 * digits (64 random bits, for lookup and for people to tell keys apart) and the secret is
 * 32 random bytes in unpadded base64url (256 bits, 43 characters). 63 characters in all.
 */
final class ApiKeyFormat {

    public static final String PREFIX = "ty_";

    private static final Pattern KEY = Pattern.compile("ty_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");

    private static final SecureRandom random = new SecureRandom();

    private ApiKeyFormat() {
    }

    /** A key taken apart; {@code text} is the whole key as the client sent it. */
    public record ParsedKey(String publicId, String text) {

        /** What may be shown again later: {@code ty_<public id>}. */
        public String displayPrefix() {
            return PREFIX + publicId;
        }

        @Override
        public String toString() {
            return displayPrefix() + "_…"; // never the secret, not even in a debugger or
                                           // a log
        }
    }

    public static ParsedKey generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        String publicId = HexFormat.of().formatHex(id);
        return new ParsedKey(publicId,
                PREFIX + publicId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    public static Optional<ParsedKey> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = KEY.matcher(text);
        return matcher.matches() ? Optional.of(new ParsedKey(matcher.group(1), text)) : Optional.empty();
    }

    /**
     * How an operator makes a key of this format by hand, for messages about a malformed
     * one.
     */
    public static final String SHELL_RECIPE = "echo \"ty_$(openssl rand -hex 8)_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')\"";

}
