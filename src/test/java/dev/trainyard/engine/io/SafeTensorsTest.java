package dev.trainyard.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafeTensorsTest {

    @Test
    void writeThenReadIsBitExact() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("0.weight", Tensor.wrap(new float[] { 1.5f, -0f, Float.MIN_VALUE, Float.NaN, 1e30f, -3f }, 2, 3));
        t.put("0.bias", Tensor.wrap(new float[] { 0.25f, Float.intBitsToFloat(0x7fc00123) }, 2));
        byte[] bytes = SafeTensors.write(t, Map.of("format", "x"));
        SafeTensors.Contents c = SafeTensors.read(bytes);
        assertThat(c.tensors().keySet()).containsExactly("0.weight", "0.bias");
        assertThat(c.metadata()).containsEntry("format", "x");
        for (String name : t.keySet()) {
            float[] a = t.get(name).toArray();
            float[] b = c.tensor(name).toArray();
            assertThat(c.tensor(name).shape()).isEqualTo(t.get(name).shape());
            for (int i = 0; i < a.length; i++) {
                assertThat(Float.floatToRawIntBits(b[i])).isEqualTo(Float.floatToRawIntBits(a[i]));
            }
        }
    }

    @Test
    void layoutFollowsTheSafetensorsSpec() {
        byte[] bytes = SafeTensors.write(Map.of("w", Tensor.wrap(new float[] { 1f, 2f }, 2)), Map.of());
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        assertThat(n % 8).isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header.strip()).isEqualTo("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}");
        assertThat(buf.getFloat(8 + (int) n)).isEqualTo(1f);
        assertThat(buf.getFloat(12 + (int) n)).isEqualTo(2f);
        assertThat(bytes).hasSize(8 + (int) n + 8);
    }

    @Test
    void rejectsDamagedContainers() {
        assertThatThrownBy(() -> SafeTensors.read(new byte[3])).hasMessageContaining("need at least 8");
        assertThatThrownBy(() -> SafeTensors
            .read(container("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2)))
            .hasMessageContaining("dtype F16 is not supported");
        assertThatThrownBy(() -> SafeTensors
            .read(container("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)))
            .hasMessageContaining("shape (2) needs 8 bytes but data_offsets span 4");
        assertThatThrownBy(() -> SafeTensors
            .read(container("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}", 4)))
            .hasMessageContaining("data_offsets outside the 4 data bytes");
        assertThatThrownBy(() -> SafeTensors
            .read(container("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8)))
            .hasMessageContaining("4 trailing bytes");
        assertThatThrownBy(() -> SafeTensors.read(container("{\"w\":", 0)))
            .hasMessageContaining("safetensors header is not valid JSON");
        byte[] huge = new byte[16];
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        assertThatThrownBy(() -> SafeTensors.read(huge))
            .hasMessageContaining("header length 1000 does not fit 16 bytes");
    }

    private static byte[] container(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

}
