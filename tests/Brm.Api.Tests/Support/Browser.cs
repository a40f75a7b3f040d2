using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Brm.Api.Tests.Support;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c> and <c>chromedriver</c>, which <c>.ci/run</c> installs) driven by Selenium
/// WebDriver, with axe-core (from the repository's node_modules) to check a page's accessibility, and screenshots.
/// </summary>
public sealed class Browser : IDisposable
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    public Browser()
    {
        var options = new ChromeOptions { BinaryLocation = Environment.GetEnvironmentVariable("BRM_CHROMIUM") ?? "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900", "--lang=en-GB");
        var driverPath = Environment.GetEnvironmentVariable("BRM_CHROMEDRIVER") ?? "/usr/bin/chromedriver";
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
    }

    public ChromeDriver Driver { get; }

    public void Open(string url) => Driver.Navigate().GoToUrl(url);

    public string Heading => Driver.FindElement(By.TagName("h1")).Text;

    /// <summary>
    /// Does what submits the form (a click, a key) and waits for the answer's page: WebDriver returns from the click
    /// before the browser has navigated, so the page the form was on must be gone, and the new one loaded, before it is read.
    /// </summary>
    public void Submit(Action submit)
    {
        var page = Driver.FindElement(By.TagName("html"));
        submit();
        new OpenQA.Selenium.Support.UI.WebDriverWait(Driver, TimeSpan.FromSeconds(30)).Until(driver =>
        {
            try
            {
                _ = page.TagName;
                return false;
            }
            // Chromium says the old page's node is gone either way: stale, or (while the new document replaces it) an
            // inspector error that the node does not belong to the document.
            catch (WebDriverException e) when (e is StaleElementReferenceException
                || e.Message.Contains("does not belong to the document", StringComparison.Ordinal))
            {
                return Equals(((IJavaScriptExecutor)driver).ExecuteScript("return document.readyState"), "complete");
            }
        });
    }

    /// <summary>
    /// axe-core's violations of serious or critical impact on the page as it is now (WCAG 2.0-2.2 A and AA, and best
    /// practice), each as "rule: target".
    /// </summary>
    public IReadOnlyList<string> SeriousAccessibilityViolations()
    {
        Driver.ExecuteScript(File.ReadAllText(Path.Combine(RepositoryRoot, "node_modules", "axe-core", "axe.min.js")));
        var json = (string?)Driver.ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(JSON.stringify(r.violations)))
              .catch(e => done(JSON.stringify([{ id: 'axe-error: ' + e, impact: 'critical', nodes: [] }])));
            """);
        using var violations = JsonDocument.Parse(json ?? "[]");
        return [.. violations.RootElement.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()}: {string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("target").ToString()))}")];
    }

    /// <summary>
    /// Saves a screenshot as <paramref name="name"/>.png under BRM_SCREENSHOTS (docs/screenshots when refreshing them), else a
    /// temporary folder; <paramref name="fullPage"/>: the whole page's height, not only the window's.
    /// </summary>
    public void Screenshot(string name, bool fullPage = false)
    {
        var folder = Environment.GetEnvironmentVariable("BRM_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Path.GetTempPath(), "brm-screenshots");
        Directory.CreateDirectory(folder);
        var window = Driver.Manage().Window;
        var size = window.Size;
        if (fullPage)
        {
            var height = Convert.ToInt32(((IJavaScriptExecutor)Driver).ExecuteScript("return document.documentElement.scrollHeight;"), System.Globalization.CultureInfo.InvariantCulture);
            window.Size = new System.Drawing.Size(size.Width, Math.Max(size.Height, height + (size.Height - ViewportHeight())));
        }

        Driver.GetScreenshot().SaveAsFile(Path.Combine(folder, name + ".png"));
        window.Size = size;
    }

    /// <summary>
    /// Shows the page as a phone of <paramref name="width"/> CSS pixels would, and says whether it fits: no sideways scrolling
    /// of the page itself (a wide table scrolls inside its own box).
    /// </summary>
    public bool FitsWidth(int width)
    {
        Driver.Manage().Window.Size = new System.Drawing.Size(width, 844);
        return Convert.ToBoolean(((IJavaScriptExecutor)Driver).ExecuteScript("return document.documentElement.scrollWidth <= window.innerWidth;"), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void DesktopWidth() => Driver.Manage().Window.Size = new System.Drawing.Size(1280, 900);

    private int ViewportHeight() =>
        Convert.ToInt32(((IJavaScriptExecutor)Driver).ExecuteScript("return window.innerHeight;"), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BrmCrm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("BrmCrm.sln not found above the test's folder");
    }
}
