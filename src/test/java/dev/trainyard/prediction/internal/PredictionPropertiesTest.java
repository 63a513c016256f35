package dev.trainyard.prediction.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PredictionPropertiesTest {

    @Test
    void loadedModelsAreCheckedEveryHalfSecondByDefault() {
        assertThat(new PredictionProperties(null, null, null, null, null, null).cacheCheckInterval())
            .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theCheckIntervalMustLeaveADeletedModelLessThanTwoSeconds() {
        assertThat(new PredictionProperties(null, null, null, null, null, Duration.ofSeconds(1)).cacheCheckInterval())
            .isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> new PredictionProperties(null, null, null, null, null, Duration.ofMillis(1001)))
            .hasMessageContaining("cache-check-interval");
        assertThatThrownBy(() -> new PredictionProperties(null, null, null, null, null, Duration.ZERO))
            .hasMessageContaining("cache-check-interval");
    }

}
