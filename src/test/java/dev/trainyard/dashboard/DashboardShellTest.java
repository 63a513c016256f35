package dev.trainyard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The page and its assets without a key, its security policy, and signing in. */
class DashboardShellTest extends BrowserTest {

    @Test
    void servesThePageAndItsLibrariesWithoutAKeyUnderAStrictPolicy() {
        HttpResponse<String> page = http().withoutKey().get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"/js/app.js\"></script>");
        String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).contains("script-src 'self'", "style-src 'self'", "connect-src 'self'")
            .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:");
        for (String asset : new String[] { "/js/app.js", "/js/api.js", "/css/app.css",
                "/webjars/uplot/dist/uPlot.esm.js", "/webjars/uplot/dist/uPlot.min.css" }) {
            HttpResponse<String> response = http().withoutKey().get(asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(asset).isPresent();
        }
        assertThat(http().withoutKey().get("/api/v1/jobs").statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongKeyIsRefusedWithTheServersProblemAndTheRightOneSignsIn() {
        open("runs");
        waitFor(d -> d.findElement(By.id("api-key"))).sendKeys("ty_0000000000000000_wrong");
        driver.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        String error = waitFor(d -> d.findElement(By.cssSelector("form.sign-in [role=alert]"))).getText();
        assertThat(error).isNotBlank().doesNotContain("ty_0000000000000000_wrong");
        assertThat(script("return sessionStorage.getItem('trainyard.apiKey')")).isNull();
        screenshot("sign-in-refused");

        openSignedIn("runs");
        waitFor(d -> d.findElement(By.tagName("h1")).getText().equals("Runs"));
        assertThat(driver.getCurrentUrl()).doesNotContain("ty_");
        assertThat(script("return document.cookie")).isEqualTo("");
        assertThat(script("return sessionStorage.getItem('trainyard.apiKey')")).isNotNull();
    }

    @Override
    protected boolean expectedFailure(String message) {
        return message.contains("/api/v1/jobs") && message.contains("401");
    }

}
