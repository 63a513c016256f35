package dev.trainyard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.Multipart;
import dev.trainyard.TestHttp;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The new-job form: a template for the chosen dataset, a dry run showing the resolved
 * model, a validation error shown at its JSON Pointer and selected in the editor, and a
 * submission that opens the job.
 */
class DashboardNewJobTest extends BrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void checksShowsErrorsAtTheirPointersAndSubmits() {
        String datasetId = DashboardData.upload(http(), "shapes-for-jobs", SyntheticImages.generate(60, 21));
        openSignedIn("new?dataset=" + datasetId + "&template=mlp");
        WebElement editor = waitFor(d -> d.findElement(By.id("spec-editor")));
        waitFor(d -> editor.getDomProperty("value").contains(datasetId));
        assertThat(new Select(driver.findElement(By.id("job-dataset"))).getFirstSelectedOption().getAttribute("value"))
            .isEqualTo(datasetId);
        assertThat(new Select(driver.findElement(By.id("job-template"))).getFirstSelectedOption().getAttribute("value"))
            .isEqualTo("mlp");
        // the template's last layer has one unit per class of the chosen dataset
        JsonNode template = JSON.readTree(editor.getDomProperty("value"));
        assertThat(template.path("model")
            .path("layers")
            .get(template.path("model").path("layers").size() - 1)
            .path("units")
            .asInt()).isEqualTo(3);

        // a dry run: the page shows what the server resolves for the same spec
        driver.findElement(By.id("spec-check")).click();
        WebElement preview = waitFor(d -> d.findElement(By.cssSelector("table.dry-run")));
        JsonNode summary = DashboardData.post(http(), "/api/v1/jobs?dryRun=true", editor.getDomProperty("value"));
        List<WebElement> rows = preview.findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(summary.path("layers").size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode layer = summary.path("layers").get(i);
            List<WebElement> cells = rows.get(i).findElements(By.cssSelector("td, th"));
            assertThat(cells.get(1).getText()).isEqualTo(layer.path("type").asString());
            assertThat(cells.get(2).getText()).isEqualTo(layer.path("outputShape").toString().replace(",", ", "));
        }
        assertThat(driver.findElement(By.className("parameter-count")).getText().replace(",", ""))
            .isEqualTo(String.valueOf(summary.path("parameterCount").asLong()));
        assertThat(summary.path("parameterCount").asLong()).isGreaterThan(0);
        assertThat(Accessibility.problems(driver)).isEmpty();
        docsScreenshot("new-job");

        // a last layer with the wrong number of units: the error sits at its pointer
        setEditor("""
                {"name": "wrong", "datasetId": "%s",
                 "model": {"layers": [{"type": "flatten"},
                                      {"type": "dense", "units": 16},
                                      {"type": "relu"},
                                      {"type": "dense", "units": 7}]},
                 "training": {"epochs": 1}}""".formatted(datasetId));
        driver.findElement(By.id("spec-check")).click();
        WebElement error = waitFor(d -> d.findElement(By.cssSelector(".spec-errors li")));
        assertThat(error.getAttribute("data-pointer")).isEqualTo("#/model/layers/3/units");
        assertThat(error.getText()).contains("#/model/layers/3/units", "(line 5)", "3 classes");
        assertThat(editor.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(driver.findElements(By.cssSelector("table.dry-run"))).isEmpty();
        assertThat(selection()).isEqualTo("\"units\": 7");
        // the pointer is a button that selects the place again after the caret moved
        script("arguments[0].setSelectionRange(0, 0)", editor);
        error.findElement(By.tagName("button")).click();
        assertThat(selection()).isEqualTo("\"units\": 7");

        // text that is not JSON is caught before it is sent
        setEditor("{\"name\": \"broken\",\n \"model\": }");
        driver.findElement(By.id("spec-check")).click();
        assertThat(waitFor(d -> d.findElement(By.cssSelector("#spec-feedback [role=alert]"))).getText())
            .startsWith("Not JSON")
            .contains("line 2");

        // a good spec is queued and opened, and its curves grow on the job page while it
        // trains, without a reload
        setEditor(DashboardData.mlpSpec("from-the-form", datasetId, datasetId, 5000, 1));
        driver.findElement(By.id("spec-submit")).click();
        waitFor(d -> d.getCurrentUrl().contains("#/jobs/"));
        String jobId = driver.getCurrentUrl().replaceAll(".*#/jobs/", "");
        try {
            JsonNode job = TestHttp.json(http().get("/api/v1/jobs/" + jobId));
            assertThat(job.path("name").asString()).isEqualTo("from-the-form");
            assertThat(job.path("spec").path("datasetId").asString()).isEqualTo(datasetId);
            waitFor(d -> d.findElement(By.cssSelector("figure[data-chart=loss]")));
            script("window.trainyardSamePage = true");
            long before = lossPoints();
            waitFor(Duration.ofSeconds(60), d -> lossPoints() >= before + 6);
            assertThat(script("return window.trainyardSamePage")).as("no reload").isEqualTo(true);
        }
        finally {
            http().send(http().request("/api/v1/jobs/" + jobId + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        }
    }

    private long lossPoints() {
        return Long
            .parseLong(driver.findElement(By.cssSelector("figure[data-chart=loss]")).getDomAttribute("data-points"));
    }

    @Test
    void theDatasetChoiceRewritesOnlyTheDatasetIdAndTheClassCount() {
        String three = DashboardData.upload(http(), "three-classes", SyntheticImages.generate(30, 22));
        StringBuilder csv = new StringBuilder("x,label\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        HttpResponse<String> uploaded = http().send(new Multipart().field("name", "two-classes")
            .file("file", "two.csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8))
            .post(http().request("/api/v1/datasets"))
            .build());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        String two = TestHttp.json(uploaded).path("id").asString();
        openSignedIn("new?template=cnn&dataset=" + three);
        WebElement editor = waitFor(d -> d.findElement(By.id("spec-editor")));
        waitFor(d -> editor.getDomProperty("value").contains(three));
        setEditor(editor.getDomProperty("value").replace("\"epochs\": 5", "\"epochs\": 2"));
        Select datasets = new Select(driver.findElement(By.id("job-dataset")));
        datasets.selectByValue(two);
        String spec = editor.getDomProperty("value");
        assertThat(spec).contains(two).doesNotContain(three).contains("\"epochs\": 2", "\"conv2d\"");
        JsonNode layers = JSON.readTree(spec).path("model").path("layers");
        assertThat(layers.get(layers.size() - 1).path("units").asInt()).isEqualTo(2);
        assertThat(driver.getCurrentUrl()).contains("dataset=" + two, "template=cnn");
    }

    private String selection() {
        return (String) script(
                "const e = document.getElementById('spec-editor'); return e.value.slice(e.selectionStart, e.selectionEnd)");
    }

    private void setEditor(String text) {
        script("const e = document.getElementById('spec-editor'); e.value = arguments[0];"
                + " e.dispatchEvent(new Event('input'))", text);
    }

    /** The 400 the invalid spec provokes. */
    @Override
    protected boolean expectedFailure(String message) {
        return message.contains("/api/v1/jobs") && message.contains("400");
    }

}
