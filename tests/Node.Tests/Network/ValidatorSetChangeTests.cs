using Ledger.Client;
using Ledger.Client.Audit;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Rules;
using Ledger.Node.Devnet;
using Ledger.Wire;
using Microsoft.Extensions.Options;

namespace Ledger.Node.Tests.Network;

/// <summary>
/// A validator set changed by governance on a running network of real processes: the change is in force two heights
/// after the block that applied it, the network goes on committing under the new set, a client that trusts only the
/// genesis learns the new set from certified headers, and an auditor replays across the change.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class ValidatorSetChangeTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-valset-" + Guid.NewGuid().ToString("N"));
    private ProcessNetwork? _network;
    private ulong _nonce;

    public async Task InitializeAsync() => _network = await ProcessNetwork.StartAsync(_folder, 4, spares: 1);

    public async Task DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Proposed by the Kazakh chamber, approved by both customs: 3 of the 4 governing organisations.</summary>
    private async Task<CommittedReceipt> PassAsync(MembershipChange change)
    {
        var proposal = await GovernAsync(CorridorGenesis.KzChamber, b => b.ProposeMembershipChange = new ProposeMembershipChange { Change = change, Reason = "test" });
        proposal.Receipt.Code.Should().Be(RuleCatalog.Ok, proposal.Receipt.Message);
        var id = Convert.ToHexStringLower(proposal.Receipt.TxId.Span);
        await GovernAsync(CorridorGenesis.CnCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = id });
        var applied = await GovernAsync(CorridorGenesis.KzCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = id });
        applied.Receipt.Code.Should().Be(RuleCatalog.Ok, applied.Receipt.Message);
        return applied;
    }

    private async Task<CommittedReceipt> GovernAsync(string organisation, Action<TxBody> kind)
    {
        var key = (await KeyFile.LoadAsync(NetworkLayout.MemberKeyPath(_folder, organisation))).Pair;
        var body = new TxBody
        {
            ChainId = ProcessNetwork.ChainId,
            SignerOrg = organisation,
            SignerKey = key.Public,
            Nonce = ++_nonce,
            CreatedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        kind(body);
        var response = await _network!.SubmitAndWaitAsync(0, TransactionSigner.Sign(ProcessNetwork.ChainId, body, key));
        response.Committed.Should().BeTrue(_network.Describe("a governance transaction commits"));
        return response.Receipt;
    }

    [Fact]
    public async Task A_power_change_is_in_force_at_H_plus_2_the_network_goes_on_and_a_genesis_only_client_and_an_auditor_follow_it()
    {
        var network = _network!;
        await network.WaitForHeightAsync(1, network.Running);
        var change = new MembershipChange { SetValidatorPower = new ValidatorPower { OrganisationId = "validator-2", Power = 2 } };
        var proposal = await GovernAsync(CorridorGenesis.KzChamber, b => b.ProposeMembershipChange = new ProposeMembershipChange { Change = change, Reason = "more weight" });
        proposal.Receipt.Code.Should().Be(RuleCatalog.Ok, proposal.Receipt.Message);
        var id = Convert.ToHexStringLower(proposal.Receipt.TxId.Span);
        await GovernAsync(CorridorGenesis.CnCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = id });
        var applied = await GovernAsync(CorridorGenesis.KzCustoms, b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = id });
        applied.Receipt.Code.Should().Be(RuleCatalog.Ok, applied.Receipt.Message);
        var h = applied.Height;

        await network.WaitForHeightAsync(h + 4, network.Running);
        await network.AssertSameChainAsync(network.Running, h + 4);
        var headers = new Dictionary<ulong, BlockHeader>();
        for (var height = h; height <= h + 3; height++)
        {
            headers[height] = (await network.Nodes[1].Client.GetBlockAsync(new GetBlockRequest { Height = height })).Block.Header;
        }
        headers[h].NextValidatorsHash.Should().Equal(headers[h].ValidatorsHash, "the block that applies the change is followed by one the old set signs");
        headers[h + 1].ValidatorsHash.Should().Equal(headers[h].ValidatorsHash);
        headers[h + 1].NextValidatorsHash.Should().NotEqual(headers[h + 1].ValidatorsHash, "the header of H + 1 names the new set");
        headers[h + 2].ValidatorsHash.Should().Equal(headers[h + 1].NextValidatorsHash, "the new set signs from H + 2");
        var status = await network.Nodes[0].Client.GetStatusAsync(new GetStatusRequest());
        status.Validators.Select(v => v.Power).Should().Equal(1, 2, 1, 1);

        // A client that trusts only the genesis reads a block the new set certified: it learns the set on the way.
        var genesis = GenesisLoader.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, NetworkLayout.GenesisFile)));
        var options = new LedgerClientOptions
        {
            ChainId = genesis.ChainId,
            Genesis = genesis,
            Reader = await MemberSigner.FromKeyFileAsync(NetworkLayout.MemberKeyPath(_folder, CorridorGenesis.KzCustoms), genesis.ChainId),
        };
        options.Endpoints.Add(network.Nodes[3].Endpoint);
        using var connection = new LedgerConnection(Options.Create(options));
        var client = new LedgerNodeClient(connection, TrustedValidators.FromGenesis(genesis));
        var block = await client.GetBlockAsync(h + 3);
        block.Block.Header.Height.Should().Be(h + 3);
        client.Validators.Known.Should().HaveCount(2);
        client.Validators.Known[1].FromHeight.Should().Be(h + 2);
        client.Validators.Known[1].Set.TotalPower.Should().Be(5);

        // The auditor replays from the genesis across the change, checking each header's sets against its own replay.
        var (config, organisations) = GenesisLoader.Load(genesis);
        var blocks = new List<StoredBlock>();
        for (var height = 1UL; height <= h + 3; height++)
        {
            blocks.Add(await network.Nodes[2].Client.GetBlockAsync(new GetBlockRequest { Height = height }));
        }
        var report = await new LedgerAuditor(config, GenesisState.Entries(config, organisations))
            .RunAsync(blocks.ToAsyncEnumerable(), h + 3, null, CancellationToken.None);
        report.Findings.Should().BeEmpty();
        BlockHashing.HeaderHash(blocks[^1].Block.Header).Should().Be(BlockHashing.HeaderHash(block.Block.Header));
    }

    [Fact]
    public async Task A_fifth_validator_joins_by_block_sync_the_network_commits_with_five_then_without_an_original_and_clients_and_auditors_follow()
    {
        var network = _network!;
        await network.WaitForHeightAsync(1, network.Running);
        // The joining validator's operator makes its key; its organisation registers the same key as a member key, so
        // the node can follow the chain as that member until governance makes it a validator.
        var key = SignatureSuites.Generate(KeySuite.Ed25519);
        var keyFile = Path.Combine(_folder, "validator-5.key.json");
        await new KeyFile(key, "validator-5").SaveAsync(keyFile);
        var organisation = new Organisation { Id = "validator-5", Name = "Validator node of Uzbekistan's chamber", Country = "UZ", Roles = { Role.Validator }, Keys = { key.Public } };
        await PassAsync(new MembershipChange { AddOrganisation = organisation });
        var fifth = await network.AddNodeAsync(4, keyFile);

        var added = await PassAsync(new MembershipChange { AddValidator = new Validator { OrganisationId = "validator-5", Key = key.Public, Power = 1 } });
        var h = added.Height;
        await network.WaitUntilAsync("the fifth validator signs a commit certificate", async () =>
        {
            var head = (await network.Nodes[0].Client.GetStatusAsync(new GetStatusRequest())).Height;
            return head > h + 2 && (await network.Nodes[0].Client.GetBlockAsync(new GetBlockRequest { Height = head })).Certificate.Signatures.Any(s => s.ValidatorIndex == 4);
        });
        var withFive = (await fifth.Client.GetStatusAsync(new GetStatusRequest())).Height;
        await network.AssertSameChainAsync([0, 1, 2, 3, 4], Math.Min(withFive, (await network.Nodes[0].Client.GetStatusAsync(new GetStatusRequest())).Height));

        // An original validator leaves: the set is 4 again, and the network goes on without it once it stops.
        var removed = await PassAsync(new MembershipChange { RemoveValidator = new RemoveValidator { OrganisationId = "validator-1" } });
        var r = removed.Height;
        await network.WaitForHeightAsync(r + 3, [1, 2, 3, 4]);
        await network.Nodes[0].KillAsync();
        var issued = await network.SubmitAndWaitAsync(1, CertificateTransactions.Issue(network.ChamberKey, "VS-AFTER", 1));
        issued.Committed.Should().BeTrue(network.Describe("a certificate commits under the set without validator-1"));
        var top = issued.Receipt.Height;
        top.Should().BeGreaterThan(r + 2);
        var last = await network.Nodes[1].Client.GetBlockAsync(new GetBlockRequest { Height = top });
        last.Certificate.Signatures.Should().NotContain(s => s.ValidatorIndex == 0, "a removed validator's signature counts for nothing");
        var status = await network.Nodes[2].Client.GetStatusAsync(new GetStatusRequest());
        status.Validators.Select(v => v.Power).Should().Equal(0, 1, 1, 1, 1);

        // A client that trusts only the genesis verifies the certificate, proven under the set of four that includes the newcomer.
        var genesis = GenesisLoader.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, NetworkLayout.GenesisFile)));
        var options = new LedgerClientOptions
        {
            ChainId = genesis.ChainId,
            Genesis = genesis,
            Reader = await MemberSigner.FromKeyFileAsync(NetworkLayout.MemberKeyPath(_folder, CorridorGenesis.KzCustoms), genesis.ChainId),
        };
        options.Endpoints.Add(fifth.Endpoint);
        using var connection = new LedgerConnection(Options.Create(options));
        var client = new LedgerNodeClient(connection, TrustedValidators.FromGenesis(genesis));
        var verification = await client.VerifyCertificateAsync(CertificateTransactions.IdOf("VS-AFTER"));
        verification.Trust.Should().Be(AnswerTrust.Proven);
        client.Validators.Known.Select(k => k.FromHeight).Should().Equal(1UL, h + 2, r + 2);

        // The auditor replays from the genesis across both changes.
        var (config, organisations) = GenesisLoader.Load(genesis);
        var blocks = new List<StoredBlock>();
        for (var height = 1UL; height <= top; height++)
        {
            blocks.Add(await fifth.Client.GetBlockAsync(new GetBlockRequest { Height = height }));
        }
        var report = await new LedgerAuditor(config, GenesisState.Entries(config, organisations)).RunAsync(blocks.ToAsyncEnumerable(), top, null, CancellationToken.None);
        report.Findings.Should().BeEmpty();
    }
}
