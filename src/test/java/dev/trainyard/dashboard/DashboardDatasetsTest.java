package dev.trainyard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * The datasets list, uploads through the page, and a dataset's page with its examples.
 */
class DashboardDatasetsTest extends BrowserTest {

    @Test
    void uploadsAnIdxPairChosenInTheFileInputWithAProgressBarAndListsIt() {
        String name = "shapes-" + UUID.randomUUID().toString().substring(0, 8);
        SyntheticImages data = SyntheticImages.generate(120, 5);
        Path[] files = data.write(name);
        openSignedIn("datasets");
        WebElement input = waitFor(d -> d.findElement(By.id("dataset-file")));
        // the labels first: the page tells the parts apart by their IDX magic numbers
        input.sendKeys(files[1] + "\n" + files[0]);
        driver.findElement(By.id("dataset-name")).sendKeys(name);
        assertThat(driver.findElements(By.cssSelector(".chosen li"))).hasSize(2);
        script("""
                const bar = document.getElementById('upload-progress');
                window.progressSeen = [];
                new MutationObserver(() => window.progressSeen.push([bar.hidden, bar.value]))
                  .observe(bar, {attributes: true});""");
        driver.findElement(By.cssSelector("form.upload button[type=submit]")).click();

        String stored = waitFor(d -> d.findElement(By.cssSelector("form.upload .success"))).getText();
        assertThat(stored).contains(name, "120 examples", "3 classes", "[1, 28, 28]");
        assertThat(script("return window.progressSeen.some(([hidden]) => hidden === false)")).isEqualTo(true);
        assertThat(driver.findElement(By.id("upload-progress")).isDisplayed()).isFalse();
        WebElement row = waitFor(d -> d.findElement(By.xpath("//table[@class='datasets']//a[text()='" + name + "']")));
        assertThat(Accessibility.problems(driver)).isEmpty();
        JsonNode listed = find(name);
        assertThat(listed.path("format").asString()).isEqualTo("idx");
        assertThat(listed.path("examples").asInt()).isEqualTo(120);
        assertThat(row.getAttribute("href")).endsWith("#/datasets/" + listed.path("id").asString());
    }

    @Test
    void aFileDroppedOnTheUploadAreaIsUploaded() {
        String name = "dropped-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i).append(',').append(30 - i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        openSignedIn("datasets");
        waitFor(d -> d.findElement(By.id("drop-zone")));
        script("""
                const transfer = new DataTransfer();
                transfer.items.add(new File([arguments[0]], 'numbers.csv', {type: 'text/csv'}));
                const zone = document.getElementById('drop-zone');
                zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));
                zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));""",
                csv.toString());
        assertThat(driver.findElement(By.cssSelector(".chosen li")).getText()).startsWith("numbers.csv");
        assertThat(script("return document.getElementById('dataset-file').files.length")).isEqualTo(1L);
        driver.findElement(By.id("dataset-name")).sendKeys(name);
        driver.findElement(By.cssSelector("form.upload button[type=submit]")).click();
        WebElement link = waitFor(d -> d.findElement(By.xpath("//table[@class='datasets']//a[text()='" + name + "']")));
        JsonNode listed = find(name);
        assertThat(listed.path("format").asString()).isEqualTo("csv");
        assertThat(listed.path("examples").asInt()).isEqualTo(30);
        assertThat(listed.path("classes").toString()).contains("even", "odd");

        // tabular examples are a table of their values, not pictures
        link.click();
        List<WebElement> rows = waitFor(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("table.example-table tbody tr"));
            return found.size() == 30 ? found : null;
        });
        assertThat(driver.findElements(By.cssSelector(".example-grid"))).isEmpty();
        assertThat(rows.get(3).getText()).isEqualTo("3 odd 3 27");
    }

    @Test
    void aBadUploadShowsTheServersProblemDetails() throws Exception {
        Path broken = Files.createTempFile("single-class", ".csv");
        Files.writeString(broken, "x,label\n1,a\n2,a\n3,a\n", StandardCharsets.UTF_8);
        broken.toFile().deleteOnExit();
        openSignedIn("datasets");
        waitFor(d -> d.findElement(By.id("dataset-file"))).sendKeys(broken.toString());
        driver.findElement(By.cssSelector("form.upload button[type=submit]")).click();
        WebElement problem = waitFor(d -> d.findElement(By.cssSelector("form.upload .problem[role=alert]")));
        assertThat(problem.findElement(By.className("problem-title")).getText()).isEqualTo("Single class");
        assertThat(problem.getText()).contains("(422)", "a classifier needs at least two classes", "part", "file");
        assertThat(driver.findElement(By.cssSelector("form.upload button[type=submit]")).isEnabled()).isTrue();
        assertThat(find(broken.getFileName().toString().replace(".csv", ""))).isNull();
    }

    @Test
    void theDatasetPageShowsClassCountsAndPagesThroughItsExamplesAsPictures() {
        SyntheticImages data = SyntheticImages.generate(90, 8);
        String id = DashboardData.upload(http(), "shapes-page", data);
        openSignedIn("datasets/" + id);
        waitFor(d -> d.findElements(By.cssSelector(".example-grid canvas")).size() == 40);
        assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Dataset shapes-page");

        List<WebElement> counts = driver.findElements(By.cssSelector("table.class-counts tbody tr"));
        assertThat(counts).hasSize(3);
        assertThat(counts.get(0).findElement(By.tagName("th")).getText()).isEqualTo("0");
        assertThat(counts.get(0).findElements(By.tagName("td")).get(0).getText()).isEqualTo("30");

        // the pictures hold the stored bytes: pixel p of example n is grey level pixel(n,
        // p)
        for (int n : new int[] { 0, 7, 39 }) {
            for (int p : new int[] { 0, 100, 406, 783 }) {
                Object grey = script(
                        """
                                const canvas = document.querySelector(`.example-grid li[data-index="${arguments[0]}"] canvas`);
                                return canvas.getContext('2d').getImageData(arguments[1] % 28, Math.floor(arguments[1] / 28), 1, 1).data[0];""",
                        n, p);
                assertThat(((Number) grey).intValue()).as("example %d pixel %d", n, p).isEqualTo(data.pixel(n, p));
            }
        }
        List<WebElement> labels = driver.findElements(By.cssSelector(".example-grid figcaption .label"));
        assertThat(labels.get(4).getText()).isEqualTo(String.valueOf(data.classOf()[4]));
        assertThat(driver.findElement(By.cssSelector(".example-grid canvas")).getAttribute("aria-label"))
            .isEqualTo("Example 0, 0");
        assertThat(Accessibility.problems(driver)).isEmpty();
        docsScreenshot("dataset");

        driver.findElement(By.xpath("//nav[@aria-label='Example pages']/button[contains(., 'Next')]")).click();
        waitFor(d -> "40".equals(d.findElement(By.cssSelector(".example-grid li")).getAttribute("data-index")));
        assertThat(driver.getCurrentUrl()).endsWith("#/datasets/" + id + "?offset=40");
        assertThat(driver.findElement(By.cssSelector("nav[aria-label='Example pages'] span")).getText())
            .isEqualTo("Examples 41–80 of 90");

        // the offset lives in the URL: a reload shows the same page
        open("datasets/" + id + "?offset=80");
        waitFor(d -> d.findElements(By.cssSelector(".example-grid canvas")).size() == 10);
        assertThat(driver.findElement(By.cssSelector(".example-grid li")).getAttribute("data-index")).isEqualTo("80");
    }

    @Test
    void aDatasetIsDeletedAfterConfirmation() {
        String id = DashboardData.upload(http(), "shapes-doomed", SyntheticImages.generate(12, 9));
        openSignedIn("datasets/" + id);
        waitFor(d -> d.findElement(By.xpath("//button[text()='Delete…']"))).click();
        WebElement confirm = driver.findElement(By.cssSelector(".confirm"));
        assertThat(confirm.isDisplayed()).isTrue();
        confirm.findElement(By.xpath(".//button[text()='Cancel']")).click();
        assertThat(confirm.isDisplayed()).isFalse();
        assertThat(http().get("/api/v1/datasets/" + id).statusCode()).isEqualTo(200);

        driver.findElement(By.xpath("//button[text()='Delete…']")).click();
        driver.findElement(By.xpath("//button[text()='Delete dataset']")).click();
        waitFor(d -> d.getCurrentUrl().endsWith("#/datasets"));
        assertThat(http().get("/api/v1/datasets/" + id).statusCode()).isEqualTo(404);
    }

    private JsonNode find(String name) {
        for (JsonNode d : TestHttp.json(http().get("/api/v1/datasets?size=100")).path("items")) {
            if (d.path("name").asString().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** The bad upload's 422. */
    @Override
    protected boolean expectedFailure(String message) {
        return message.contains("/api/v1/datasets") && message.contains("422");
    }

}
