using System.Net;
using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Brm.Bench;

/// <summary>
/// One file a load fetched: its path, its bytes over the wire (headers included), as sent (encoded) and decoded, and
/// when its last byte came (ms from navigation start).
/// </summary>
public sealed record LoadedFile(string Path, long TransferBytes, long EncodedBytes, long DecodedBytes, double EndMs);

/// <summary>One load, ms from navigation start: the app's files all in (the last of _framework/), its h1 in the page, its content shown.</summary>
public sealed record LoadSample(double FilesIn, double Heading, double Ready);

/// <summary>What one load fetched (the page and every resource): requests, bytes, how many came compressed, the biggest files.</summary>
public sealed record Bundle(int Requests, long TransferBytes, long EncodedBytes, long DecodedBytes, int Compressed, IReadOnlyList<LoadedFile> Biggest)
{
    public static Bundle Of(IReadOnlyList<LoadedFile> files) => new(
        files.Count,
        files.Sum(f => f.TransferBytes),
        files.Sum(f => f.EncodedBytes),
        files.Sum(f => f.DecodedBytes),
        files.Count(f => f.EncodedBytes < f.DecodedBytes),
        [.. files.OrderByDescending(f => f.DecodedBytes).Take(5)]);
}

/// <summary>
/// N loads of a screen, ms from navigation start: until the app's files are all in (what is left is the browser's and
/// the runtime's work), until its h1 is in the page, and until it is ready (its content shown).
/// </summary>
public sealed record LoadTimes(int Runs, double FilesInMedian, double HeadingMedian, double HeadingMax, double ReadyMedian, double ReadyMax)
{
    public static LoadTimes Of(IReadOnlyList<LoadSample> samples) =>
        new(samples.Count, Median([.. samples.Select(s => s.FilesIn)]), Median([.. samples.Select(s => s.Heading)]), samples.Max(s => s.Heading),
            Median([.. samples.Select(s => s.Ready)]), samples.Max(s => s.Ready));

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}

/// <summary>One screen's loads: cold (a fresh browser profile each, nothing cached) and warm (the same browser, after one load).</summary>
public sealed record ScreenLoad(string Screen, string Path, string ReadyWhen, LoadTimes Cold, LoadTimes Warm, Bundle ColdBundle, Bundle WarmBundle);

/// <summary>
/// How the service answers for one framework file when a client accepts what Chromium accepts from localhost
/// (gzip, deflate, br, zstd), then only gzip: the Content-Encoding it sent (null: none, the file as it is), and its Cache-Control.
/// </summary>
public sealed record Compression(string Path, string? AskedLikeChromium, string? AskedForGzip, string? CacheControl);

/// <summary>The loads from one form of the service (<paramref name="Service"/>: built, or published).</summary>
public sealed record WebLoadResult(string Service, string Browser, IReadOnlyList<ScreenLoad> Screens, Compression Compression);

/// <summary>
/// The web app's first load as a person on this machine gets it: headless Debian Chromium, driven by Selenium
/// WebDriver, opens a screen from the service's HTTP/1.1 endpoint. A script the browser runs before the page's own
/// (DevTools' <c>Page.addScriptToEvaluateOnNewDocument</c>) watches the document (a MutationObserver) and notes
/// <c>performance.now()</c> (ms since navigation start) when the screen's h1 is first in the page and when its
/// content is: no fixed waits. The bytes come from the browser's own Resource Timing entries.
/// </summary>
public static class WebLoad
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(60);

    // The app's own screens: where each is, its h1, and what shows it has its content (not just a "Loading…").
    private static readonly (string Name, string Path, string Heading, string ReadySelector, string ReadyWhen)[] Screens =
    [
        ("sign-in", "sign-in", "Sign in", "#name", "the sign-in form (after GET /web/config.json)"),
        ("agenda", "agenda", "Agenda", "main p.muted", "the agenda (after GetAgenda over gRPC-Web)"),
    ];

    public static async Task<WebLoadResult> MeasureAsync(string service, Uri web, string brm, int runs, string work, Action<string> progress, CancellationToken ct)
    {
        var screens = new List<ScreenLoad>();
        var browserVersion = "";
        foreach (var (name, path, heading, ready, readyWhen) in Screens)
        {
            var signIn = name != "sign-in";
            var url = new Uri(web, path);
            var cold = new List<LoadSample>();
            Bundle? coldBundle = null;
            for (var run = 1; run <= runs; run++)
            {
                ct.ThrowIfCancellationRequested();
                progress($"web: {name}, cold load {run} of {runs} (a fresh browser profile)");
                using var browser = new HeadlessChromium(work, heading, ready);
                browserVersion = browser.Version;
                browser.OpenNonApp(web); // a browser already running, as a person's is: its first page's costs are not the app's
                if (signIn)
                {
                    browser.SignIn(brm);
                }

                var (sample, files) = browser.Load(url);
                cold.Add(sample);
                coldBundle ??= Bundle.Of(files);
            }

            progress($"web: {name}, one load to fill the cache, then {runs} warm loads");
            using (var browser = new HeadlessChromium(work, heading, ready))
            {
                browser.OpenNonApp(web);
                if (signIn)
                {
                    browser.SignIn(brm);
                }

                browser.Load(url);
                var warm = new List<LoadSample>();
                IReadOnlyList<LoadedFile> warmFiles = [];
                for (var run = 1; run <= runs; run++)
                {
                    ct.ThrowIfCancellationRequested();
                    browser.Blank(); // a new navigation to the screen each time, not a reload (which revalidates what it may)
                    (var sample, warmFiles) = browser.Load(url);
                    warm.Add(sample);
                }

                screens.Add(new ScreenLoad(name, "/" + path, readyWhen, LoadTimes.Of(cold), LoadTimes.Of(warm), coldBundle!, Bundle.Of(warmFiles)));
            }
        }

        var biggest = screens[0].ColdBundle.Biggest[0].Path;
        return new WebLoadResult(service, $"headless Chromium {browserVersion}", screens, await CompressionAsync(new Uri(web, biggest), ct));
    }

    // Chromium accepts br (and zstd) from localhost, a secure context, though it is plain HTTP.
    private static async Task<Compression> CompressionAsync(Uri file, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        return new Compression(file.AbsolutePath, await EncodingAsync("gzip, deflate, br, zstd"), await EncodingAsync("gzip"), await CacheControlAsync());

        async Task<string?> EncodingAsync(string accept)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, file);
            request.Headers.AcceptEncoding.ParseAdd(accept);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            return response.Content.Headers.ContentEncoding.FirstOrDefault();
        }

        async Task<string?> CacheControlAsync()
        {
            using var response = await http.GetAsync(file, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.Headers.CacheControl?.ToString();
        }
    }

    /// <summary>
    /// One headless Chromium, as the browser tests run it (tests/Brm.Api.Tests/Support/Browser.cs), on a profile of its
    /// own in a new folder (nothing cached), with the watching script installed for every document it opens.
    /// </summary>
    private sealed class HeadlessChromium : IDisposable
    {
        private readonly ChromeDriver _driver;
        private readonly string _profile;

        public HeadlessChromium(string work, string heading, string readySelector)
        {
            var binary = Environment.GetEnvironmentVariable("BRM_CHROMIUM") ?? "/usr/bin/chromium";
            var driverPath = Environment.GetEnvironmentVariable("BRM_CHROMEDRIVER") ?? "/usr/bin/chromedriver";
            if (!File.Exists(binary) || !File.Exists(driverPath))
            {
                throw new BenchException($"--web needs Chromium ({binary}) and its driver ({driverPath}): apt-get install chromium chromium-driver, "
                    + "or set BRM_CHROMIUM and BRM_CHROMEDRIVER");
            }

            _profile = Directory.CreateDirectory(Path.Combine(work, $"chromium-{Guid.NewGuid():N}")).FullName;
            var options = new ChromeOptions { BinaryLocation = binary };
            options.AddArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900", "--lang=en-GB",
                $"--user-data-dir={_profile}", "--no-first-run", "--disable-background-networking", "--disable-component-update");
            var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
            service.SuppressInitialDiagnosticInformation = true;
            service.HideCommandPromptWindow = true;
            _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            _driver.Manage().Timeouts().AsynchronousJavaScript = LoadTimeout;
            _driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new Dictionary<string, object?> { ["source"] = Watch(heading, readySelector) });
            Version = _driver.Capabilities.GetCapability("browserVersion")?.ToString() ?? "";
        }

        public string Version { get; }

        /// <summary>Opens a page of the service that is not the app (GET /web/config.json): nothing of the app is cached by it.</summary>
        public void OpenNonApp(Uri web) => _driver.Navigate().GoToUrl(new Uri(web, "web/config.json"));

        /// <summary>
        /// Signs in as <paramref name="brm"/> the way the sign-in screen does (POST /web/dev-sign-in, the answer kept in
        /// the tab's session storage), from the page <see cref="OpenNonApp"/> opened.
        /// </summary>
        public void SignIn(string brm)
        {
            // The session as src/Brm.Web/Session.cs stores it: SignedIn serialized with System.Text.Json's defaults (Role 2 = Brm).
            var refused = (string?)_driver.ExecuteAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/web/dev-sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: arguments[0], role: 'brm' }) })
                  .then(r => r.ok ? r.json() : Promise.reject('POST /web/dev-sign-in answered ' + r.status))
                  .then(t => { sessionStorage.setItem('brm.session', JSON.stringify({ Token: t.token, Name: t.name, Role: 2, ExpiresAt: t.expiresAt })); done(''); })
                  .catch(e => done(String(e)));
                """, brm);
            if (refused is { Length: > 0 })
            {
                throw new BenchException($"web: dev sign-in failed: {refused}");
            }
        }

        public void Blank() => _driver.Navigate().GoToUrl("about:blank");

        /// <summary>Opens <paramref name="url"/>; the ms until its h1 and until it is ready, and what it fetched.</summary>
        public (LoadSample Times, IReadOnlyList<LoadedFile> Files) Load(Uri url)
        {
            _driver.Navigate().GoToUrl(url);
            string? json;
            try
            {
                json = (string?)_driver.ExecuteAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    window.__brmLoad.then(loaded => done(JSON.stringify({
                      loaded,
                      files: performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                        .map(e => ({ name: e.name, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize, end: e.responseEnd })),
                    })));
                    """);
            }
            catch (WebDriverTimeoutException)
            {
                var shown = string.Join(" | ", _driver.FindElements(By.TagName("h1")).Select(h => h.Text));
                throw new BenchException($"web: {url} was not ready within {LoadTimeout.TotalSeconds:0} s (its h1: \"{shown}\")");
            }

            using var answer = JsonDocument.Parse(json ?? throw new BenchException($"web: {url} gave no figures"));
            var loaded = answer.RootElement.GetProperty("loaded");
            var files = answer.RootElement.GetProperty("files").EnumerateArray().Select(f => new LoadedFile(
                new Uri(f.GetProperty("name").GetString()!).AbsolutePath,
                f.GetProperty("transfer").GetInt64(), f.GetProperty("encoded").GetInt64(), f.GetProperty("decoded").GetInt64(),
                f.GetProperty("end").GetDouble())).ToList();
            var filesIn = files.Where(f => f.Path.StartsWith("/_framework/", StringComparison.Ordinal)).Select(f => f.EndMs).DefaultIfEmpty(0).Max();
            return (new LoadSample(filesIn, loaded.GetProperty("heading").GetDouble(), loaded.GetProperty("ready").GetDouble()), files);
        }

        public void Dispose()
        {
            _driver.Quit();
            _driver.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // a file the browser was still closing: the run's folder goes at the end anyway
            }
        }

        // Runs in every document before its own scripts: window.__brmLoad resolves when an h1 starting with the screen's
        // heading is in the page and then the ready selector matches, with performance.now() at each (ms since
        // navigation start). The resource buffer is widened so that no file of the app is left out (the default is 250).
        private static string Watch(string heading, string readySelector) => $$"""
            (() => {
              performance.setResourceTimingBufferSize(5000);
              const heading = {{JsonSerializer.Serialize(heading)}}, ready = {{JsonSerializer.Serialize(readySelector)}};
              let headingAt = null;
              window.__brmLoad = new Promise(resolve => {
                const observer = new MutationObserver(() => {
                  const h1 = [...document.querySelectorAll('h1')].find(h => h.textContent.trim().startsWith(heading));
                  if (h1 && headingAt === null) headingAt = performance.now();
                  if (h1 && document.querySelector(ready)) {
                    observer.disconnect();
                    resolve({ heading: headingAt, ready: performance.now() });
                  }
                });
                observer.observe(document, { childList: true, subtree: true, characterData: true });
              });
            })();
            """;
    }
}
