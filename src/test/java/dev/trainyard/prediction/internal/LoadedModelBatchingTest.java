package dev.trainyard.prediction.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.model.ModelView;
import dev.trainyard.model.NewModel;
import dev.trainyard.model.TestModels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests that wait for a replica are served together in one forward pass, and each
 * still gets exactly the probabilities it gets alone.
 */
class LoadedModelBatchingTest {

    static final int FEATURES = 6;

    static LoadedModel loaded(int replicas, int batchRows) {
        return loaded(replicas, batchRows, 3);
    }

    static LoadedModel loaded(int replicas, int batchRows, long seed) {
        UUID tenant = UUID.randomUUID();
        NewModel model = TestModels.newModel(tenant, null, 0, TestModels.mlp(FEATURES, seed),
                TestModels.standardize(FEATURES), TestModels.CLASSES);
        ModelView view = new ModelView(UUID.randomUUID(), null, 0, 0, model.architecture(), model.parameterCount(),
                model.classes(), model.featureShape(), model.preprocessing(), model.metrics(), model.provenance(),
                model.modelFile().length, Instant.now());
        return new LoadedModel(tenant, view, model.modelFile(), replicas, batchRows);
    }

    static float[] instances(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 10 - 5);
        }
        return x;
    }

    @Test
    @Timeout(60)
    void concurrentRequestsAreBatchedAndEachGetsTheBitsItGetsAlone() throws Exception {
        LoadedModel model = loaded(1, 16);
        int threads = 8;
        int perThread = 300;
        // what each request gets when it runs alone, with nothing else waiting
        List<float[]> inputs = new ArrayList<>();
        List<float[]> alone = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            int n = 1 + i % 3;
            float[] x = instances(i, n);
            inputs.add(x);
            alone.add(model.probabilities(x, n).toArray());
        }
        long[] before = model.batchCounts();
        assertThat(before[0]).isEqualTo(before[1]);

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<float[]>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t * perThread;
            results.add(pool.submit(() -> {
                start.await();
                List<float[]> mine = new ArrayList<>();
                for (int i = first; i < first + perThread; i++) {
                    mine.add(model.probabilities(inputs.get(i), 1 + i % 3).toArray());
                }
                return mine;
            }));
        }
        start.countDown();
        for (int t = 0; t < threads; t++) {
            List<float[]> mine = results.get(t).get(30, TimeUnit.SECONDS);
            for (int j = 0; j < perThread; j++) {
                assertThat(mine.get(j)).as("request %d", t * perThread + j)
                    .containsExactly(alone.get(t * perThread + j));
            }
        }
        pool.shutdown();

        long[] after = model.batchCounts();
        assertThat(after[1] - before[1]).isEqualTo(threads * perThread);
        assertThat(after[0] - before[0]).isLessThanOrEqualTo(threads * perThread);
    }

    @Test
    @Timeout(60)
    void requestsThatWaitForTheReplicaAreServedAsOneBatch() throws Exception {
        LoadedModel model = loaded(1, 64);
        int requests = 6;
        List<float[]> alone = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            alone.add(model.probabilities(instances(100 + i, 2), 2).toArray());
        }
        long[] before = model.batchCounts();
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        var replica = model.acquire();
        List<Future<float[]>> results = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                float[] x = instances(100 + i, 2);
                results.add(pool.submit(() -> model.probabilities(x, 2).toArray()));
            }
            while (model.waiting() < requests) {
                Thread.sleep(1);
            }
        }
        finally {
            model.release(replica);
        }
        for (int i = 0; i < requests; i++) {
            assertThat(results.get(i).get(30, TimeUnit.SECONDS)).containsExactly(alone.get(i));
        }
        pool.shutdown();
        long[] after = model.batchCounts();
        assertThat(after[0] - before[0]).as("batches").isEqualTo(1);
        assertThat(after[1] - before[1]).as("requests").isEqualTo(requests);
    }

    @Test
    @Timeout(60)
    void concurrentEnsembleRequestsGetInEveryMemberTheBitsTheyGetAlone() throws Exception {
        List<LoadedModel> members = List.of(loaded(1, 16, 3), loaded(1, 16, 4), loaded(2, 16, 5));
        int threads = 8;
        int perThread = 200;
        List<float[]> inputs = new ArrayList<>();
        List<List<float[]>> alone = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            int n = 1 + i % 3;
            float[] x = instances(1000 + i, n);
            inputs.add(x);
            alone.add(members.stream().map(m -> m.probabilities(x, n).toArray()).toList());
        }
        assertThat(alone.get(0).get(0)).isNotEqualTo(alone.get(0).get(1));
        List<long[]> before = members.stream().map(LoadedModel::batchCounts).toList();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<List<float[]>>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t * perThread;
            results.add(pool.submit(() -> {
                start.await();
                List<List<float[]>> mine = new ArrayList<>();
                for (int i = first; i < first + perThread; i++) {
                    mine.add(LoadedModel.probabilities(members, inputs.get(i), 1 + i % 3)
                        .stream()
                        .map(p -> p.toArray())
                        .toList());
                }
                return mine;
            }));
        }
        start.countDown();
        for (int t = 0; t < threads; t++) {
            List<List<float[]>> mine = results.get(t).get(30, TimeUnit.SECONDS);
            for (int j = 0; j < perThread; j++) {
                for (int m = 0; m < members.size(); m++) {
                    assertThat(mine.get(j).get(m)).as("request %d, member %d", t * perThread + j, m)
                        .containsExactly(alone.get(t * perThread + j).get(m));
                }
            }
        }
        pool.shutdown();
        for (int m = 0; m < members.size(); m++) {
            long[] after = members.get(m).batchCounts();
            assertThat(after[1] - before.get(m)[1]).as("requests of member %d", m).isEqualTo(threads * perThread);
        }
    }

    @Test
    @Timeout(60)
    void anEnsembleRequestWaitsForAllItsMembersAtOnce() throws Exception {
        LoadedModel busy = loaded(1, 64, 3);
        LoadedModel free = loaded(1, 64, 4);
        float[] x = instances(200, 2);
        float[] busyAlone = busy.probabilities(x, 2).toArray();
        float[] freeAlone = free.probabilities(x, 2).toArray();
        long[] freeBefore = free.batchCounts();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        var replica = busy.acquire();
        Future<List<float[]>> result;
        try {
            result = pool.submit(
                    () -> LoadedModel.probabilities(List.of(busy, free), x, 2).stream().map(p -> p.toArray()).toList());
            // the second member is served while the first one's only replica is taken
            while (free.batchCounts()[0] == freeBefore[0]) {
                Thread.sleep(1);
            }
            assertThat(busy.waiting()).isEqualTo(1);
            assertThat(result).isNotDone();
        }
        finally {
            busy.release(replica);
        }
        List<float[]> both = result.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(both.get(0)).containsExactly(busyAlone);
        assertThat(both.get(1)).containsExactly(freeAlone);
        assertThat(busy.waiting()).isZero();
    }

    @Test
    void aRequestLargerThanABatchRunsAloneWithTheSameBits() {
        LoadedModel model = loaded(2, 4);
        float[] x = instances(7, 10);
        float[] whole = model.probabilities(x, 10).toArray();
        for (int row = 0; row < 10; row++) {
            float[] one = java.util.Arrays.copyOfRange(x, row * FEATURES, (row + 1) * FEATURES);
            assertThat(model.probabilities(one, 1).toArray()).as("row %d", row)
                .containsExactly(java.util.Arrays.copyOfRange(whole, row * 3, row * 3 + 3));
        }
    }

}
