package dev.trainyard.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stores keys as {@code HMAC-SHA256(salt || pepper, key)} with a random 16-byte salt per
 * key and the optional server pepper. Keys carry 256 random bits, so a fast keyed hash is
 * enough: there is nothing to brute-force that a slow password hash would protect, and
 * checking a key costs microseconds on every request. Comparison is constant-time.
 */
final class ApiKeyHasher {

    private static final SecureRandom random = new SecureRandom();

    private final byte[] pepper;

    public ApiKeyHasher(String pepper) {
        this.pepper = pepper.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A salt and the hash of {@code key} under it, both in hex, as the api_keys row holds
     * them.
     */
    public record Hashed(String salt, String hash) {
    }

    public Hashed hash(String key) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new Hashed(HexFormat.of().formatHex(salt), HexFormat.of().formatHex(mac(salt, key)));
    }

    public boolean matches(String key, String saltHex, String hashHex) {
        byte[] expected = HexFormat.of().parseHex(hashHex);
        return MessageDigest.isEqual(expected, mac(HexFormat.of().parseHex(saltHex), key));
    }

    private byte[] mac(byte[] salt, String key) {
        byte[] secret = new byte[salt.length + pepper.length];
        System.arraycopy(salt, 0, secret, 0, salt.length);
        System.arraycopy(pepper, 0, secret, salt.length, pepper.length);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(key.getBytes(StandardCharsets.UTF_8));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
        }
    }

}
