package dev.trainyard.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Request-to-201 time and heap of the two reference uploads: Fashion-MNIST training IDX
 * (60,000 images, both parts gzip) and the same data as a plain 60,000 x 785 CSV (label
 * last). Runs only with {@code -Dtrainyard.benchmark=true}, against an H2 file database
 * under {@code target/} (an in-memory database would keep the stored bytes on the heap):
 *
 * <pre>./mvnw test -Dtest=DatasetUploadBenchmark -Dtrainyard.benchmark=true -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * {@code -Dtrainyard.benchmark.url=jdbc:postgresql://...} runs it against PostgreSQL
 * instead (an empty database: Flyway migrates it).
 *
 * <p>
 * Heap is sampled every millisecond while the request runs; "peak" is the highest heap in
 * use (live data and garbage not yet collected), "baseline" the heap in use after a full
 * GC just before. Add {@code -DargLine=-Xmx192m} to check the uploads succeed in a small
 * heap.
 */
@EnabledIfSystemProperty(named = "trainyard.benchmark", matches = "true")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=${trainyard.benchmark.url:jdbc:h2:file:./target/benchmark/db-${random.uuid};"
                + "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH}")
class DatasetUploadBenchmark {

    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    static final Path CSV = Path.of("target/benchmark/fashion-mnist-train.csv");

    @LocalServerPort
    int port;

    @Test
    void fashionMnistIdx() throws Exception {
        Path images = FASHION.resolve("train-images-idx3-ubyte.gz");
        Path labels = FASHION.resolve("train-labels-idx1-ubyte.gz");
        assertThat(images).as("apt-get install dataset-fashion-mnist").exists();
        Multipart body = new Multipart().file("images", "i.gz", images).file("labels", "l.gz", labels);
        measure("Fashion-MNIST IDX (gzip)", body, 60_000, "[1,28,28]");
    }

    @Test
    void fashionMnistCsv() throws Exception {
        writeCsv();
        Multipart body = new Multipart().file("file", "f.csv", CSV);
        measure("Fashion-MNIST CSV 60,000 x 785 (" + Files.size(CSV) / 1_000_000 + " MB)", body, 60_000, "[784]");
    }

    private void measure(String what, Multipart body, int examples, String shape) throws Exception {
        TestHttp http = new TestHttp(port);
        HttpRequest request = body.post(http.request("/api/v1/datasets").timeout(java.time.Duration.ofMinutes(5)))
            .build();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(1);
                }
                catch (InterruptedException e) {
                    return;
                }
            }
        });
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpuMillis = (os.getProcessCpuTime() - cpuStart) / 1_000_000;
        sampler.interrupt();
        sampler.join();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(TestHttp.json(response).path("examples").asInt()).isEqualTo(examples);
        assertThat(TestHttp.json(response).path("featureShape").toString()).isEqualTo(shape.replace(" ", ""));
        long stored = TestHttp.json(response).path("sizeBytes").asLong();
        System.out.printf(
                "BENCHMARK %s: %d ms to 201 (process CPU %d ms, load average %.1f on %d cores);"
                        + " stored %.1f MB; heap baseline %.1f MB, peak %.1f MB (+%.1f MB); max heap %.0f MB%n",
                what, millis, cpuMillis, os.getSystemLoadAverage(), os.getAvailableProcessors(), stored / 1e6,
                baseline / 1e6, peak.get() / 1e6, (peak.get() - baseline) / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6);
    }

    /**
     * The training set as CSV: 784 pixel columns p0..p783, then the label, with a header.
     */
    private static void writeCsv() throws IOException {
        if (Files.exists(CSV)) {
            return;
        }
        Files.createDirectories(CSV.getParent());
        try (DataInputStream images = open("train-images-idx3-ubyte.gz");
                DataInputStream labels = open("train-labels-idx1-ubyte.gz");
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(CSV), 1 << 20)) {
            images.readInt();
            int n = images.readInt();
            int pixels = images.readInt() * images.readInt();
            labels.readInt();
            labels.readInt();
            StringBuilder header = new StringBuilder();
            for (int p = 0; p < pixels; p++) {
                header.append('p').append(p).append(',');
            }
            out.write(header.append("label\n").toString().getBytes(StandardCharsets.US_ASCII));
            byte[] row = new byte[pixels];
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                images.readFully(row);
                line.setLength(0);
                for (byte b : row) {
                    line.append(b & 0xff).append(',');
                }
                line.append(labels.readUnsignedByte()).append('\n');
                out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private static DataInputStream open(String file) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(FASHION.resolve(file)), 1 << 16);
        return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
    }

}
