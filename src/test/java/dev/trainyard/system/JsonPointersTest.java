package dev.trainyard.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonPointersTest {

    @Test
    void tokensAreJoinedAndEscaped() {
        assertThat(JsonPointers.of("layers", 0, "units")).isEqualTo("#/layers/0/units");
        assertThat(JsonPointers.of("preprocessing", "statistics", "a/b~c", 2))
            .isEqualTo("#/preprocessing/statistics/a~1b~0c/2");
        assertThat(JsonPointers.of()).isEqualTo("#");
        assertThat(JsonPointers.append("/model/layers/1", "rate")).isEqualTo("/model/layers/1/rate");
    }

    @Test
    void beanPropertyPathsBecomePointers() {
        assertThat(JsonPointers.fromPropertyPath("layers[0].units")).isEqualTo("#/layers/0/units");
    }

}
