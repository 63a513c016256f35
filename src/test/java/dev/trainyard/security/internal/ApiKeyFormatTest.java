package dev.trainyard.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    @Test
    void generatedKeysHaveThePrefixThePublicIdAnd256BitSecrets() {
        ApiKeyFormat.ParsedKey key = ApiKeyFormat.generate();

        assertThat(key.text()).hasSize(63).startsWith("ty_" + key.publicId() + "_");
        assertThat(key.publicId()).matches("[0-9a-f]{16}");
        assertThat(ApiKeyFormat.parse(key.text())).contains(key);
    }

    @Test
    void generatedKeysDiffer() {
        Set<String> keys = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ApiKeyFormat.ParsedKey key = ApiKeyFormat.generate();
            keys.add(key.text());
            ids.add(key.publicId());
        }
        assertThat(keys).hasSize(1000);
        assertThat(ids).hasSize(1000);
    }

    @Test
    void rejectsTextThatIsNotAKey() {
        String valid = ApiKeyFormat.generate().text();

        assertThat(ApiKeyFormat.parse(null)).isEmpty();
        assertThat(ApiKeyFormat.parse("")).isEmpty();
        assertThat(ApiKeyFormat.parse("Bearer " + valid)).isEmpty();
        assertThat(ApiKeyFormat.parse(valid.substring(0, 62))).isEmpty();
        assertThat(ApiKeyFormat.parse(valid + "x")).isEmpty();
        assertThat(ApiKeyFormat.parse("tx" + valid.substring(2))).isEmpty();
        assertThat(ApiKeyFormat.parse("ty_ABCDEF0123456789_" + valid.substring(20))).isEmpty();
    }

    @Test
    void neverShowsTheSecretWhenPrinted() {
        ApiKeyFormat.ParsedKey key = ApiKeyFormat.generate();

        assertThat(key.toString()).startsWith(key.displayPrefix()).doesNotContain(key.text().substring(20));
    }

}
