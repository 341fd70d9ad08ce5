using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Node.Cli;

/// <summary>
/// A refusal's sentence as a person at the command line should read it. The contract's sentences are part of the
/// committed receipts (their hash is in every block), so they cannot change; quantities in them are in thousandths
/// of the unit, as on the wire, while a clerk types whole units: those are turned back into the unit typed here.
/// </summary>
public static partial class RefusalText
{
    public static string ForPeople(string code, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return code == Ledger.Contracts.Rules.RuleCatalog.UseExceedsBalance
            ? Thousandths().Replace(reason, m =>
                $"use of {Units(m.Groups["used"].Value)} {m.Groups["unit"].Value} exceeds the remaining {Units(m.Groups["left"].Value)} {m.Groups["unit"].Value}")
            : reason;
    }

    private static string Units(string thousandths) =>
        (decimal.Parse(thousandths, CultureInfo.InvariantCulture) / 1000m).ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"use of (?<used>\d+) exceeds the remaining (?<left>\d+) \(thousandths of (?<unit>[A-Za-z0-9]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Thousandths();
}
