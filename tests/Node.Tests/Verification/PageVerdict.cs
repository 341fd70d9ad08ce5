using PuppeteerSharp;

namespace Ledger.Node.Tests.Verification;

/// <summary>What the verification page shows once it has decided: its verdict element's attributes and text.</summary>
public sealed record PageVerdict(string Verdict, string Status, string Failure, string Text, string Details)
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Waits until the page shows a verdict (the page sets data-verdict only once it has decided), then reads it.</summary>
    public static async Task<PageVerdict> WaitAsync(IPage page)
    {
        await page.WaitForSelectorAsync("#verdict[data-verdict]", new WaitForSelectorOptions { Timeout = (int)Deadline.TotalMilliseconds });
        return await ReadAsync(page);
    }

    /// <summary>Forgets the shown verdict, so that <see cref="WaitAsync"/> waits for the next one.</summary>
    public static Task ClearAsync(IPage page) =>
        page.EvaluateExpressionAsync("(() => { const v = document.getElementById('verdict'); delete v.dataset.verdict; delete v.dataset.failure; })()");

    private static async Task<PageVerdict> ReadAsync(IPage page) => new(
        await page.EvaluateExpressionAsync<string>("document.getElementById('verdict').dataset.verdict || ''"),
        await page.EvaluateExpressionAsync<string>("document.getElementById('verdict').dataset.status || ''"),
        await page.EvaluateExpressionAsync<string>("document.getElementById('verdict').dataset.failure || ''"),
        await page.EvaluateExpressionAsync<string>("document.getElementById('verdict').innerText"),
        await page.EvaluateExpressionAsync<string>("document.getElementById('details').innerText"));
}
