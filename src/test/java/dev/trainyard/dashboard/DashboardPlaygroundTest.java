package dev.trainyard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.TestHttp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The playground: an input drawn, dropped or taken from a dataset gives the probabilities
 * the API gives for the same input (with the same Monte Carlo dropout samples and seeds),
 * for the ensemble and for each member, and they sum to 1.
 */
class DashboardPlaygroundTest extends BrowserTest {

    /** The page's default for models with dropout, and its default seed. */
    private static final int SAMPLES = 30;

    private static final int SEED = 0;

    @Test
    void aTestExampleGetsTheEnsemblesAndEachMembersProbabilitiesAsTheApiAnswers() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        openSignedIn("playground?ensemble=" + trained.ensembleId());
        waitFor(d -> d.findElement(By.id("example-dataset")));
        awaitAnswer();
        // the job's test set is offered first
        assertThat(
                new Select(driver.findElement(By.id("example-dataset"))).getFirstSelectedOption().getAttribute("value"))
            .isEqualTo(trained.testId());
        WebElement index = driver.findElement(By.id("example-index"));
        index.clear();
        index.sendKeys("5");
        driver.findElement(By.id("example-load")).click();
        waitFor(d -> d.findElement(By.className("truth")).getText().equals("True label: 2"));
        awaitAnswer();

        JsonNode example = TestHttp
            .json(http().get("/api/v1/datasets/" + trained.testId() + "/examples?offset=5&limit=1"))
            .path("examples")
            .get(0);
        // the canvas shows the example's bytes
        assertThat(padPixels()).isEqualTo(values(example.path("features")));
        String instance = example.path("features").toString();
        assertMatchesTheApi(trained, instance, SAMPLES);

        WebElement ensemble = driver.findElement(By.cssSelector("table.probabilities[data-target=ensemble]"));
        assertThat(ensemble.findElements(By.className("whisker"))).hasSize(3);
        assertThat(driver.findElement(By.className("agreement")).getText())
            .endsWith("of the members say " + driver.findElement(By.className("predicted-label")).getText());
        assertThat(Accessibility.problems(driver)).isEmpty();
        docsScreenshot("playground");

        // without Monte Carlo dropout the members' bars come from the ensemble's own
        // answer
        WebElement samples = driver.findElement(By.id("mc-samples"));
        samples.clear();
        samples.sendKeys("0", Keys.TAB);
        waitFor(d -> d.findElements(By.className("whisker")).isEmpty());
        awaitAnswer();
        assertMatchesTheApi(trained, instance, 0);
    }

    @Test
    void aDrawingIsSentAsItsPixelsAndTheKeyboardDrawsToo() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        openSignedIn("playground?ensemble=" + trained.ensembleId());
        WebElement pad = waitFor(d -> d.findElement(By.id("drawing-pad")));
        awaitAnswer();
        assertThat(pad.getAttribute("aria-label")).isEqualTo("Drawing area, 28 by 28 pixels");
        assertThat(pad.getAttribute("aria-describedby")).isEqualTo("pad-help");

        // a vertical stroke with the mouse (pointer events), 280 px shown for 28 pixels
        new Actions(driver).moveToElement(pad, -40, -100)
            .clickAndHold()
            .moveByOffset(5, 60)
            .moveByOffset(5, 60)
            .moveByOffset(0, 60)
            .release()
            .perform();
        awaitAnswer();
        script("document.getElementById('drawing-pad').blur()");
        List<Integer> drawn = padPixels();
        assertThat(drawn.stream().filter(v -> v > 0).count()).isGreaterThan(20);
        assertMatchesTheApi(trained, drawn.toString(), SAMPLES);

        // the keyboard: Delete clears, Space paints at the brush, arrows move it
        pad.sendKeys(Keys.DELETE);
        awaitAnswer();
        script("document.getElementById('drawing-pad').blur()");
        assertThat(padPixels()).allMatch(v -> v == 0);
        pad.sendKeys(Keys.SPACE, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.SPACE);
        awaitAnswer();
        script("document.getElementById('drawing-pad').blur()");
        List<Integer> keyed = padPixels();
        assertThat(keyed.get(14 * 28 + 14)).isEqualTo(255);
        assertThat(keyed.get(14 * 28 + 17)).isEqualTo(255);
        assertThat(keyed.get(3 * 28 + 3)).isZero();
        assertMatchesTheApi(trained, keyed.toString(), SAMPLES);

        driver.findElement(By.id("pad-clear")).click();
        awaitAnswer();
        assertThat(padPixels()).allMatch(v -> v == 0);
    }

    @Test
    void aDroppedImageIsScaledToTheModelsSizeInvertedWhenLightAndPredicted() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        openSignedIn("playground?ensemble=" + trained.ensembleId());
        waitFor(d -> d.findElement(By.id("image-drop")));
        awaitAnswer();
        // a 56x56 picture: a dark horizontal bar on white, as a photo of a drawing would
        // be
        asyncScript("""
                const done = arguments[arguments.length - 1];
                const canvas = document.createElement('canvas');
                canvas.width = 56;
                canvas.height = 56;
                const context = canvas.getContext('2d');
                context.fillStyle = '#fff';
                context.fillRect(0, 0, 56, 56);
                context.fillStyle = '#000';
                context.fillRect(6, 24, 44, 8);
                canvas.toBlob((blob) => {
                  const transfer = new DataTransfer();
                  transfer.items.add(new File([blob], 'bar.png', {type: 'image/png'}));
                  document.getElementById('image-drop').dispatchEvent(
                    new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
                  done();
                }, 'image/png');""");
        waitFor(d -> d.findElement(By.cssSelector("#image-drop [aria-live]")).getText().contains("scaled to 28×28"));
        awaitAnswer();
        assertThat(driver.findElement(By.id("image-invert")).isSelected()).isTrue();
        List<Integer> pixels = padPixels();
        assertThat(pixels.get(14 * 28 + 14)).isEqualTo(255);
        assertThat(pixels.get(2 * 28 + 14)).isZero();
        assertMatchesTheApi(trained, pixels.toString(), SAMPLES);
    }

    @Test
    void aSingleModelIsChosenFromTheListAndItsAnswerMatchesTheApi() {
        DashboardData.Trained trained = DashboardData.trained(http(), port);
        String modelId = trained.modelIds().get(1);
        openSignedIn("playground?ensemble=" + trained.ensembleId());
        WebElement choice = waitFor(d -> d.findElement(By.id("playground-target")));
        awaitAnswer();
        new Select(choice).selectByValue("model:" + modelId);
        waitFor(d -> d.getCurrentUrl().endsWith("#/playground?model=" + modelId));
        waitFor(d -> d.findElement(By.cssSelector("table.probabilities[data-target=model]")));
        awaitAnswer();
        assertThat(driver.findElements(By.cssSelector("table.probabilities"))).hasSize(1);

        // without Monte Carlo dropout the answer is deterministic and has no error bars
        WebElement samples = driver.findElement(By.id("mc-samples"));
        samples.clear();
        samples.sendKeys("0", Keys.TAB);
        waitFor(d -> d.findElements(By.className("whisker")).isEmpty());
        awaitAnswer();
        String instance = padPixels().toString();
        JsonNode answer = DashboardData.post(http(), "/api/v1/models/" + modelId + "/predictions",
                "{\"instances\": [" + instance + "]}");
        assertTable("model", answer.path("predictions").get(0), answer.path("classes"));
    }

    /** Waits until the page shows the answer to its latest input. */
    private void awaitAnswer() {
        waitFor(d -> "done".equals(d.findElement(By.cssSelector("section.results")).getAttribute("data-state")));
    }

    /**
     * The drawing pad's pixels, the values the page sends (grey level = raw value for
     * bytes).
     */
    @SuppressWarnings("unchecked")
    private List<Integer> padPixels() {
        List<Object> raw = (List<Object>) script(
                """
                        const canvas = document.getElementById('drawing-pad');
                        return Array.from(canvas.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0));""");
        return raw.stream().map(v -> ((Number) v).intValue()).toList();
    }

    private static List<Integer> values(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }

    /**
     * The ensemble's table equals the API's answer for the same instance, samples and
     * seed; each member's equals that member model's answer with the seed the ensemble
     * gives it (seed + member index).
     */
    private void assertMatchesTheApi(DashboardData.Trained trained, String instance, int samples) {
        String request = "{\"instances\": [%s], \"mcDropoutSamples\": %d, \"seed\": %d}";
        JsonNode combined = DashboardData.post(http(), "/api/v1/ensembles/" + trained.ensembleId() + "/predictions",
                request.formatted(instance, samples, SEED));
        assertTable("ensemble", combined.path("predictions").get(0), combined.path("classes"));
        assertThat(driver.findElement(By.className("predicted-label")).getText())
            .isEqualTo(combined.path("predictions").get(0).path("label").asString());
        for (int j = 0; j < trained.modelIds().size(); j++) {
            JsonNode member = DashboardData.post(http(), "/api/v1/models/" + trained.modelIds().get(j) + "/predictions",
                    request.formatted(instance, samples, SEED + j));
            assertTable("member-" + j, member.path("predictions").get(0), member.path("classes"));
            // the member's mean is the one the ensemble combined
            JsonNode carried = combined.path("predictions").get(0).path("memberProbabilities").get(j);
            assertThat(carried.size()).isEqualTo(member.path("classes").size());
            for (int i = 0; i < carried.size(); i++) {
                assertThat(member.path("predictions").get(0).path("probabilities").get(i).asDouble())
                    .isCloseTo(carried.get(i).asDouble(), within(1e-6));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void assertTable(String target, JsonNode item, JsonNode classes) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) script(
                """
                        return Array.from(document.querySelectorAll(`table.probabilities[data-target="${arguments[0]}"] tbody tr`))
                          .map((tr) => ({cls: tr.dataset.class, p: Number(tr.dataset.probability),
                                         std: tr.dataset.std === '' ? null : Number(tr.dataset.std)}));""",
                target);
        assertThat(rows).as(target).hasSize(classes.size());
        double sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            double p = ((Number) row.get("p")).doubleValue();
            sum += p;
            assertThat(row.get("cls")).as(target).isEqualTo(classes.get(i).asString());
            assertThat(p).as("%s p(%s)", target, row.get("cls"))
                .isCloseTo(item.path("probabilities").get(i).asDouble(), within(1e-6));
            if (item.has("std")) {
                assertThat(((Number) row.get("std")).doubleValue()).as("%s std(%s)", target, row.get("cls"))
                    .isCloseTo(item.path("std").get(i).asDouble(), within(1e-6));
            }
            else {
                assertThat(row.get("std")).isNull();
            }
        }
        assertThat(sum).as("%s: the probabilities sum to 1", target).isCloseTo(1.0, within(1e-5));
        Object shown = script(
                "return Number(document.querySelector(`table.probabilities[data-target=\"${arguments[0]}\"] td.sum`).dataset.sum)",
                target);
        assertThat(((Number) shown).doubleValue()).isCloseTo(sum, within(1e-9));
    }

}
