using PuppeteerSharp;

namespace Ledger.Node.Tests.Verification;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol by PuppeteerSharp: no browser is downloaded. The
/// executable is LEDGER_CHROMIUM, else the first of the usual paths; .ci/run installs the package when it is missing.
/// </summary>
public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"];

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("LEDGER_CHROMIUM") is { Length: > 0 } configured ? configured
            : Candidates.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException("no chromium found: install Debian's package (apt-get install -y chromium) or set LEDGER_CHROMIUM");

    public static Task<IBrowser> LaunchAsync() => Puppeteer.LaunchAsync(new LaunchOptions
    {
        Headless = true,
        ExecutablePath = ExecutablePath,
        // Root in CI containers, where chromium's sandbox cannot start.
        Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        Timeout = 60_000,
    });

    /// <summary>A phone-sized tab, where the page must be readable.</summary>
    public static async Task<IPage> NewPhonePageAsync(IBrowser browser)
    {
        var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 412, Height = 915, DeviceScaleFactor = 1, IsMobile = true });
        return page;
    }
}
