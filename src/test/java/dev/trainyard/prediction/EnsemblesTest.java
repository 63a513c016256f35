package dev.trainyard.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.engine.data.Dataset;
import dev.trainyard.engine.data.PreprocessingStatistics;
import dev.trainyard.engine.ensemble.ClassProbabilities;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.tensor.Rng;
import dev.trainyard.engine.tensor.Tensor;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.TestModels;
import dev.trainyard.system.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import dev.trainyard.system.PostgresTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;

/** Ensembles on the embedded H2 database and on PostgreSQL. */
class EnsemblesTest {

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
        EnsembleService ensembles;

        @Autowired
        ModelService registry;

        @Autowired
        JdbcTemplate jdbc;

        @Test
        void anEnsembleOnATestSetReportsItsAndEachMembersAccuracy() {
            UUID tenant = TestModels.newTenant(jdbc);
            PreprocessingStatistics prep = TestModels.standardize(4);
            List<Sequential> nets = new ArrayList<>();
            List<UUID> ids = new ArrayList<>();
            for (int m = 0; m < 3; m++) {
                Sequential net = TestModels.mlp(4, 100 + m);
                nets.add(net);
                ids.add(registry.register(TestModels.newModel(tenant, null, m, net, prep, TestModels.CLASSES)));
            }
            Rng rng = new Rng(5);
            int n = 200;
            float[] raw = new float[n * 4];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                for (int f = 0; f < 4; f++) {
                    raw[i * 4 + f] = (float) (f + (1 + f) * rng.nextGaussian());
                }
                labels[i] = (int) (rng.nextDouble() * 3);
            }
            Dataset test = new Dataset(Tensor.wrap(raw, n, 4), labels, 3);
            List<Double> weights = List.of(1.0, 2.0, 1.0);

            UUID id = ensembles.create(tenant, "three", ids, weights, test);

            // the same evaluation done directly with the engine
            Tensor x = prep.apply(test.features());
            float[][] p = new float[3][];
            double[] member = new double[3];
            for (int m = 0; m < 3; m++) {
                p[m] = ClassProbabilities.predict(nets.get(m), x).toArray();
                member[m] = accuracy(p[m], labels);
            }
            float[] avg = new float[n * 3];
            for (int i = 0; i < avg.length; i++) {
                avg[i] = (float) ((p[0][i] * 1.0 + p[1][i] * 2.0 + p[2][i] * 1.0) / 4.0);
            }
            EnsembleView view = ensembles.get(tenant, id);
            assertThat(view.name()).isEqualTo("three");
            assertThat(view.modelIds()).containsExactlyElementsOf(ids);
            assertThat(view.weights()).containsExactly(1.0, 2.0, 1.0);
            assertThat(view.metrics().memberTestAccuracies()).containsExactly(member[0], member[1], member[2]);
            assertThat(view.metrics().testAccuracy()).isEqualTo(accuracy(avg, labels));
        }

        @Test
        void anEnsembleCannotIncludeAnotherTenantsModel() {
            UUID tenant = TestModels.newTenant(jdbc);
            UUID other = TestModels.newTenant(jdbc);
            UUID own = register(tenant, 4, TestModels.CLASSES);
            UUID foreign = register(other, 4, TestModels.CLASSES);

            assertThatThrownBy(() -> ensembles.create(tenant, "mixed", List.of(own, foreign), null, (UUID) null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
                    assertThat(e.detail()).contains(foreign.toString());
                });
        }

        @Test
        void membersMustShareClassesAndFeatureShape() {
            UUID tenant = TestModels.newTenant(jdbc);
            UUID a = register(tenant, 4, TestModels.CLASSES);
            UUID otherClasses = register(tenant, 4, List.of("cat", "bird", "dog"));
            UUID otherShape = register(tenant, 5, TestModels.CLASSES);

            assertThatThrownBy(() -> ensembles.create(tenant, "e", List.of(a, otherClasses), null, (UUID) null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.detail()).contains("[cat, bird, dog]"));
            assertThatThrownBy(() -> ensembles.create(tenant, "e", List.of(a, otherShape), null, (UUID) null))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.detail()).contains("[5]").contains("[4]"));
        }

        @Test
        void aModelInAnEnsembleCannotBeDeletedAndAnUnusedOneCan() {
            UUID tenant = TestModels.newTenant(jdbc);
            UUID used = register(tenant, 4, TestModels.CLASSES);
            UUID unused = register(tenant, 4, TestModels.CLASSES);
            UUID ensemble = ensembles.create(tenant, "one", List.of(used), null, (UUID) null);

            assertThatThrownBy(() -> registry.delete(tenant, used)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(HttpStatus.CONFLICT);
                assertThat(e.detail()).contains(ensemble.toString());
            });
            registry.delete(tenant, unused);
            assertThat(registry.find(tenant, unused)).isEmpty();
            assertThat(registry.find(tenant, used)).isPresent();
        }

        UUID register(UUID tenant, int features, List<String> classes) {
            return registry.register(TestModels.newModel(tenant, null, 0, TestModels.mlp(features, 1),
                    TestModels.standardize(features), classes));
        }

        static double accuracy(float[] p, int[] labels) {
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                int best = 0;
                for (int c = 1; c < 3; c++) {
                    if (p[i * 3 + c] > p[i * 3 + best]) {
                        best = c;
                    }
                }
                correct += best == labels[i] ? 1 : 0;
            }
            return (double) correct / labels.length;
        }

    }

}
