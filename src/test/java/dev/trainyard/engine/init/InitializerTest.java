package dev.trainyard.engine.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Shape;
import dev.trainyard.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

class InitializerTest {

    private static final Shape DENSE = Shape.of(256, 512); // (out, in)

    private static final Shape CONV = Shape.of(64, 32, 3, 3); // (F, C, KH, KW)

    private static Tensor draw(Initializer init, Shape shape) {
        Tensor t = Tensor.zeros(shape);
        init.fill(t, Fans.of(shape), new Rng(42));
        return t;
    }

    private static double mean(Tensor t) {
        double s = 0;
        for (float v : t.data()) {
            s += v;
        }
        return s / t.size();
    }

    private static double std(Tensor t) {
        double m = mean(t);
        double s = 0;
        for (float v : t.data()) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / t.size());
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void fansOfAConvKernelIncludeTheReceptiveField() {
        assertThat(Fans.of(CONV)).isEqualTo(new Fans(32 * 9, 64 * 9));
        assertThat(Fans.of(DENSE)).isEqualTo(new Fans(512, 256));
    }

    @Test
    void heNormalHasVarianceTwoOverFanIn() {
        assertThat(std(draw(new HeNormal(), DENSE))).isCloseTo(Math.sqrt(2.0 / 512),
                within(0.01 * Math.sqrt(2.0 / 512)));
        assertThat(std(draw(new HeNormal(), CONV))).isCloseTo(Math.sqrt(2.0 / 288),
                within(0.01 * Math.sqrt(2.0 / 288)));
        assertThat(mean(draw(new HeNormal(), DENSE))).isCloseTo(0.0, within(0.01 * Math.sqrt(2.0 / 512)));
    }

    @Test
    void heUniformIsBoundedBySqrtSixOverFanIn() {
        Tensor t = draw(new HeUniform(), CONV);
        double bound = Math.sqrt(6.0 / 288);
        assertThat(maxAbs(t)).isLessThanOrEqualTo(bound).isGreaterThan(0.99 * bound);
        assertThat(std(t)).isCloseTo(Math.sqrt(2.0 / 288), within(0.01 * Math.sqrt(2.0 / 288)));
    }

    @Test
    void xavierNormalUsesTheChosenFanMode() {
        assertThat(std(draw(new XavierNormal(FanMode.IN), DENSE))).isCloseTo(Math.sqrt(1.0 / 512),
                within(0.01 * Math.sqrt(1.0 / 512)));
        double avg = Math.sqrt(2.0 / (288 + 576));
        assertThat(std(draw(new XavierNormal(FanMode.AVG), CONV))).isCloseTo(avg, within(0.01 * avg));
    }

    @Test
    void xavierUniformIsBoundedBySqrtThreeTimesTheVariance() {
        double bound = Math.sqrt(3.0 * 2.0 / (512 + 256)); // torch's xavier_uniform_:
                                                           // sqrt(6 / (in + out))
        Tensor t = draw(new XavierUniform(FanMode.AVG), DENSE);
        assertThat(maxAbs(t)).isLessThanOrEqualTo(bound).isGreaterThan(0.99 * bound);
        Tensor in = draw(new XavierUniform(FanMode.IN), CONV);
        assertThat(maxAbs(in)).isLessThanOrEqualTo(Math.sqrt(3.0 / 288)).isGreaterThan(0.99 * Math.sqrt(3.0 / 288));
    }

    @Test
    void normalDefaultsToTheLecturesSmallRandomNumbers() {
        assertThat(new Normal().std()).isEqualTo(0.01);
        assertThat(std(draw(new Normal(), DENSE))).isCloseTo(0.01, within(1e-4));
        assertThat(std(draw(new Normal(1.0), DENSE))).isCloseTo(1.0, within(1e-2));
    }

    @Test
    void zerosAndConstantFillEveryValue() {
        assertThat(draw(new Zeros(), CONV).data()).containsOnly(0f);
        assertThat(draw(new Constant(0.25f), DENSE).data()).containsOnly(0.25f);
    }

    @Test
    void methodsAreNamedAsTheJobSpecWritesThem() {
        assertThat(new Initializer[] { new Zeros(), new Constant(1), new Normal(), new XavierNormal(),
                new XavierUniform(), new HeNormal(), new HeUniform() })
            .extracting(Initializer::method)
            .containsExactly("zeros", "constant", "normal", "xavier_normal", "xavier_uniform", "he_normal",
                    "he_uniform");
    }

}
