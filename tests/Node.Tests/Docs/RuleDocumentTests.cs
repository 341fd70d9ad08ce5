using System.Reflection;
using System.Text.RegularExpressions;
using Ledger.Contracts.Rules;
using Ledger.Node.Access;
using Ledger.Node.Services;

namespace Ledger.Node.Tests.Docs;

/// <summary>
/// docs/RULES.md is the published catalogue of rule codes: it must list exactly the codes the node can answer
/// with (RuleCatalog and AccessCodes), each with the gRPC status the node gives it ("breach" and "automatic" for codes
/// that are never refusals).
/// </summary>
public sealed partial class RuleDocumentTests
{
    private const string Breach = "breach";
    private const string Automatic = "automatic";

    [Fact]
    public void Every_code_of_the_catalog_and_of_the_access_checks_is_in_the_document_with_its_status()
    {
        var documented = Documented();

        documented.Should().BeEquivalentTo(Expected());
    }

    [Fact]
    public void Every_row_of_the_document_has_a_meaning_and_an_example_message()
    {
        var rows = Rows(Document()).ToArray();

        rows.Should().NotBeEmpty();
        rows.Should().OnlyContain(r => r.Meaning.Length > 10 && r.Example.Length > 10 && r.Example.StartsWith('`'),
            "each code says what it means and shows a message in backquotes");
    }

    [Fact]
    public void The_readme_and_the_docs_link_to_the_catalogue_not_to_the_code_or_a_file_outside_the_repository()
    {
        var texts = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Append(Path.Combine(Root, "README.md"))
            .Where(f => Path.GetFileName(f) != "RULES.md")
            .ToDictionary(f => Path.GetRelativePath(Root, f), File.ReadAllText);

        texts.Where(t => t.Value.Contains("RuleCatalog.cs", StringComparison.Ordinal) || t.Value.Contains("../shared/RULES.md", StringComparison.Ordinal))
            .Select(t => t.Key).Should().BeEmpty("the published catalogue is docs/RULES.md");
        texts["README.md"].Should().Contain("docs/RULES.md");
    }

    private static Dictionary<string, string> Expected()
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal) { [RuleCatalog.Ok] = "" };
        foreach (var code in RuleCatalog.RefusalCodes)
        {
            expected[code] = RefusalStatus.ToStatusCode(RuleCatalog.KindOf(code)).ToString();
        }
        foreach (var code in RuleCatalog.Breaches)
        {
            expected[code] = Breach;
        }
        foreach (var code in RuleCatalog.Automatic)
        {
            expected[code] = Automatic;
        }
        var access = typeof(AccessCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!);
        foreach (var code in access)
        {
            expected[code] = AccessCodes.StatusOf(code).ToString();
        }
        return expected;
    }

    /// <summary>Code and status of every table row, and OK, which the document names in its text.</summary>
    private static Dictionary<string, string> Documented()
    {
        var document = Document();
        var documented = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Rows(document))
        {
            documented.Should().NotContainKey(row.Code, "each code has one row");
            documented[row.Code] = row.Status;
        }
        if (document.Contains("`OK` is the code of an accepted transaction", StringComparison.Ordinal))
        {
            documented[RuleCatalog.Ok] = "";
        }
        return documented;
    }

    private static IEnumerable<(string Code, string Status, string Meaning, string Example)> Rows(string document) =>
        Row().Matches(document).Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim(), m.Groups[3].Value.Trim(), m.Groups[4].Value.Trim()));

    // | `CODE` | status | meaning | example |
    [GeneratedRegex(@"^\| `([A-Z][A-Z0-9_]+)` \|([^|]+)\|(.+)\| (`.*`) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    private static string Document() => File.ReadAllText(Path.Combine(Root, "docs", "RULES.md"));

    private static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Ledger.sln above {AppContext.BaseDirectory}");
    }
}
