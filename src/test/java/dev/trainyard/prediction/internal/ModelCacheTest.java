package dev.trainyard.prediction.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.trainyard.model.ModelDeleted;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.ModelView;
import dev.trainyard.model.NewModel;
import dev.trainyard.model.TestModels;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class ModelCacheTest {

    final UUID tenant = UUID.randomUUID();

    final ModelService registry = mock(ModelService.class);

    final NewModel model = TestModels.newModel(tenant, null, 0, TestModels.mlp(4, 1), TestModels.standardize(4),
            TestModels.CLASSES);

    /**
     * Each entry weighs the file plus one replica and its transposed dense weights: 3 x
     * file bytes; the budget holds two entries.
     */
    final ModelCache cache = new ModelCache(registry,
            new PredictionProperties(DataSize.ofBytes(7L * model.modelFile().length), 1000, 100, 1, 64, null));

    UUID stored() {
        UUID id = UUID.randomUUID();
        ModelView view = new ModelView(id, null, 0, 0, model.architecture(), model.parameterCount(), model.classes(),
                model.featureShape(), model.preprocessing(), model.metrics(), model.provenance(),
                model.modelFile().length, Instant.now());
        when(registry.get(tenant, id)).thenReturn(view);
        when(registry.file(tenant, id)).thenReturn(model.modelFile());
        return id;
    }

    @Test
    void aHitReadsNothingFromTheRegistry() {
        UUID id = stored();

        LoadedModel first = cache.get(tenant, id);
        LoadedModel second = cache.get(tenant, id);

        assertThat(second).isSameAs(first);
        verify(registry, times(1)).file(any(), any());
    }

    @Test
    void aModelGoesWhenTheBytesRunOutAndTheOneUsedMostStays() {
        UUID a = stored();
        UUID b = stored();
        UUID c = stored();
        cache.get(tenant, a);
        cache.get(tenant, b);
        cache.get(tenant, a); // a is now used more often and more recently than b

        cache.get(tenant, c);

        assertThat(cache.contains(tenant, a)).isTrue();
        // which of b and c goes is Caffeine's choice: W-TinyLFU may refuse c, asked for
        // once, rather than evict b, asked for as often
        assertThat(List.of(b, c)).as("models kept of b and c").filteredOn(id -> cache.contains(tenant, id)).hasSize(1);
        assertThat(cache.bytes()).isEqualTo(6L * model.modelFile().length);
    }

    @Test
    void aDeletedModelLeavesTheCache() {
        UUID a = stored();
        cache.get(tenant, a);

        cache.on(new ModelDeleted(tenant, a));

        assertThat(cache.contains(tenant, a)).isFalse();
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void modelsNoLongerStoredLeaveTheCacheAtTheCheckAndTheOthersStay() {
        UUID kept = stored();
        UUID gone = stored();
        cache.get(tenant, kept);
        cache.get(tenant, gone);
        // another instance deleted one of them in the shared database
        when(registry.existing(any())).thenReturn(Set.of(kept));

        int dropped = cache.evictDeleted();

        assertThat(dropped).isEqualTo(1);
        assertThat(cache.contains(tenant, kept)).isTrue();
        assertThat(cache.contains(tenant, gone)).isFalse();
        assertThat(cache.bytes()).isEqualTo(3L * model.modelFile().length);
        verify(registry).existing(Set.of(kept, gone));
    }

    @Test
    void anEmptyCacheChecksNothing() {
        assertThat(cache.evictDeleted()).isZero();
        verify(registry, never()).existing(any());
    }

}
