package io.cutover.runbook;

import io.cutover.runbook.plan.Runbook;
import io.cutover.runbook.report.RunHtml;
import io.cutover.runbook.state.RunRecord;
import io.cutover.runbook.state.RunStore;
import io.cutover.runbook.timeline.Estimates;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code report --format html}: one self-contained page, every text from the runbook and the run escaped. */
@Timeout(120)
class RunHtmlTest {
    static final String HOSTILE = "<script>window.pwned=1</script> Prüfung “Ω” 日本 & 'quotes'";

    @TempDir
    Path dir;

    /** A rehearsal whose titles, owner and output carry markup and non-ASCII text. */
    private String report() throws Exception {
        Runbook r = RunbookFiles.load(RunbookFiles.write(dir, "night.yaml", "name: \"nuit <b>élan</b>\"\n" + RunbookFiles.WINDOW + """
                steps:
                  - id: stop
                    title: "%s"
                    owner: José
                    shell: "echo '<img src=x onerror=window.pwned=2> 完了'"
                    planned: 1m
                  - {id: drained, title: Nobody left, owner: bob, planned: 30s, timeout: 5s,
                     gate: {http: "http://127.0.0.1:1/health?a=<b>", status: 200}, on_failure: continue}
                  - {id: switch, title: Switch, owner: alice, shell: "echo switched", planned: 2m, point_of_no_return: true}
                """.formatted(HOSTILE.replace("\"", "\\\""))));
        Runs run = new Runs(r, new io.cutover.runbook.run.RunOptions(io.cutover.runbook.state.RunKind.REHEARSAL, null,
                java.util.Set.of(), null, false, "carol"));
        assertThat(run.run()).isEqualTo(1);
        try (RunStore s = r.state().open(r.name())) {
            RunRecord rec = s.load().last().orElseThrow();
            return RunHtml.of(r, rec, Estimates.of(r, s.load()), Instant.now());
        }
    }

    @Test
    void everyTextIsEscapedAndNonAsciiKept() throws Exception {
        String html = report();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">")
                .contains("<title>nuit &lt;b&gt;élan&lt;/b&gt; — rehearsal 1</title>")
                .contains("&lt;script&gt;window.pwned=1&lt;/script&gt; Prüfung “Ω” 日本 &amp; &#39;quotes&#39;")
                .contains("<td>José</td>")
                .contains("&lt;img src=x onerror=window.pwned=2&gt; 完了")
                .contains("GET http://127.0.0.1:1/health?a=&lt;b&gt; answers 200")
                .doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>élan");
        // self-contained: nothing is fetched from anywhere
        assertThat(html).doesNotContainPattern("(?i)<[^>]*\\b(src|href)\\s*=").doesNotContain("@import").doesNotContain("url(");
    }

    @Test
    void itShowsPlannedVsActualTheGatesAndTheForecastAgainstTheWindow() throws Exception {
        String html = report();
        assertThat(html).contains("state <b>done</b>")
                // a rehearsal is held outside the window: it is laid onto the window's start
                .containsPattern("took [0-9.]+m?s; started at the start of the window it would end 22:00:[0-9]{2}, window ends 02:00:00: fits with 3h59m")
                .contains("<tr class=\"state-failed\"><td class=\"id\">drained</td>")
                .contains("gate timed out after 5.0s")
                .contains("point of no return")
                .contains("<h2>Planned vs actual</h2>")
                .contains("class=\"bar planned critical\"").contains("class=\"bar actual\"");
        assertThat(html.split("<div class=\"row ", -1)).hasSize(4);
    }

    /** The page in a real browser: the hostile title is shown as text, and nothing in it ran. */
    @Test
    void aBrowserShowsTheTextAndRunsNothing() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Path driver = Path.of("/usr/bin/chromedriver");
        Assumptions.assumeTrue(Files.isExecutable(chromium) && Files.isExecutable(driver),
                "skipped: needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        Path page = dir.resolve("report.html");
        Files.writeString(page, report(), StandardCharsets.UTF_8);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")));
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build(), options);
        try {
            browser.get(page.toUri().toString());
            assertThat(browser.getTitle()).isEqualTo("nuit <b>élan</b> — rehearsal 1");
            assertThat(browser.findElement(By.cssSelector("tbody tr:first-child td:nth-child(2)")).getText()).isEqualTo(HOSTILE);
            assertThat(browser.findElement(By.cssSelector("tbody tr:first-child td:nth-child(3)")).getText()).isEqualTo("José");
            assertThat(browser.findElements(By.tagName("script"))).isEmpty();
            assertThat(browser.findElements(By.tagName("img"))).isEmpty();
            assertThat(((JavascriptExecutor) browser).executeScript("return typeof window.pwned")).isEqualTo("undefined");
        } finally {
            browser.quit();
        }
    }
}
