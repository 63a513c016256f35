package dev.trainyard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import dev.trainyard.model.ModelMetrics;
import dev.trainyard.model.ModelService;
import dev.trainyard.model.NewModel;
import dev.trainyard.model.TestModels;
import dev.trainyard.prediction.batch.BatchClient;
import dev.trainyard.security.Tenants;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The runs table and the comparison in the browser: live status and progress without a
 * reload, the summary figures, filtering and sorting kept in the URL, and selected rows
 * compared (overlaid curves, the spec fields that differ), paging; batch predictions
 * started from a model, followed in the table and cancelled on their page. In this order,
 * so that the screenshot of the table for the docs is not a page of cancelled jobs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardRunsTest extends BrowserTest {

    @Autowired
    ModelService models;

    @Autowired
    SchedulerClient scheduler;

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 6);
    }

    private WebElement row(String jobId) {
        return driver.findElement(By.cssSelector("table.runs tr[data-job-id='" + jobId + "']"));
    }

    private String status(String jobId) {
        return row(jobId).findElement(By.cssSelector(".badge")).getText();
    }

    /** The job ids of the table's rows, top to bottom, among {@code ids}. */
    private List<String> order(List<String> ids) {
        return driver.findElements(By.cssSelector("table.runs tbody tr[data-job-id]"))
            .stream()
            .map(tr -> tr.getDomAttribute("data-job-id"))
            .filter(ids::contains)
            .toList();
    }

    /** The texts of one column of the table's rows, top to bottom. */
    private List<String> column(int index) {
        return driver.findElements(By.cssSelector("table.runs tbody tr[data-job-id]"))
            .stream()
            .map(tr -> tr.findElements(By.tagName("td")).get(index).getText())
            .toList();
    }

    @Test
    @Order(1)
    void theTableFollowsJobsLiveAndSortsAndFiltersInTheUrl() throws Exception {
        RunsFixtures f = new RunsFixtures(http());
        String s = suffix();
        String data = f.blobs(30, 5);
        String test = f.blobs(10, 6);
        String blocker = f.submit(RunsFixtures.spec("0blocker-" + s, data, null, "relu", 1, 5000, 8, 0.05));
        String a = f.submit(RunsFixtures.spec("0a-" + s, data, test, "relu", 1, 3, 16, 0.05));
        String b = f.submit(RunsFixtures.spec("0b-" + s, data, test, "relu", 2, 4, 16, 0.05));
        String c = f.submit(RunsFixtures.spec("0c-" + s, data, null, "relu", 1, 2, 16, 0.05));
        f.cancel(c);
        f.await(blocker, Duration.ofSeconds(60), j -> j.path("progress").path("epoch").asInt() >= 1);

        openSignedIn("runs");
        waitFor(d -> status(blocker).equals("RUNNING"));
        script("window.trainyardSamePage = true");
        assertThat(row(blocker).findElement(By.tagName("progress")).getDomProperty("value")).isNotEqualTo("0");
        assertThat(row(blocker).findElement(By.cssSelector(".progress-text")).getText()).contains("epoch", "/5000");
        assertThat(status(a)).isEqualTo("QUEUED");
        assertThat(status(c)).isEqualTo("CANCELLED");
        docsScreenshot("runs");

        // the queue moves on: the table follows without a reload
        f.cancel(blocker);
        waitFor(Duration.ofSeconds(90), d -> status(b).equals("SUCCEEDED") && status(a).equals("SUCCEEDED"));
        assertThat(script("return window.trainyardSamePage")).as("no reload").isEqualTo(true);
        assertThat(status(blocker)).isEqualTo("CANCELLED");
        List<WebElement> cells = row(b).findElements(By.tagName("td"));
        // select, name, status, members, best val, test, duration, samples/s, created
        assertThat(cells.get(1).getText()).isEqualTo("0b-" + s);
        assertThat(cells.get(3).getText()).isEqualTo("2");
        assertThat(cells.get(4).getText()).endsWith("%");
        assertThat(cells.get(5).getText()).endsWith("%");
        assertThat(cells.get(6).getText()).endsWith("s");
        assertThat(cells.get(7).getText()).matches("[\\d,]+");
        assertThat(row(c).findElements(By.tagName("td")).get(5).getText()).isEqualTo("–");

        List<String> mine = List.of(a, b, blocker, c);
        // sort by name, both ways, in the URL
        driver.findElement(By.cssSelector("th button[data-sort=name]")).click();
        waitFor(d -> d.getCurrentUrl().contains("sort=name"));
        assertThat(driver.findElement(By.xpath("//th[.//button[@data-sort='name']]")).getDomAttribute("aria-sort"))
            .isEqualTo("ascending");
        // other tests' jobs share the table: these names sort first
        assertThat(order(mine)).containsExactly(a, b, blocker, c);
        assertThat(column(1)).isSortedAccordingTo(
                java.util.Comparator.comparing((String name) -> name.toLowerCase(java.util.Locale.ROOT)));
        driver.findElement(By.cssSelector("th button[data-sort=name]")).click();
        waitFor(d -> d.getCurrentUrl().contains("dir=desc"));
        assertThat(column(1)).isSortedAccordingTo(
                java.util.Comparator.comparing((String name) -> name.toLowerCase(java.util.Locale.ROOT)).reversed());
        assertThat(driver.findElement(By.xpath("//th[.//button[@data-sort='created']]")).getDomAttribute("aria-sort"))
            .isEqualTo("none");
        // by members, largest first
        driver.findElement(By.cssSelector("th button[data-sort=members]")).click();
        waitFor(d -> d.getCurrentUrl().contains("sort=members"));
        assertThat(column(3).stream().map(Integer::valueOf).toList())
            .isSortedAccordingTo(java.util.Comparator.reverseOrder());

        // filter by status, in the URL
        new Select(driver.findElement(By.id("runs-status"))).selectByValue("CANCELLED");
        waitFor(d -> d.getCurrentUrl().contains("status=CANCELLED"));
        waitFor(d -> order(mine).equals(List.of(blocker, c)) || order(mine).equals(List.of(c, blocker)));
        assertThat(driver.findElements(By.cssSelector("table.runs tbody .badge")))
            .allSatisfy(badge -> assertThat(badge.getText()).isEqualTo("CANCELLED"));

        // the URL reopens the same view
        driver.navigate().refresh();
        waitFor(d -> !order(mine).isEmpty());
        assertThat(new Select(driver.findElement(By.id("runs-status"))).getFirstSelectedOption().getText())
            .isEqualTo("cancelled");
        assertThat(driver.findElement(By.xpath("//th[.//button[@data-sort='members']]")).getDomAttribute("aria-sort"))
            .isEqualTo("descending");
        assertThat(order(mine)).containsExactlyInAnyOrder(blocker, c);
    }

    @Test
    @Order(2)
    void selectedRowsAreComparedWithTheirCurvesAndTheSpecFieldsThatDiffer() throws Exception {
        RunsFixtures f = new RunsFixtures(http());
        String s = suffix();
        String data = f.blobs(30, 7);
        String test = f.blobs(10, 8);
        String slow = f.submit(RunsFixtures.spec("sgd-0.02-" + s, data, test, "relu", 1, 6, 16, 0.02));
        String fast = f.submit(RunsFixtures.spec("sgd-0.2-" + s, data, test, "tanh", 2, 4, 16, 0.2));
        f.awaitFinished(slow, Duration.ofSeconds(120));
        f.awaitFinished(fast, Duration.ofSeconds(120));

        openSignedIn("runs");
        waitFor(d -> status(fast).equals("SUCCEEDED"));
        row(slow).findElement(By.cssSelector("input[type=checkbox]")).click();
        row(fast).findElement(By.cssSelector("input[type=checkbox]")).click();
        WebElement compare = driver
            .findElement(By.xpath("//button[starts-with(normalize-space(), 'Compare selected')]"));
        assertThat(compare.getText()).contains("(2)");
        compare.click();
        waitFor(d -> d.getCurrentUrl().contains("#/compare?jobs="));
        assertThat(driver.getCurrentUrl()).contains(slow, fast);

        WebElement accuracy = waitFor(d -> d.findElement(By.cssSelector("figure[data-chart=valAccuracy]")));
        assertThat(accuracy.getDomAttribute("data-series")).isEqualTo("2");
        // mean over members per epoch: 6 epochs of one job, 4 of the other
        assertThat(accuracy.getDomAttribute("data-points")).isEqualTo("10");
        assertThat(driver.findElement(By.cssSelector("figure[data-chart=valLoss]")).getDomAttribute("data-points"))
            .isEqualTo("10");

        List<String> pointers = driver.findElements(By.cssSelector("table.compare-table tbody tr[data-pointer]"))
            .stream()
            .map(tr -> tr.getDomAttribute("data-pointer"))
            .toList();
        assertThat(pointers)
            .contains("/name", "/training/epochs", "/training/optimizer/learningRate", "/model/layers/1/type",
                    "/ensemble/members")
            .doesNotContain("/datasetId", "/testDatasetId", "/training/batchSize", "/seed");
        WebElement best = driver.findElement(By
            .xpath("//table[contains(@class,'compare-table')]//tr[th[normalize-space()='Best validation accuracy']]"));
        assertThat(best.findElements(By.tagName("td"))).hasSize(2)
            .allSatisfy(td -> assertThat(td.getText()).endsWith("%"));
        WebElement lr = driver.findElement(By.cssSelector("tr[data-pointer='/training/optimizer/learningRate']"));
        assertThat(lr.findElements(By.tagName("td")).stream().map(WebElement::getText)).containsExactly("0.02", "0.2");
        docsScreenshot("compare");

        // the link reopens the comparison
        driver.navigate().refresh();
        waitFor(d -> d.findElement(By.cssSelector("figure[data-chart=valLoss]")));
        assertThat(driver.findElement(By.id("cmp-" + slow)).isSelected()).isTrue();
    }

    @Test
    @Order(3)
    void moreJobsThanAPageArePaged() throws Exception {
        RunsFixtures f = new RunsFixtures(http());
        String s = suffix();
        String data = f.blobs(10, 9);
        String blocker = f.submit(RunsFixtures.spec("page-blocker-" + s, data, null, "relu", 1, 5000, 8, 0.05));
        List<String> queued = new java.util.ArrayList<>();
        for (int i = 0; i < 27; i++) {
            queued.add(f.submit(RunsFixtures.spec("page-%02d-%s".formatted(i, s), data, null, "relu", 1, 2, 8, 0.05)));
        }
        queued.forEach(f::cancel);
        f.cancel(blocker);

        openSignedIn("runs?status=CANCELLED&sort=name&dir=asc");
        waitFor(d -> !order(queued).isEmpty());
        int rows = driver.findElements(By.cssSelector("table.runs tbody tr[data-job-id]")).size();
        assertThat(rows).isEqualTo(25);
        String pages = driver.findElement(By.cssSelector("nav.pager [aria-current=page]")).getText();
        assertThat(pages).matches("Page 1 of [2-9]\\d*");
        java.util.Set<String> seen = new java.util.HashSet<>(order(queued));
        driver.findElement(By.xpath("//nav[contains(@class,'pager')]//button[normalize-space()='Next']")).click();
        waitFor(d -> d.getCurrentUrl().contains("page=2"));
        assertThat(driver.findElement(By.cssSelector("nav.pager [aria-current=page]")).getText())
            .startsWith("Page 2 of");
        List<String> second = order(queued);
        assertThat(second).doesNotContainAnyElementsOf(seen);
        seen.addAll(second);
        // names sort page-00 … page-26 together, so two pages hold all of them
        assertThat(seen).containsExactlyInAnyOrderElementsOf(queued);
        driver.navigate().refresh();
        waitFor(d -> d.findElement(By.cssSelector("nav.pager [aria-current=page]")).getText().startsWith("Page 2 of"));
    }

    private WebElement batchRow(String id) {
        return driver.findElement(By.cssSelector("table.batches tr[data-batch-id='" + id + "']"));
    }

    @Test
    @Order(4)
    void batchPredictionsAreStartedFromAModelFollowedInTheRunsAndCancelledOnTheirPage() throws Exception {
        BatchClient api = new BatchClient(http());
        NewModel fixture = TestModels.newModel(Tenants.DEFAULT_ID, null, 0, TestModels.mlp(4, 61),
                TestModels.standardize(4), TestModels.CLASSES);
        // not measured: the fixture's test metrics are placeholders that the model page
        // would draw
        String model = models
            .register(new NewModel(fixture.tenantId(), null, 0, 0, fixture.architecture(), fixture.parameterCount(),
                    fixture.classes(), fixture.featureShape(), fixture.preprocessing(), ModelMetrics.NONE,
                    fixture.provenance(), fixture.modelFile()))
            .toString();
        String dataset = api.upload("score-me-" + suffix(), BatchClient.examples(300, 61, TestModels.CLASSES));

        // started from the model's page
        openSignedIn("models/" + model);
        WebElement choice = waitFor(
                d -> d.findElement(By.cssSelector("#score-dataset option[value='" + dataset + "']")));
        new Select(driver.findElement(By.id("score-dataset"))).selectByValue(dataset);
        assertThat(choice.isSelected()).isTrue();
        driver.findElement(By.xpath("//button[normalize-space()='Score dataset']")).click();
        waitFor(d -> d.getCurrentUrl().contains("#/batch-predictions/"));
        String scored = driver.getCurrentUrl().replaceAll(".*#/batch-predictions/", "");
        WebElement view = waitFor(Duration.ofSeconds(60),
                d -> d.findElement(By.cssSelector("section.batch-prediction[data-status=SUCCEEDED]")));
        assertThat(view.findElement(By.cssSelector("[data-metric=accuracy]")).getText()).endsWith("%");
        assertThat(view.findElement(By.id("batch-progress")).getText()).isEqualTo("300 / 300 rows");
        assertThat(view.findElements(By.cssSelector("table.confusion tbody tr"))).hasSize(3);
        docsScreenshot("batch-prediction");
        WebElement download = view.findElement(By.xpath(".//button[normalize-space()='Download CSV']"));
        assertThat(download.isDisplayed()).isTrue();
        download.click();
        waitFor(d -> download.isEnabled());
        assertThat(view.findElements(By.cssSelector(".error"))).isEmpty();
        assertThat(view.findElement(By.xpath(".//button[normalize-space()='Cancel batch prediction']")).isDisplayed())
            .isFalse();

        // queued ones in the runs, one cancelled on its page, the other followed live
        Scheduler worker = (Scheduler) scheduler;
        String cancelled;
        String followed;
        worker.pause();
        try {
            cancelled = api.submitted(model, dataset);
            followed = api.submitted(model, dataset);
            open("runs");
            waitFor(d -> batchRow(followed).findElement(By.cssSelector(".badge")).getText().equals("QUEUED"));
            WebElement row = batchRow(scored);
            assertThat(row.findElement(By.cssSelector(".badge")).getText()).isEqualTo("SUCCEEDED");
            assertThat(row.findElement(By.cssSelector(".progress-text")).getText()).isEqualTo("300 / 300 rows");
            List<WebElement> cells = row.findElements(By.tagName("td"));
            // batch, model, dataset, status, rows/s, accuracy, created
            assertThat(cells.get(2).getText()).startsWith("score-me-");
            assertThat(cells.get(4).getText()).matches("[\\d,]+");
            assertThat(cells.get(5).getText()).endsWith("%");
            assertThat(batchRow(cancelled).findElement(By.cssSelector(".progress-text")).getText())
                .isEqualTo("0 / 300 rows");

            batchRow(cancelled).findElement(By.cssSelector("a[href^='#/batch-predictions/']")).click();
            waitFor(d -> d.findElement(By.cssSelector("section.batch-prediction[data-status=QUEUED]")));
            driver.findElement(By.xpath("//button[normalize-space()='Cancel batch prediction']")).click();
            WebElement stopped = waitFor(
                    d -> d.findElement(By.cssSelector("section.batch-prediction[data-status=CANCELLED]")));
            assertThat(stopped.findElement(By.xpath(".//button[normalize-space()='Download CSV']")).isDisplayed())
                .isFalse();

            open("runs");
            waitFor(d -> batchRow(cancelled).findElement(By.cssSelector(".badge")).getText().equals("CANCELLED"));
            script("window.trainyardSamePage = true");
        }
        finally {
            worker.resume();
        }
        waitFor(Duration.ofSeconds(60),
                d -> batchRow(followed).findElement(By.cssSelector(".badge")).getText().equals("SUCCEEDED"));
        assertThat(script("return window.trainyardSamePage")).as("no reload").isEqualTo(true);
        assertThat(batchRow(followed).findElement(By.cssSelector(".progress-text")).getText())
            .isEqualTo("300 / 300 rows");
    }

}
