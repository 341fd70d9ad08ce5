using Ledger.Client.Tests.Support;
using Ledger.Contracts.Crypto;
using Ledger.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ledger.Client.Tests;

public sealed class RegistrationTests : IAsyncLifetime
{
    private readonly FakeNetwork _network = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("ledger-client-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _network.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_registered_chamber_client_signs_with_the_configured_key_file_and_submits()
    {
        _network.Node("node-a");
        var keyPath = Path.Combine(_folder, "cn-ccpit.key.json");
        await new KeyFile(_network.Corridor.MemberKeys[Corridor.CnChamber], Corridor.CnChamber).SaveAsync(keyPath);
        var services = new ServiceCollection();
        services.AddSingleton<ILedgerChannelFactory>(_network);
        services.AddLedgerClient(o =>
        {
            o.Endpoints.Add(FakeNetwork.Endpoint("node-a"));
            o.ChainId = Corridor.ChainId;
            o.Genesis = _network.Corridor.Genesis;
            o.KeyFilePath = keyPath;
        });
        await using var provider = services.BuildServiceProvider();

        var chamber = provider.GetRequiredService<ChamberClient>();
        var receipt = await chamber.IssueAsync(Corridor.Certificate("CN-DI-1", _network.Chain.NextTimeMs));

        receipt.Receipt.Code.Should().Be("OK");
        (await provider.GetRequiredService<ImportCustomsClient>().VerifyCertificateAsync("cn-ccpit/CN-DI-1")).IsActive.Should().BeTrue();
    }

    [Fact]
    public async Task Options_without_endpoints_are_refused_when_the_connection_is_built()
    {
        var services = new ServiceCollection();
        services.AddLedgerClient(o => o.ChainId = Corridor.ChainId);
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<LedgerConnection>();

        act.Should().Throw<OptionsValidationException>().WithMessage("*Endpoints*");
    }

    [Fact]
    public void A_client_configured_for_another_chain_than_its_genesis_is_refused()
    {
        var options = _network.Options("node-a");
        options.ChainId = "another-chain";

        var act = () => new LedgerNodeClient(new LedgerConnection(Options.Create(options), _network), TrustedValidators.FromGenesis(_network.Corridor.Genesis));

        act.Should().Throw<ArgumentException>().WithMessage("*another-chain*");
    }
}
