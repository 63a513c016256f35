package dev.trainyard.prediction.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryPropertiesTest {

    @Test
    void aResolutionMayBeKeptAtMostOneSecond() {
        assertThat(new RegistryProperties(Duration.ofSeconds(1)).resolutionTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new RegistryProperties(Duration.ZERO).resolutionTtl()).isZero();

        assertThatThrownBy(() -> new RegistryProperties(Duration.ofMillis(1001)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("within 2 s");
        assertThatThrownBy(() -> new RegistryProperties(Duration.ofMillis(-1)))
            .isInstanceOf(IllegalArgumentException.class);
    }

}
