using Ledger.Node.Cli;
using Ledger.Wire;

namespace Ledger.Node.Tests.Cli;

/// <summary>The change files of `ledger gov propose`: every example in docs/examples reads, and together they cover every kind.</summary>
public sealed class ChangeFileTests
{
    private static readonly string[] Examples = Directory.GetFiles(Path.Combine(CliNetworkFixture.RepositoryRoot, "docs", "examples"), "gov-*.json");

    [Fact]
    public async Task Every_governance_example_reads_with_a_reason_and_together_they_cover_every_kind_of_change()
    {
        var kinds = new List<MembershipChange.ChangeOneofCase>();
        foreach (var example in Examples)
        {
            var proposal = await ChangeFiles.ReadAsync(new FileInfo(example), CancellationToken.None);
            proposal.Reason.Should().NotBeNullOrWhiteSpace(example);
            ChangeText.Kind(proposal.Change).Should().Be(Path.GetFileNameWithoutExtension(example)["gov-".Length..], "each example is named after its kind");
            ChangeText.Describe(proposal.Change).Should().NotContain("does not know");
            kinds.Add(proposal.Change.ChangeCase);
        }

        kinds.Should().BeEquivalentTo(Enum.GetValues<MembershipChange.ChangeOneofCase>().Where(k => k != MembershipChange.ChangeOneofCase.None));
    }

    [Fact]
    public async Task A_key_written_as_suite_and_hex_reads_as_the_key_and_base64_is_left_alone()
    {
        var text = await ChangeFiles.ReadAsync(new FileInfo(Path.Combine(CliNetworkFixture.RepositoryRoot, "docs", "examples", "gov-add-key.json")), CancellationToken.None);
        var path = Path.Combine(Path.GetTempPath(), $"gov-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(path, ChangeFiles.Format(text));
            var again = await ChangeFiles.ReadAsync(new FileInfo(path), CancellationToken.None);

            again.Should().Be(text);
            text.Change.AddKey.Key.Suite.Should().Be(KeySuite.Ed25519);
            Convert.ToHexStringLower(text.Change.AddKey.Key.Key.Span).Should().Be("632e5ade6e148c7753a808025ba87f018f5d9056a6d9ff7e9f0c538d57eb4650");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{\"change\": {}, \"reason\": \"x\"}", "names no change")]
    [InlineData("{\"change\": {\"addKey\": {\"organisationID\": \"x\"}}}", "organisationID")]
    [InlineData("{\"change\": {\"addKey\": {\"organisationId\": \"x\", \"key\": \"rsa:00\"}}}", "rsa")]
    [InlineData("[1, 2", "not a valid ledger.v1.ProposeMembershipChange")]
    public async Task A_malformed_change_file_is_refused_naming_the_file_and_the_fault(string content, string named)
    {
        var path = Path.Combine(Path.GetTempPath(), $"gov-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, content);
        try
        {
            var read = () => ChangeFiles.ReadAsync(new FileInfo(path), CancellationToken.None);

            (await read.Should().ThrowAsync<CliInputException>()).Which.Message.Should().Contain(path).And.Contain(named);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
