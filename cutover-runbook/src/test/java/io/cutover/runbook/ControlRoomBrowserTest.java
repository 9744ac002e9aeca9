package io.cutover.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.state.StepState;
import io.cutover.runbook.ui.ControlRoom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The control-room page in a real headless Chromium on a phone-sized screen. */
@Timeout(120)
class ControlRoomBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    /** Clicks once the element is there; the page redraws on every pushed update, so a found element may be replaced. */
    private static void click(WebDriverWait wait, String css) {
        wait.until(d -> {
            try {
                d.findElement(By.cssSelector(css)).click();
                return true;
            } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                return false;
            }
        });
    }

    /**
     * The text of the element {@code css} once it contains {@code expected}: the page redraws its parts as the run
     * changes, so an element found a moment ago may be gone; each try finds it again.
     */
    private static String textOnceItContains(WebDriverWait wait, String css, String expected) {
        return wait.until(d -> {
            try {
                String text = d.findElement(By.cssSelector(css)).getText();
                return text.contains(expected) ? text : null;
            } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                return null;
            }
        });
    }

    @Test
    void theOperatorSeesTheCurrentStepAndTheForecastAndConfirmsFromAPhone() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "skipped: needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: redis-upgrade\n" + RunbookFiles.windowAroundNow() + """
                steps:
                  - {id: stop-batch, title: Stop the batch jobs, owner: bob, shell: "echo 40 jobs stopped", planned: 1s}
                  - id: switch
                    title: Switch DNS to new-redis
                    owner: alice
                    manual: Change the Route53 record to new-redis
                    confirm: true
                    point_of_no_return: true
                    planned: 5m
                """));
        Runs run = new Runs(r);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectory(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        WebDriver browser = null;
        try (ControlRoom room = ControlRoom.start(run.runner, "127.0.0.1:0")) {
            CompletableFuture<Integer> code = run.background();
            RunnerTest.awaitState(r, "switch", StepState.WAITING);
            browser = new ChromeDriver(service, options);
            browser.manage().window().setSize(new Dimension(390, 844));
            browser.get(room.url() + "?token=" + room.token());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".current-step")));
            assertThat(textOnceItContains(wait, ".current-step", "switch — Switch DNS to new-redis (alice): waiting"))
                    .contains("Change the Route53 record to new-redis");
            assertThat(textOnceItContains(wait, ".forecast-end", "expected end "))
                    .startsWith("expected end ").contains("window ends " + java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").format(r.window().end())).contains("fits with");
            assertThat(browser.findElements(By.cssSelector("#gantt .row"))).hasSize(2);
            // nothing wider than the phone: no sideways scrolling
            Object wide = ((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth > window.innerWidth");
            assertThat(wide).isEqualTo(false);

            browser.findElement(By.id("by")).sendKeys("alice");
            assertThat(textOnceItContains(wait, "button.confirm", "Confirm switch")).isEqualTo("Confirm switch");
            click(wait, "button.confirm");
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.done")));
            assertThat(textOnceItContains(wait, ".current-step", "(alice): running")).contains("switch — Switch DNS to new-redis");
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Path target = Path.of("target", "control-room.png");
            Files.createDirectories(target.getParent());
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            assertThat(Files.size(target)).isGreaterThan(1000);
            assertThat(Runs.last(r).step("switch").confirmedBy()).isEqualTo("alice");

            click(wait, "button.done");
            assertThat(code.get(20, TimeUnit.SECONDS)).isEqualTo(0);
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".ponr"), "point of no return passed"));
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }
}
