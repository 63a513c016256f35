package dev.trainyard.prediction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.prediction.EnsemblePredictionRequest;
import dev.trainyard.prediction.PredictionRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fast path must read exactly what Jackson reads (every value as the float of
 * Jackson's double, bit for bit, -0.0 and 0.0 told apart) and give up, leaving the body
 * to Jackson, on whatever it does not cover.
 */
class PredictionBodyReaderTest {

    private final JsonMapper jackson = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @Test
    void readsNumbersInEveryFormBitForBitAsJackson() {
        SplittableRandom random = new SplittableRandom(11);
        List<String> numbers = new ArrayList<>(List.of("0", "-0", "0.0", "-0.0", "1", "-1", "255", "1.5", "-2.25",
                "1e3", "1E3", "1e+3", "1e-3", "2.5e-7", "-7.25E+12", "0.1", "0.30000000000000004", "1e22", "1e23",
                "1e-22", "1e-23", "123456789012345", "1234567890123456", "123456789012345678", "-999999999999999999",
                "9007199254740993", "0.000001", "0.0000000000000000000000000001", "1e308", "1e309", "-1e309",
                "4.9e-324", "1e-400", "3.4028235e38", "3.4028236e38", "1.17549435e-38", "123456.789012345678901234",
                "0.1e1", "10.0e-1", "1.0000000000000002", "0e0", "-0e-5"));
        for (int i = 0; i < 3000; i++) {
            numbers.add(randomNumber(random));
        }
        for (String number : numbers) {
            String body = "{\"instances\": [[" + number + "]]}";
            float expected = (float) jacksonRead(body, PredictionRequest.class).instances()[0][0];
            PredictionRequest fast = fastPrediction(body);
            if (!Float.isFinite(expected)) {
                // beyond float32: Jackson's reading reports the double in its 422
                assertThat(fast).as(number).isNull();
                continue;
            }
            assertThat(fast).as(number).isNotNull();
            assertThat(Float.floatToRawIntBits((float) fast.instances()[0][0])).as(number)
                .isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    @Test
    void readsWholeBodiesAsJackson() {
        SplittableRandom random = new SplittableRandom(5);
        for (int t = 0; t < 200; t++) {
            int rows = random.nextInt(4);
            StringBuilder instances = new StringBuilder("[");
            for (int r = 0; r < rows; r++) {
                instances.append(r == 0 ? "" : "," + space(random)).append('[').append(space(random));
                int features = random.nextInt(1, 1500);
                for (int f = 0; f < features; f++) {
                    instances.append(f == 0 ? "" : space(random) + "," + space(random)).append(randomNumber(random));
                }
                instances.append(space(random)).append(']');
            }
            instances.append(']');
            List<String> members = new ArrayList<>();
            members.add("\"instances\"" + space(random) + ":" + space(random) + instances);
            if (random.nextBoolean()) {
                members.add("\"mcDropoutSamples\":" + space(random)
                        + (random.nextInt(4) == 0 ? "null" : String.valueOf(random.nextInt(-5, 50))));
            }
            if (random.nextBoolean()) {
                members.add("\"seed\":" + (random.nextInt(4) == 0 ? "null" : String.valueOf(random.nextLong())));
            }
            boolean ensemble = random.nextBoolean();
            if (ensemble && random.nextBoolean()) {
                members.add("\"method\":"
                        + (random.nextInt(4) == 0 ? "null" : random.nextBoolean() ? "\"vote\"" : "\"x y\""));
            }
            java.util.Collections.shuffle(members, new java.util.Random(random.nextLong()));
            String body = space(random) + "{" + space(random) + String.join("," + space(random), members)
                    + space(random) + "}" + space(random);
            if (ensemble) {
                EnsemblePredictionRequest slow = jacksonRead(body, EnsemblePredictionRequest.class);
                EnsemblePredictionRequest fast = fastEnsemble(body);
                if (!finiteAsFloats(slow.instances())) {
                    assertThat(fast).as(body).isNull();
                    continue;
                }
                assertThat(fast).as(body).isNotNull();
                assertThat(fast).usingRecursiveComparison()
                    .withEqualsForType(PredictionBodyReaderTest::sameBits, double[].class)
                    .isEqualTo(new EnsemblePredictionRequest(asFloats(slow.instances()), slow.method(),
                            slow.mcDropoutSamples(), slow.seed()));
            }
            else {
                PredictionRequest slow = jacksonRead(body, PredictionRequest.class);
                PredictionRequest fast = fastPrediction(body);
                if (!finiteAsFloats(slow.instances())) {
                    assertThat(fast).as(body).isNull();
                    continue;
                }
                assertThat(fast).as(body).isNotNull();
                assertThat(fast).usingRecursiveComparison()
                    .withEqualsForType(PredictionBodyReaderTest::sameBits, double[].class)
                    .isEqualTo(new PredictionRequest(asFloats(slow.instances()), slow.mcDropoutSamples(), slow.seed()));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "[]", "", " ", "{\"instances\": null}", "{\"instances\": [[1]], \"other\": 1}",
            "{\"instances\": [[1]], \"instances\": [[2]]}", "{\"instances\": [[1]], \"method\": \"vote\"}",
            "{\"inst\\u0061nces\": [[1]]}", "{\"instances\": [[NaN]]}", "{\"instances\": [[-Infinity]]}",
            "{\"instances\": [[1234567890123456789]]}", "{\"instances\": [[01]]}", "{\"instances\": [[1.]]}",
            "{\"instances\": [[.5]]}", "{\"instances\": [[+1]]}", "{\"instances\": [[1e]]}", "{\"instances\": [[1,]]}",
            "{\"instances\": [[1],]}", "{\"instances\": [[1]],}", "{\"instances\": [[1]]} x", "{\"instances\": [[1]]",
            "{\"instances\": [[\"1\"]]}", "{\"instances\": [null]}", "{\"instances\": [[[1]]]}",
            "{\"instances\": [1, 2]}", "{\"instances\": [[1]], \"mcDropoutSamples\": 2.0}",
            "{\"instances\": [[1]], \"mcDropoutSamples\": \"2\"}",
            "{\"instances\": [[1]], \"mcDropoutSamples\": 2147483648}",
            "{\"instances\": [[1]], \"seed\": 9223372036854775808}",
            "{\"instances\": [[1]], \"seed\": -9223372036854775809}", "{\"instances\": [[1]], \"seed\": true}",
            "{\"instances\": [[1]]\u00a0}", "{\"instances\": [[1]], /* c */ \"seed\": 1}" })
    void givesUpOnWhatItDoesNotCover(String body) {
        assertThat(fastPrediction(body)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"instances\": [[1]], \"method\": \"vo\\u0074e\"}",
            "{\"instances\": [[1]], \"method\": 3}", "{\"instances\": [[1]], \"method\": \"\u00e9\"}",
            "{\"instances\": [[1]], \"method\": \"vote\", \"method\": \"average\"}" })
    void givesUpOnEnsembleMethodsItDoesNotCover(String body) {
        assertThat(PredictionBodyReader.read(body.getBytes(StandardCharsets.UTF_8), true)).isNull();
    }

    @Test
    void readsLimitsOfTheIntegerMembers() {
        PredictionRequest request = fastPrediction(
                "{\"instances\":[],\"mcDropoutSamples\":-2147483648,\"seed\":-999999999999999999}");
        assertThat(request.instances()).isEmpty();
        assertThat(request.mcDropoutSamples()).isEqualTo(Integer.MIN_VALUE);
        assertThat(request.seed()).isEqualTo(-999_999_999_999_999_999L);
        assertThat(fastPrediction("{\"instances\":[[]],\"mcDropoutSamples\":2147483647}").mcDropoutSamples())
            .isEqualTo(Integer.MAX_VALUE);
        assertThat(fastPrediction("{\"instances\":[[]],\"seed\":9223372036854775807}").seed())
            .isEqualTo(Long.MAX_VALUE);
        assertThat(fastPrediction("{\"instances\":[[]],\"seed\":-9223372036854775808}").seed())
            .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void readsOneRowIntoTheBatchItselfAndSeveralIntoOneArray() {
        float[] expected = new float[784];
        StringBuilder row = new StringBuilder();
        for (int f = 0; f < 784; f++) {
            expected[f] = (f * 37) % 256;
            row.append(f == 0 ? "" : ", ").append((f * 37) % 256);
        }
        RawInstances one = PredictionBodyReader
            .read(("{\"instances\": [[" + row + "]]}").getBytes(StandardCharsets.UTF_8), false)
            .instances();
        assertThat(one.isPacked()).isTrue();
        float[] batch = one.pack(784, 10);
        assertThat(batch).containsExactly(expected);
        assertThat(one.pack(784, 10)).as("no copy for a body of one row").isSameAs(batch);

        RawInstances three = PredictionBodyReader
            .read(("{\"seed\": 1, \"instances\": [[" + row + "], [" + row + "],[" + row + "]]}")
                .getBytes(StandardCharsets.UTF_8), false)
            .instances();
        float[] packed = three.pack(784, 10);
        assertThat(packed).hasSize(3 * 784);
        for (int i = 0; i < 3; i++) {
            assertThat(java.util.Arrays.copyOfRange(packed, i * 784, (i + 1) * 784)).containsExactly(expected);
        }
    }

    @Test
    void checksPackedRowsAsJacksonsRows() {
        String[] bodies = { "{\"instances\": []}", "{\"instances\": [[1, 2], [3]]}", "{\"instances\": [[1, 2], []]}",
                "{\"instances\": [[1, 2], [3, 4], [5, 6]]}", "{\"instances\": [[1, 2, 3]]}" };
        for (String body : bodies) {
            RawInstances fast = PredictionBodyReader.read(body.getBytes(StandardCharsets.UTF_8), false).instances();
            RawInstances slow = RawInstances.of(jacksonRead(body, PredictionRequest.class).instances());
            assertThat(fast.isPacked()).isTrue();
            assertThat(fast.count()).isEqualTo(slow.count());
            assertThat(outcome(() -> fast.pack(2, 2))).as(body).isEqualTo(outcome(() -> slow.pack(2, 2)));
        }
    }

    /** The batch, or the problem's status, title and detail. */
    private static String outcome(java.util.function.Supplier<float[]> pack) {
        try {
            return java.util.Arrays.toString(pack.get());
        }
        catch (dev.trainyard.system.ApiException e) {
            return e.status() + " " + e.title() + " " + e.detail() + " " + e.properties();
        }
    }

    private static boolean finiteAsFloats(double[][] rows) {
        for (double[] row : rows) {
            for (double v : row) {
                if (!Float.isFinite((float) v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Each value rounded to float32, as a prediction takes it. */
    private static double[][] asFloats(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new double[rows[i].length];
            for (int f = 0; f < rows[i].length; f++) {
                out[i][f] = (float) rows[i][f];
            }
        }
        return out;
    }

    private static boolean sameBits(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static PredictionRequest fastPrediction(String body) {
        PredictionBodyReader.Body b = PredictionBodyReader.read(body.getBytes(StandardCharsets.UTF_8), false);
        return b == null ? null : new PredictionRequest(b.instances().toRows(), b.mcDropoutSamples(), b.seed());
    }

    private static EnsemblePredictionRequest fastEnsemble(String body) {
        PredictionBodyReader.Body b = PredictionBodyReader.read(body.getBytes(StandardCharsets.UTF_8), true);
        return b == null ? null
                : new EnsemblePredictionRequest(b.instances().toRows(), b.method(), b.mcDropoutSamples(), b.seed());
    }

    private <T> T jacksonRead(String body, Class<T> type) {
        return jackson.readValue(body, type);
    }

    private static String space(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t\r\n";
            default -> "";
        };
    }

    /** Integers, decimals and exponents of all lengths, as clients write them. */
    private static String randomNumber(SplittableRandom random) {
        return switch (random.nextInt(7)) {
            case 0 -> String.valueOf(random.nextInt(256));
            case 1 -> String.valueOf(random.nextLong() >> random.nextInt(4, 64));
            case 2 -> String.valueOf(random.nextDouble() * Math.pow(10, random.nextInt(-30, 30)));
            case 3 -> String.valueOf((float) (random.nextGaussian() * 100));
            case 4 -> String.format(Locale.ROOT, "%." + random.nextInt(0, 25) + "f", random.nextGaussian() * 1000);
            case 5 -> String.format(Locale.ROOT, "%." + random.nextInt(0, 20) + "e", random.nextGaussian() * 1e10);
            default ->
                (random.nextBoolean() ? "-" : "") + random.nextInt(0, 1000) + "." + "0".repeat(random.nextInt(30))
                        + random.nextInt(0, 100000) + (random.nextBoolean() ? "e" + random.nextInt(-40, 40) : "");
        };
    }

}
