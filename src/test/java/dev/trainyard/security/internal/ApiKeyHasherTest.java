package dev.trainyard.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeyHasherTest {

    private final String key = ApiKeyFormat.generate().text();

    @Test
    void matchesOnlyTheKeyItHashed() {
        ApiKeyHasher hasher = new ApiKeyHasher("");
        ApiKeyHasher.Hashed hashed = hasher.hash(key);

        assertThat(hasher.matches(key, hashed.salt(), hashed.hash())).isTrue();
        assertThat(hasher.matches(key.substring(0, 62) + (key.endsWith("A") ? "B" : "A"), hashed.salt(), hashed.hash()))
            .isFalse();
        assertThat(hashed.hash()).hasSize(64).doesNotContain(key.substring(20));
    }

    @Test
    void saltsEveryHashDifferently() {
        ApiKeyHasher hasher = new ApiKeyHasher("");

        ApiKeyHasher.Hashed first = hasher.hash(key);
        ApiKeyHasher.Hashed second = hasher.hash(key);

        assertThat(first.salt()).isNotEqualTo(second.salt());
        assertThat(first.hash()).isNotEqualTo(second.hash());
        assertThat(hasher.matches(key, second.salt(), second.hash())).isTrue();
    }

    @Test
    void aDifferentPepperRejectsTheKey() {
        ApiKeyHasher.Hashed hashed = new ApiKeyHasher("pepper-one").hash(key);

        assertThat(new ApiKeyHasher("pepper-one").matches(key, hashed.salt(), hashed.hash())).isTrue();
        assertThat(new ApiKeyHasher("pepper-two").matches(key, hashed.salt(), hashed.hash())).isFalse();
        assertThat(new ApiKeyHasher("").matches(key, hashed.salt(), hashed.hash())).isFalse();
    }

}
