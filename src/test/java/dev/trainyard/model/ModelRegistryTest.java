package dev.trainyard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.system.ApiException;
import java.util.UUID;
import dev.trainyard.system.PostgresTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The registry's contract, run on H2 and on PostgreSQL. */
class ModelRegistryTest {

    @Nested
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "trainyard.prediction.max-instances=50", "trainyard.security.rate-limits.predictions-per-second=0" })
    class OnH2 extends Checks {

    }

    @Nested
    @PostgresTest
    @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "trainyard.prediction.max-instances=50", "trainyard.security.rate-limits.predictions-per-second=0" })
    class OnPostgres extends Checks {

    }

    abstract class Checks {

        @Autowired
        ModelService registry;

        @Autowired
        JdbcTemplate jdbc;

        @Autowired
        TransactionTemplate transactions;

        @Test
        void aRegisteredModelComesBackWithItsDescriptionAndExactFile() {
            UUID tenant = TestModels.newTenant(jdbc);
            UUID job = UUID.randomUUID();
            Sequential model = TestModels.mlp(5, 11);
            NewModel registered = TestModels.newModel(tenant, job, 1, model, TestModels.standardize(5),
                    TestModels.CLASSES);

            UUID id = registry.register(registered);

            ModelView view = registry.find(tenant, id).orElseThrow();
            assertThat(view.jobId()).isEqualTo(job);
            assertThat(view.member()).isEqualTo(1);
            assertThat(view.classes()).containsExactly("cat", "dog", "bird");
            assertThat(view.featureShape()).containsExactly(5);
            assertThat(view.parameterCount()).isEqualTo(5 * 8 + 8 + 16 + 8 * 3 + 3);
            assertThat(view.architecture()).extracting(LayerInfo::type)
                .containsExactly("dense", "batch_norm", "relu", "dropout", "dense");
            assertThat(view.architecture().get(0).outputShape()).containsExactly(8);
            assertThat(view.architecture().get(0).spec()).containsEntry("units", 8);
            assertThat(view.preprocessing().method()).isEqualTo("standardize");
            assertThat(view.preprocessing().statistics().get("std")).containsExactly(1f, 2f, 3f, 4f, 5f);
            assertThat(view.metrics().testAccuracy()).isEqualTo(0.75);
            assertThat(view.metrics().confusionMatrix()).isDeepEqualTo(new int[][] { { 1, 2 } });
            assertThat(view.provenance().gitCommit()).isEqualTo("abc");
            assertThat(view.provenance().weightsSha256()).hasSize(64)
                .isEqualTo(ModelFile.fromBytes(registered.modelFile()).weightsSha256());
            assertThat(view.sizeBytes()).isEqualTo(registered.modelFile().length);
            byte[] file = registry.file(tenant, id);
            assertThat(file).isEqualTo(registered.modelFile());
            assertThat(ModelFile.fromBytes(file).toModel().parameterData()).containsExactly(model.parameterData());
        }

        @Test
        void theWeightsHashTellsModelsApartByTheirWeightsAlone() {
            UUID tenant = TestModels.newTenant(jdbc);
            Sequential model = TestModels.mlp(4, 21);
            // the same weights registered twice, as different members with other metadata
            UUID first = registry.register(TestModels.newModel(tenant, UUID.randomUUID(), 0, model,
                    TestModels.standardize(4), TestModels.CLASSES));
            UUID again = registry
                .register(TestModels.newModel(tenant, null, 2, model, TestModels.standardize(4), TestModels.CLASSES));
            UUID otherSeed = registry.register(TestModels.newModel(tenant, UUID.randomUUID(), 0, TestModels.mlp(4, 22),
                    TestModels.standardize(4), TestModels.CLASSES));

            String hash = registry.get(tenant, first).provenance().weightsSha256();
            assertThat(registry.get(tenant, again).provenance().weightsSha256()).isEqualTo(hash);
            assertThat(registry.get(tenant, otherSeed).provenance().weightsSha256()).isNotEqualTo(hash);
        }

        @Test
        void aFileLargerThanOneChunkIsSplitAndJoinedAgain() {
            UUID tenant = TestModels.newTenant(jdbc);
            // 784 x 2700 weights: 8.5 MB, more than one 8 MiB chunk
            Sequential model = TestModels.mlp(784 * 338, 3);
            NewModel registered = TestModels.newModel(tenant, null, 0, model, TestModels.standardize(784 * 338),
                    TestModels.CLASSES);

            UUID id = registry.register(registered);

            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM model_chunks WHERE model_id = ?", Integer.class, id))
                .isEqualTo(2);
            assertThat(registry.file(tenant, id)).isEqualTo(registered.modelFile());
        }

        @Test
        void anotherTenantsModelIsNotFound() {
            UUID owner = TestModels.newTenant(jdbc);
            UUID other = TestModels.newTenant(jdbc);
            UUID id = registry.register(TestModels.newModel(owner, null, 0, TestModels.mlp(3, 1),
                    TestModels.standardize(3), TestModels.CLASSES));

            assertThat(registry.find(other, id)).isEmpty();
            assertThatThrownBy(() -> registry.file(other, id)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.status()).isEqualTo(HttpStatus.NOT_FOUND));
            assertThat(registry.list(other, null, 0, 10).totalItems()).isZero();
        }

        @Test
        void listingFiltersByJobAndPages() {
            UUID tenant = TestModels.newTenant(jdbc);
            UUID job = UUID.randomUUID();
            for (int member = 0; member < 3; member++) {
                registry.register(TestModels.newModel(tenant, job, member, TestModels.mlp(3, member),
                        TestModels.standardize(3), TestModels.CLASSES));
            }
            registry.register(TestModels.newModel(tenant, UUID.randomUUID(), 0, TestModels.mlp(3, 9),
                    TestModels.standardize(3), TestModels.CLASSES));

            ModelPage first = registry.list(tenant, job, 0, 2);
            ModelPage second = registry.list(tenant, job, 1, 2);

            assertThat(first.totalItems()).isEqualTo(3);
            assertThat(first.totalPages()).isEqualTo(2);
            assertThat(first.items()).hasSize(2);
            assertThat(second.items()).hasSize(1);
            assertThat(first.items()).extracting(ModelView::jobId).containsOnly(job);
            assertThat(registry.list(tenant, null, 0, 10).totalItems()).isEqualTo(4);
        }

        @Test
        void registeringJoinsTheCallersTransaction() {
            UUID tenant = TestModels.newTenant(jdbc);
            UUID[] id = new UUID[1];

            transactions.executeWithoutResult(status -> {
                id[0] = registry.register(TestModels.newModel(tenant, null, 0, TestModels.mlp(3, 1),
                        TestModels.standardize(3), TestModels.CLASSES));
                status.setRollbackOnly();
            });

            assertThat(registry.find(tenant, id[0])).isEmpty();
            assertThat(
                    jdbc.queryForObject("SELECT COUNT(*) FROM model_chunks WHERE model_id = ?", Integer.class, id[0]))
                .isZero();
        }

    }

}
