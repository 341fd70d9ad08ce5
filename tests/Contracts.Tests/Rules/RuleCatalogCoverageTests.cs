using System.Reflection;
using Ledger.Contracts.Rules;

namespace Ledger.Contracts.Tests.Rules;

/// <summary>
/// Keeps the catalog honest: every refusal and breach code the executor can answer with is asserted by a
/// test in this folder, so a new code without a test fails here.
/// </summary>
public sealed class RuleCatalogCoverageTests
{
    // Refused before execution, by the transaction decoder (envelope, sizes, signature, chain id, kind,
    // document hash), which is written and tested elsewhere: the executor only ever sees decoded transactions.
    private static readonly string[] DecoderCodes =
    [
        RuleCatalog.TxMalformed, RuleCatalog.TxNotCanonical, RuleCatalog.TxTooLarge, RuleCatalog.FieldTooLong, RuleCatalog.TooManyItems,
        RuleCatalog.SignatureInvalid, RuleCatalog.WrongChain, RuleCatalog.TxKindUnknown, RuleCatalog.ContentHashMismatch,
        // A node's capacity, not a rule of the ledger: answered by the node's mempool.
        RuleCatalog.MempoolFull,
    ];

    private static Dictionary<string, string> CatalogConstants() =>
        typeof(RuleCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true, IsInitOnly: false } && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    private static string RulesTestSources()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "Contracts.Tests", "Rules")))
        {
            dir = dir.Parent;
        }
        dir.Should().NotBeNull("the tests run from a build inside the repository");
        var rules = Path.Combine(dir!.FullName, "tests", "Contracts.Tests", "Rules");
        var files = Directory.GetFiles(rules, "*.cs").Where(f => Path.GetFileName(f) != nameof(RuleCatalogCoverageTests) + ".cs").ToArray();
        files.Should().NotBeEmpty();
        return string.Join("\n", files.Select(File.ReadAllText));
    }

    [Fact]
    public void Every_constant_of_the_catalog_is_a_refusal_a_breach_or_an_automatic_code()
    {
        var codes = CatalogConstants().Values.Where(c => c != RuleCatalog.Ok);

        codes.Should().BeEquivalentTo(RuleCatalog.RefusalCodes.Concat(RuleCatalog.Breaches).Concat(RuleCatalog.Automatic));
        RuleCatalog.RefusalCodes.Should().NotIntersectWith(RuleCatalog.Breaches);
        RuleCatalog.RefusalCodes.Concat(RuleCatalog.Breaches).Should().NotIntersectWith(RuleCatalog.Automatic);
        RuleCatalog.RefusalCodes.Should().Contain(DecoderCodes, "the codes left to the decoder are refusal codes of the catalog");
    }

    [Fact]
    public void Every_refusal_breach_and_automatic_code_the_executor_can_give_is_asserted_by_a_rule_test()
    {
        var sources = RulesTestSources();
        var names = CatalogConstants().ToDictionary(p => p.Value, p => p.Key);

        var untested = RuleCatalog.RefusalCodes.Concat(RuleCatalog.Breaches).Concat(RuleCatalog.Automatic)
            .Except(DecoderCodes)
            .Where(code => !sources.Contains("RuleCatalog." + names[code], StringComparison.Ordinal)
                && !sources.Contains('"' + code + '"', StringComparison.Ordinal))
            .ToArray();

        untested.Should().BeEmpty("each rule needs a test in tests/Contracts.Tests/Rules that breaks it and asserts its code");
    }
}
