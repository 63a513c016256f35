package dev.trainyard.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trainyard.engine.kernel.Kernels.SimdDecision;
import org.junit.jupiter.api.Test;

/** The once-per-JVM choice of kernels, exercised through its pure decision function. */
class KernelsTest {

    @Test
    void simdIsOnWhenTheModuleIsLoadedAndC2Runs() {
        SimdDecision d = SimdDecision.of(true, true, null);
        assertThat(d.enabled()).isTrue();
        assertThat(SimdDecision.of(true, true, "true").enabled()).isTrue();
    }

    @Test
    void propertyFalseForcesScalarEvenWhenEverythingElseAllows() {
        SimdDecision d = SimdDecision.of(true, true, "false");
        assertThat(d.enabled()).isFalse();
        assertThat(d.forcedOff()).isTrue();
        assertThat(d.reason()).contains("trainyard.engine.simd=false");
        assertThat(SimdDecision.of(true, true, "FALSE").enabled()).isFalse();
    }

    @Test
    void missingModuleDisablesSimdAndSaysHowToAddIt() {
        SimdDecision d = SimdDecision.of(false, true, null);
        assertThat(d.enabled()).isFalse();
        assertThat(d.forcedOff()).isFalse();
        assertThat(d.reason()).contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void interpreterOrLimitedTieringDisablesSimdAndSaysWhy() {
        SimdDecision d = SimdDecision.of(true, false, null);
        assertThat(d.enabled()).isFalse();
        assertThat(d.forcedOff()).isFalse();
        assertThat(d.reason()).contains("TieredStopAtLevel");
    }

    @Test
    void supportForLoadsTheVectorKernelsByNameOrTheReference() {
        assertThat(Kernels.supportFor(false)).isInstanceOf(ReferenceKernels.class);
        assumeTrue(Kernels.vectorModulePresent());
        assertThat(Kernels.supportFor(true).name()).isEqualTo("panama");
    }

    @Test
    void thisTestJvmRunsC2SoTheChoiceFollowsTheModule() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector and default
        // tiering
        assertThat(Kernels.c2Enabled()).isTrue();
        boolean forcedOff = "false".equalsIgnoreCase(System.getProperty(Kernels.SIMD_PROPERTY));
        assertThat(Kernels.simdEnabled()).isEqualTo(Kernels.vectorModulePresent() && !forcedOff);
        assertThat(Kernels.support().name()).isEqualTo(Kernels.simdEnabled() ? "panama" : "reference");
    }

}
