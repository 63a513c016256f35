package dev.trainyard.prediction.inference;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bodies that are not JSON are refused with where they break, never with Jackson's own
 * message, which names its types and features.
 */
class InferenceRequestReaderTest {

    private final InferenceRequestReader reader = new InferenceRequestReader(
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build());

    @Test
    void trailingJsonIsRefusedWithItsPlaceAndNoJacksonTypes() {
        assertThatThrownBy(() -> this.reader.read(bytes("{}{}"), new int[] { 2 }))
            .isInstanceOf(InferenceException.class)
            .hasMessageStartingWith("The body is not valid JSON (line 1, column ")
            .hasMessageNotContaining("Token")
            .hasMessageNotContaining("jackson")
            .hasMessageNotContaining("Feature");
    }

    @Test
    void truncatedJsonIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> this.reader.read(bytes("{\"inputs\": ["), new int[] { 2 }))
            .isInstanceOf(InferenceException.class)
            .hasMessageStartingWith("The body is not valid JSON (line 1, column ");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
