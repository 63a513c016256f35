package dev.trainyard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * The models list, a model's page (confusion matrix, architecture, pictures), an
 * ensemble's.
 */
class DashboardModelsTest extends BrowserTest {

    @Test
    void theListLinksEveryModelToItsPage() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        openSignedIn("models");
        String modelId = trained.modelIds().get(0);
        WebElement link = waitFor(d -> d.findElement(By.cssSelector("a[href='#/models/" + modelId + "']")));
        WebElement row = link.findElement(By.xpath("ancestor::tr"));
        JsonNode model = TestHttp.json(http().get("/api/v1/models/" + modelId));
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertThat(cells.get(1).findElement(By.tagName("a")).getAttribute("href"))
            .endsWith("#/jobs/" + trained.jobId());
        assertThat(cells.get(4).getText()).isEqualTo(percent(2, model.path("metrics").path("testAccuracy").asDouble()));
        assertThat(cells.get(5).getText().replace(",", ""))
            .isEqualTo(String.valueOf(model.path("parameterCount").asLong()));
        assertThat(Accessibility.problems(driver)).isEmpty();
        link.click();
        waitFor(d -> d.findElement(By.tagName("h1")).getText().startsWith("Model " + modelId.substring(0, 8)));
    }

    @Test
    void twoModelsSelectedInTheListAreComparedCurveByCurve() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        String first = trained.modelIds().get(0);
        String second = trained.modelIds().get(1);
        openSignedIn("models");
        WebElement compare = waitFor(d -> d.findElement(By.id("compare-models")));
        assertThat(compare.isEnabled()).isFalse();
        driver.findElement(By.id("select-" + first)).click();
        driver.findElement(By.id("select-" + second)).click();
        assertThat(compare.isEnabled()).isTrue();
        compare.click();
        WebElement figure = waitFor(d -> d.findElement(By.cssSelector("figure[data-chart=valAccuracy]")));
        // in the list's order (newest first)
        List<String> chosen = List.of(driver.getCurrentUrl().replaceAll(".*#/compare\\?models=", "").split(","));
        assertThat(chosen).containsExactlyInAnyOrder(first, second);
        assertThat(figure.getDomAttribute("data-series")).isEqualTo("2");
        // each model brings its own member's curve: one point per epoch
        JsonNode rows = TestHttp.json(http().get("/api/v1/jobs/" + trained.jobId() + "/metrics"));
        long perMember = 0;
        for (JsonNode row : rows) {
            perMember += row.path("member").asInt() == 0 && row.hasNonNull("valAccuracy") ? 1 : 0;
        }
        assertThat(Long.parseLong(figure.getDomAttribute("data-points"))).isEqualTo(2 * perMember);
        // the members differ in their seed only, and each column shows its model's test
        // accuracy
        List<WebElement> differing = driver.findElements(By.cssSelector("table.compare-table tr[data-pointer]"));
        assertThat(differing).extracting(r -> r.getDomAttribute("data-pointer")).containsExactly("/seed");
        WebElement testRow = driver
            .findElement(By.xpath("//table[contains(@class,'compare-table')]//tr[th='Test accuracy']"));
        for (int i = 0; i < 2; i++) {
            JsonNode model = TestHttp.json(http().get("/api/v1/models/" + chosen.get(i)));
            assertThat(testRow.findElements(By.tagName("td")).get(i).getText())
                .isEqualTo(percent(2, model.path("metrics").path("testAccuracy").asDouble()));
        }
    }

    @Test
    void aModelPageShowsItsConfusionMatrixArchitecturePreprocessingAndProvenance() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        String modelId = trained.modelIds().get(0);
        JsonNode model = TestHttp.json(http().get("/api/v1/models/" + modelId));
        openSignedIn("models/" + modelId);
        WebElement matrix = waitFor(d -> d.findElement(By.cssSelector("table.confusion")));

        // rows true class, columns predicted: the counts as text, the shade the row's
        // share
        JsonNode confusion = model.path("metrics").path("confusionMatrix");
        assertThat(confusion.size()).isEqualTo(3);
        List<WebElement> rows = matrix.findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(3);
        int total = 0;
        int[] columnTotals = new int[3];
        for (int i = 0; i < 3; i++) {
            int rowTotal = 0;
            for (int j = 0; j < 3; j++) {
                rowTotal += confusion.get(i).get(j).asInt();
                columnTotals[j] += confusion.get(i).get(j).asInt();
            }
            total += rowTotal;
            assertThat(rows.get(i).findElement(By.tagName("th")).getText())
                .isEqualTo(model.path("classes").get(i).asString());
            List<WebElement> cells = rows.get(i).findElements(By.cssSelector("td.cell"));
            for (int j = 0; j < 3; j++) {
                int count = confusion.get(i).get(j).asInt();
                assertThat(cells.get(j).getText()).isEqualTo(String.valueOf(count));
                assertThat(Double.parseDouble(cells.get(j).getAttribute("data-share")))
                    .isCloseTo((double) count / rowTotal, org.assertj.core.data.Offset.offset(1e-4));
                assertThat(cells.get(j).getCssValue("background-color")).startsWith("rgba(0, 114, 178,");
            }
            double recall = (double) confusion.get(i).get(i).asInt() / rowTotal;
            assertThat(rows.get(i).findElement(By.cssSelector("td.recall")).getText()).isEqualTo(percent(1, recall));
        }
        assertThat(total).isEqualTo(90);
        List<WebElement> precision = matrix.findElements(By.cssSelector("tfoot td.precision"));
        for (int j = 0; j < 3; j++) {
            assertThat(precision.get(j).getText())
                .isEqualTo(percent(1, (double) confusion.get(j).get(j).asInt() / columnTotals[j]));
        }
        // a darker shade for a larger share of the row: the diagonal of a trained model
        double diagonal = alpha(rows.get(0).findElements(By.cssSelector("td.cell")).get(0));
        double off = alpha(rows.get(0).findElements(By.cssSelector("td.cell")).get(1));
        assertThat(diagonal).isGreaterThan(off);

        // architecture: one row per layer after the input, shapes and parameters as the
        // API says
        List<WebElement> layers = driver.findElements(By.cssSelector("table.architecture tbody tr"));
        assertThat(layers).hasSize(model.path("architecture").size() + 1);
        for (int i = 0; i < model.path("architecture").size(); i++) {
            JsonNode layer = model.path("architecture").get(i);
            List<WebElement> cells = layers.get(i + 1).findElements(By.cssSelector("td, th"));
            assertThat(cells.get(1).getText()).isEqualTo(layer.path("type").asString());
            assertThat(cells.get(3).getText()).isEqualTo(layer.path("outputShape").toString().replace(",", ", "));
            assertThat(cells.get(4).getText().replace(",", ""))
                .isEqualTo(String.valueOf(layer.path("parameters").asLong()));
        }

        // per-pixel mean and std of the standardization, as 28x28 pictures with their
        // ranges
        List<WebElement> pictures = driver.findElements(By.cssSelector("figure.statistic canvas.pixels"));
        assertThat(pictures).hasSize(2);
        assertThat(pictures.get(0).getAttribute("aria-label")).startsWith("mean of each pixel");
        assertThat(script("return [arguments[0].width, arguments[0].height]", pictures.get(1)))
            .isEqualTo(List.of(28L, 28L));
        assertThat(driver.findElements(By.cssSelector("figure.statistic .legend"))).hasSize(2);

        // provenance names the dataset the model was trained on
        assertThat(driver.findElement(By.cssSelector("a[href='#/datasets/" + trained.trainId() + "']")).isDisplayed())
            .isTrue();
        assertThat(driver.findElement(By.cssSelector("[data-metric=testAccuracy]")).getText())
            .isEqualTo(percent(2, model.path("metrics").path("testAccuracy").asDouble()));
        assertThat(driver.findElement(By.cssSelector("a[href='#/playground?model=" + modelId + "']")).isDisplayed())
            .isTrue();
        assertThat(Accessibility.problems(driver)).isEmpty();
        docsScreenshot("model");
    }

    @Test
    void theExportButtonsDownloadTheFilesTheApiServes() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        String modelId = trained.modelIds().get(1);
        openSignedIn("models/" + modelId);
        waitFor(d -> d.findElement(By.xpath("//button[text()='Export ONNX']")));
        // record what the page fetches and the file it hands to the browser
        script("""
                window.fetched = [];
                const fetch = window.fetch;
                window.fetch = async (...args) => {
                  const response = await fetch(...args);
                  window.fetched.push([String(args[0]), response.status, response.headers.get('Content-Length')]);
                  return response;
                };
                window.saved = [];
                const click = HTMLAnchorElement.prototype.click;
                HTMLAnchorElement.prototype.click = function () {
                  if (this.download) window.saved.push(this.download);
                  else click.call(this);
                };""");
        for (String format : new String[] { "onnx", "safetensors" }) {
            driver
                .findElement(
                        By.xpath("//button[text()='Export " + (format.equals("onnx") ? "ONNX" : "safetensors") + "']"))
                .click();
            waitFor(d -> ((List<?>) script("return window.saved")).contains("model-" + modelId + "." + format));
            @SuppressWarnings("unchecked")
            List<List<Object>> fetched = (List<List<Object>>) script("return window.fetched");
            List<Object> call = fetched.stream()
                .filter(f -> f.get(0).toString().contains("format=" + format))
                .findFirst()
                .orElseThrow();
            assertThat(call.get(0).toString()).isEqualTo("/api/v1/models/" + modelId + "/export?format=" + format);
            assertThat(call.get(1)).isEqualTo(200L);
        }
    }

    @Test
    void aModelIsDeletedAfterConfirmationAndAnEnsemblesMemberIsRefusedWithTheProblem() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        String member = trained.modelIds().get(0);
        openSignedIn("models/" + member);
        waitFor(d -> d.findElement(By.xpath("//button[text()='Delete…']"))).click();
        driver.findElement(By.xpath("//button[text()='Delete model']")).click();
        WebElement problem = waitFor(d -> d.findElement(By.cssSelector(".feedback [role=alert]")));
        assertThat(problem.getText()).isNotBlank();
        assertThat(http().get("/api/v1/models/" + member).statusCode()).isEqualTo(200);

        String spare = trained.spareModelId();
        open("models/" + spare);
        waitFor(d -> d.findElement(By.xpath("//button[text()='Delete…']"))).click();
        driver.findElement(By.xpath("//button[text()='Delete model']")).click();
        waitFor(d -> d.getCurrentUrl().endsWith("#/models"));
        assertThat(http().get("/api/v1/models/" + spare).statusCode()).isEqualTo(404);
    }

    @Test
    void anEnsemblePageShowsItsMembersWeightsAndAccuracies() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        JsonNode ensemble = TestHttp.json(http().get("/api/v1/ensembles/" + trained.ensembleId()));
        openSignedIn("ensembles/" + trained.ensembleId());
        List<WebElement> rows = waitFor(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("table.members tbody tr"));
            return found.size() == 2 ? found : null;
        });
        for (int i = 0; i < 2; i++) {
            String id = ensemble.path("modelIds").get(i).asString();
            assertThat(rows.get(i).findElement(By.tagName("a")).getAttribute("href")).endsWith("#/models/" + id);
            assertThat(rows.get(i).findElements(By.tagName("td")).get(2).getText()).isEqualTo("1 (50.0 %)");
        }
        // the job's ensemble is evaluated on the job's test set, the ensemble and each
        // member
        JsonNode metrics = ensemble.path("metrics");
        assertThat(metrics.path("testAccuracy").isNumber()).as(metrics.toString()).isTrue();
        assertThat(driver.findElement(By.cssSelector("[data-metric=testAccuracy]")).getText())
            .isEqualTo(percent(2, metrics.path("testAccuracy").asDouble()));
        for (int i = 0; i < 2; i++) {
            assertThat(rows.get(i).findElements(By.tagName("td")).get(3).getText())
                .isEqualTo(percent(2, metrics.path("memberTestAccuracies").get(i).asDouble()));
        }
        assertThat(Accessibility.problems(driver)).isEmpty();
        assertThat(driver.findElement(By.cssSelector("a[href='#/playground?ensemble=" + trained.ensembleId() + "']"))
            .isDisplayed()).isTrue();
    }

    /** As the page writes a fraction: 0.91234 → "91.23 %". */
    private static String percent(int digits, double fraction) {
        return String.format(Locale.ROOT, "%." + digits + "f %%", 100 * fraction);
    }

    private static double alpha(WebElement cell) {
        String colour = cell.getCssValue("background-color");
        return Double.parseDouble(colour.replaceAll(".*,\\s*([0-9.]+)\\)$", "$1"));
    }

    /** The refused deletion's 409. */
    @Override
    protected boolean expectedFailure(String message) {
        return message.contains("/api/v1/models/") && message.contains("409");
    }

}
