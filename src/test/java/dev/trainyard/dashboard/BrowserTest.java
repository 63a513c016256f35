package dev.trainyard.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard in a real browser: Debian's {@code chromium} driven headless through its
 * {@code chromium-driver}, against the application on a random port. No browser is
 * downloaded (Selenium Manager is never asked: both binaries are named). Without them the
 * tests are skipped with a message, unless {@code TRAINYARD_REQUIRE_BROWSER=true} (CI),
 * which makes their absence a failure. Every test leaves a screenshot under
 * {@code target/screenshots/} and fails on any error in the browser's console.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class BrowserTest {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("TRAINYARD_CHROMIUM", "/usr/bin/chromium"));

    static final Path CHROMEDRIVER = Path
        .of(System.getenv().getOrDefault("TRAINYARD_CHROMEDRIVER", "/usr/bin/chromedriver"));

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    protected static final Duration WAIT = Duration.ofSeconds(20);

    protected static ChromeDriver driver;

    @LocalServerPort
    protected int port;

    private String testName;

    @BeforeAll
    static void startBrowser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "no browser: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " are needed (apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("TRAINYARD_REQUIRE_BROWSER"))) {
                Assertions.fail(message + ", and TRAINYARD_REQUIRE_BROWSER=true");
            }
            Assumptions.abort(message);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--lang=en-GB", "--disable-extensions", "--no-first-run");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @BeforeEach
    void freshTab(TestInfo info) {
        this.testName = getClass().getSimpleName() + "-" + info.getTestMethod().orElseThrow().getName();
        driver.get(base() + "/favicon.svg");
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.manage().logs().get(LogType.BROWSER);
    }

    @AfterEach
    void screenshotAndConsole() throws IOException {
        screenshot(this.testName);
        assertThat(consoleErrors()).as("errors in the browser console").isEmpty();
    }

    protected String base() {
        return "http://localhost:" + this.port;
    }

    protected TestHttp http() {
        return new TestHttp(this.port);
    }

    /**
     * Loads the page afresh at a dashboard route, e.g. {@code open("runs")} for
     * {@code /#/runs} (through a blank page, so that the same URL loads again; the tab's
     * sessionStorage stays).
     */
    protected void open(String route) {
        driver.get("about:blank");
        driver.get(base() + "/#/" + route);
    }

    /** Opens a route signed in with {@code key} (through the sign-in form). */
    protected void openSignedIn(String route, String key) {
        open(route);
        WebElement input = waitFor(d -> d.findElement(By.id("api-key")));
        input.clear();
        input.sendKeys(key);
        driver.findElement(By.cssSelector("form.sign-in button[type=submit]")).click();
        waitFor(d -> d.findElements(By.id("api-key")).isEmpty());
    }

    protected void openSignedIn(String route) {
        openSignedIn(route, TestHttp.ADMIN_KEY);
    }

    protected <T> T waitFor(Function<WebDriver, T> condition) {
        return waitFor(WAIT, condition);
    }

    protected <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).ignoring(org.openqa.selenium.NoSuchElementException.class)
            .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
            .until(condition);
    }

    protected Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    protected Object asyncScript(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** Saves the page as {@code target/screenshots/NAME.png} and returns the file. */
    protected static Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A screenshot that README shows: saved like {@link #screenshot}, and also as
     * {@code docs/images/dashboard-NAME.png} when the build runs with
     * {@code -Dtrainyard.docs.screenshots=true}, so the pictures in the docs come from a
     * test and stay true.
     */
    protected static void docsScreenshot(String name) {
        Path taken = screenshot("dashboard-" + name);
        if (Boolean.getBoolean("trainyard.docs.screenshots")) {
            try {
                Path docs = Files.createDirectories(Path.of("docs", "images"));
                Files.copy(taken, docs.resolve("dashboard-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /**
     * The console's errors since the last call, besides the 401 and 4xx answers a test
     * provokes on purpose (the browser logs every failed request as an error; the page
     * shows them as problem details).
     */
    protected List<String> consoleErrors() {
        return driver.manage()
            .logs()
            .get(LogType.BROWSER)
            .getAll()
            .stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter(m -> !expectedFailure(m))
            .toList();
    }

    /** Whether a console error is a failed request a test provoked on purpose. */
    protected boolean expectedFailure(String message) {
        return false;
    }

    static Map<String, Object> noArgs() {
        return Map.of();
    }

}
