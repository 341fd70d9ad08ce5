using Ledger.Node.Demo;
using Ledger.Node.Devnet;

namespace Ledger.Node.Tests.Cli;

/// <summary>One network of four validator processes for all the command-line tests of a class.</summary>
public sealed class CliNetworkFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ledger-cli-test-{Guid.NewGuid():N}");
    private DemoNetwork? _network;

    public DemoNetwork Network => _network ?? throw new InvalidOperationException("the network has not started");

    public string Folder => _folder;

    /// <summary>The repository's root, where docs/examples lives.</summary>
    public static string RepositoryRoot
    {
        get
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

    public static string Example(string name) => Path.Combine(RepositoryRoot, "docs", "examples", name);

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        // A heartbeat a second: the audit test needs the chain to grow while nothing is submitted.
        _network = await DemoNetwork.StartAsync(_folder, CorridorGenesis.Create(LocalNetwork.DefaultChainId, DateTimeOffset.UtcNow.AddDays(-30), 4),
            new Ledger.Node.Hosting.ConsensusTimeouts(EmptyBlockIntervalMs: 1_000), timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
        Directory.Delete(_folder, recursive: true);
    }
}
