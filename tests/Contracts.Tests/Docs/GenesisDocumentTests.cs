using System.Globalization;
using System.Text.RegularExpressions;
using Ledger.Contracts.Certificates;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Tests.Support;

namespace Ledger.Contracts.Tests.Docs;

/// <summary>docs/GENESIS.md states facts the loader and the rules decide: its tables are held to the code here.</summary>
public sealed partial class GenesisDocumentTests
{
    private static string Genesis() => RepositoryFiles.Read("docs/GENESIS.md");

    [Fact]
    public void The_limit_defaults_in_the_document_are_the_loaders_defaults()
    {
        var defaults = new GenesisLimits();
        var rows = LimitRow().Matches(Genesis()).ToDictionary(m => m.Groups[1].Value, m => uint.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));

        rows.Should().Equal(new Dictionary<string, uint>
        {
            ["txBytesMax"] = defaults.TxBytesMax,
            ["stringCharsMax"] = defaults.StringCharsMax,
            ["goodsLinesMax"] = defaults.GoodsLinesMax,
            ["listItemsMax"] = defaults.ListItemsMax,
        });
    }

    [Fact]
    public void A_genesis_without_limits_gets_the_documented_defaults()
    {
        var example = Example();
        var withoutLimits = Regex.Replace(example, @",\s*""limits"": \{[^}]*\}", "");
        withoutLimits.Should().NotContain("\"limits\"");

        var limits = GenesisLoader.Load(GenesisLoader.Parse(withoutLimits)).Config.Limits;

        limits.TxBytesMax.Should().Be(65_536);
        limits.StringCharsMax.Should().Be(1_024);
        limits.GoodsLinesMax.Should().Be(200);
        limits.ListItemsMax.Should().Be(64);
    }

    [Fact]
    public void The_example_loads_as_a_valid_genesis()
    {
        var (config, organisations) = GenesisLoader.Load(GenesisLoader.Parse(Example()));

        config.ChainId.Should().Be("silk-road-devnet");
        organisations.Should().HaveCount(10);
        config.Validators.Should().ContainSingle();
    }

    [Fact]
    public void The_required_field_names_in_the_document_are_the_ones_a_form_may_list()
    {
        var genesis = Genesis();
        var section = genesis[genesis.IndexOf("## Required fields", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 1, StringComparison.Ordinal)];

        RequiredFieldRow().Matches(section).Select(m => m.Groups[1].Value).Should().Equal(CertificateFields.Names);
    }

    /// <summary>The JSON example of the document.</summary>
    public static string Example()
    {
        var genesis = Genesis();
        var start = genesis.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        return genesis[start..genesis.IndexOf("```", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex(@"^\| `(\w+Max)` \| ([\d,]+) \|", RegexOptions.Multiline)]
    private static partial Regex LimitRow();

    [GeneratedRegex(@"^\| `([\w.]+)` \| ", RegexOptions.Multiline)]
    private static partial Regex RequiredFieldRow();
}
