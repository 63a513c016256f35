package dev.trainyard.prediction.internal;

import dev.trainyard.engine.io.ModelFile;
import dev.trainyard.engine.nn.Sequential;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Replicas of one model's network, built from its parsed file. Layers keep per-batch
 * buffers, so a replica serves one batch at a time: a batch takes an idle replica or
 * builds one (from the parsed file, no database), and gives it back. At most {@code max}
 * exist; the first is built up front.
 */
final class ReplicaPool {

    private final ModelFile file;

    private final long fileBytes;

    private final int max;

    private final LinkedBlockingQueue<Sequential> idle = new LinkedBlockingQueue<>();

    private final AtomicInteger created = new AtomicInteger();

    ReplicaPool(byte[] fileBytes, int max) {
        this.file = ModelFile.fromBytes(fileBytes);
        this.fileBytes = fileBytes.length;
        this.max = Math.max(1, max);
        created.incrementAndGet();
        idle.add(build());
    }

    /**
     * Bytes the pool may hold at most: the parsed file and every replica (its weights,
     * and a transposed copy of the dense ones, at most as much again).
     */
    long weightBytes() {
        return fileBytes * (1L + 2L * max);
    }

    /** An idle replica, a new one while fewer than {@code max} exist, else null. */
    Sequential tryAcquire() {
        Sequential replica = idle.poll();
        if (replica != null) {
            return replica;
        }
        if (created.incrementAndGet() <= max) {
            return build();
        }
        created.decrementAndGet();
        return null;
    }

    /** A replica, waiting for one to be given back if all are busy. */
    Sequential acquire() {
        Sequential replica = tryAcquire();
        if (replica != null) {
            return replica;
        }
        try {
            return idle.take();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a model replica", e);
        }
    }

    /**
     * Puts a replica back among the idle ones (waking nobody: see BatchQueue#release).
     */
    void giveBack(Sequential replica) {
        idle.offer(replica);
    }

    /** Whether a replica is idle now; takes no lock. */
    boolean hasIdle() {
        return !idle.isEmpty();
    }

    private Sequential build() {
        Sequential replica = file.toModel();
        replica.prepareInference();
        return replica;
    }

}
