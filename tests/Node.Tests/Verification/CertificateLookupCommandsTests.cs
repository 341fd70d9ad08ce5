using System.Text.Json.Nodes;
using Ledger.Node.Cli;
using Ledger.Node.Tests.Cli;
using Ledger.Node.Tests.Network;
using static Ledger.Node.Devnet.CorridorGenesis;

namespace Ledger.Node.Tests.Verification;

/// <summary>
/// The command line's side of issue 22, against real node processes: a number typed as printed, the successor of a
/// replaced certificate, proof bundles saved and checked with no node, and the QR code of a verification link.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class CertificateLookupCommandsTests : IClassFixture<VerificationPageFixture>
{
    private readonly VerificationPageFixture _fixture;

    public CertificateLookupCommandsTests(VerificationPageFixture fixture) => _fixture = fixture;

    private string[] Network => ["--node", _fixture.Network.Endpoints[0], "--genesis", _fixture.Network.GenesisPath];

    private static Task<CliRun> Run(params string[][] parts) => CliRun.InvokeAsync([.. parts.SelectMany(p => p)]);

    [Fact]
    public async Task A_number_typed_as_printed_finds_the_certificate_and_a_replaced_one_names_its_successor()
    {
        var byNumber = await Run(["cert", "verify", VerificationPageFixture.IssuedNumber], Network);
        byNumber.ExitCode.Should().Be(ExitCodes.Ok, byNumber.ToString());
        byNumber.Output.Should().Contain(CertificateTransactions.IdOf(VerificationPageFixture.IssuedNumber) + ": accepted").And.Contain("proven against block");

        var replaced = await Run(["cert", "verify", VerificationPageFixture.ReplacedNumber], Network);
        replaced.ExitCode.Should().Be(ExitCodes.Refused, replaced.ToString());
        replaced.Output.Should().Contain($"replaced by: {CertificateTransactions.IdOf(VerificationPageFixture.SuccessorNumber)}")
            .And.Contain(VerificationPageFixture.ReplaceReason);
        var successor = await Run(["cert", "verify", CertificateTransactions.IdOf(VerificationPageFixture.SuccessorNumber), "--json"], Network);
        JsonNode.Parse(successor.Output)!["replaces"]!.GetValue<string>().Should().Be(CertificateTransactions.IdOf(VerificationPageFixture.ReplacedNumber));

        var absent = await Run(["cert", "verify", "NO-SUCH-NUMBER"], Network);
        absent.ExitCode.Should().Be(ExitCodes.Refused, absent.ToString());
        absent.Output.Should().Contain("no certificate numbered NO-SUCH-NUMBER at any issuer: its absence is proven for every organisation");
    }

    [Fact]
    public async Task A_saved_bundle_is_checked_against_the_genesis_alone_and_a_changed_one_is_refused()
    {
        var bundle = Path.Combine(_fixture.Folder, "revoked.proof.json");
        var id = CertificateTransactions.IdOf(VerificationPageFixture.RevokedNumber);
        var saved = await Run(["cert", "verify", id, "--bundle", bundle], Network);
        saved.ExitCode.Should().Be(ExitCodes.Refused, saved.ToString());
        saved.Error.Should().Contain("saved the certificate with its proof to " + bundle);

        // No --node: nothing is asked of any node.
        var offline = await Run(["cert", "verify", "--offline", bundle, "--genesis", _fixture.Network.GenesisPath]);
        offline.ExitCode.Should().Be(ExitCodes.Refused, offline.ToString());
        offline.Output.Should().Contain("status: Revoked").And.Contain(VerificationPageFixture.RevokeReason).And.Contain("proven against block");

        // The status record inside the bundle rewritten to "issued": its proof no longer holds.
        var json = JsonNode.Parse(await File.ReadAllTextAsync(bundle))!;
        foreach (var entry in json["answer"]!["proof"]!["entries"]!.AsArray())
        {
            if (entry!["key"]!.GetValue<string>().StartsWith("cert-status/", StringComparison.Ordinal))
            {
                var record = Wire.CertificateStatusRecord.Parser.ParseFrom(Convert.FromBase64String(entry["value"]!.GetValue<string>()));
                record.Status = Wire.CertificateStatus.Issued;
                entry["value"] = Convert.ToBase64String(Google.Protobuf.MessageExtensions.ToByteArray(record));
            }
        }
        var changed = Path.Combine(_fixture.Folder, "changed.proof.json");
        await File.WriteAllTextAsync(changed, json.ToJsonString());
        var refused = await Run(["cert", "verify", "--offline", changed, "--genesis", _fixture.Network.GenesisPath]);
        refused.ExitCode.Should().Be(ExitCodes.BadInput, refused.ToString());
        refused.Error.Should().Contain("its proof does not verify (ProofInvalid)").And.Contain("cert-status/" + id);

        var otherGenesis = Path.Combine(_fixture.Folder, "other-genesis.json");
        await File.WriteAllTextAsync(otherGenesis, (await File.ReadAllTextAsync(_fixture.Network.GenesisPath)) + "\n");
        var otherNetwork = await Run(["cert", "verify", "--offline", bundle, "--genesis", otherGenesis]);
        otherNetwork.ExitCode.Should().Be(ExitCodes.BadInput, otherNetwork.ToString());
        otherNetwork.Error.Should().Contain("was saved from the network with genesis " + _fixture.GenesisHash);
    }

    [Fact]
    public async Task Show_writes_the_QR_code_of_the_verification_link()
    {
        var svg = Path.Combine(_fixture.Folder, "qr.svg");
        var id = CertificateTransactions.IdOf(VerificationPageFixture.IssuedNumber);

        var shown = await Run(["cert", "show", id, "--qr", svg, "--page", _fixture.PageUrl, "--key", _fixture.Network.MemberKey(KzCustoms)], Network);

        shown.ExitCode.Should().Be(ExitCodes.Ok, shown.ToString());
        shown.Output.Should().Contain("verification link: " + _fixture.LinkTo(VerificationPageFixture.IssuedNumber));
        (await File.ReadAllTextAsync(svg)).Should().Contain("<svg");
    }
}
