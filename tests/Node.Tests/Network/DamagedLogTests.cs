using Ledger.Node.Cli;
using Ledger.Node.Devnet;
using Ledger.Node.Storage;
using Ledger.Wire;

namespace Ledger.Node.Tests.Network;

/// <summary>
/// A damaged tail of a crashed node's LiteDB log (OPERATIONS.md, "A damaged database"): before, the node opened it, synced
/// a few dozen blocks into it and died with an exception from deep in LiteDB, a little further at every restart. Now it
/// refuses at open with one line and exit code 5, again at every start, and recovers from its peers once a person moves
/// the damaged files aside.
/// </summary>
[Trait("Category", "Processes")]
[Collection(ProcessesCollection.Name)]
public sealed class DamagedLogTests : IAsyncLifetime
{
    private const int Victim = 3;
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(30);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ledger-damaged-" + Guid.NewGuid().ToString("N"));
    private ProcessNetwork? _network;

    public async Task InitializeAsync() => _network = await ProcessNetwork.StartAsync(_folder, 4);

    public async Task DisposeAsync()
    {
        await _network!.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    public enum Damage
    {
        /// <summary>The last 64 KiB overwritten with random bytes (a stray write, a bad sector remapped).</summary>
        Overwritten,
        /// <summary>One bit flipped every 509 bytes over the last 256 KiB (a failing disk or memory).</summary>
        BitFlipped,
    }

    [Theory]
    [InlineData(Damage.Overwritten)]
    [InlineData(Damage.BitFlipped)]
    public async Task A_damaged_log_tail_is_refused_at_every_start_with_exit_code_5_and_the_node_recovers_from_its_peers_once_it_is_moved_aside(Damage damage)
    {
        var network = _network!;
        var node = network.Nodes[Victim];
        await network.WaitForHeightAsync(1, network.Running);
        for (var i = 0; i < 4; i++)
        {
            (await network.SubmitAndWaitAsync(i, CertificateTransactions.Issue(network.ChamberKey, $"DL-{i}", (ulong)i + 1))).Committed.Should().BeTrue();
        }
        // Killed, not stopped: a clean stop folds the log into the data file and leaves none to damage.
        await node.KillAsync();
        var data = Path.Combine(NetworkLayout.NodeFolder(_folder, Victim), "data");
        var log = Path.Combine(data, NodeDatabase.LogFileName);
        new FileInfo(log).Length.Should().BeGreaterThan(256 * 1024, "the killed node's log holds its last blocks");
        Corrupt(log, damage);

        for (var start = 1; start <= 2; start++)
        {
            node.Start();
            var exitCode = await node.WaitForExitAsync(RefusalBound);
            var lines = node.LinesSinceStart().Where(l => l.Length > 0).ToArray();
            exitCode.Should().Be(ExitCodes.StorageDamaged, network.Describe($"start {start} on a damaged log"));
            lines.Should().ContainSingle(network.Describe($"start {start}: one line, nothing else"));
            lines[0].Should().Contain("is damaged").And.Contain(NodeDatabase.LogFileName).And.Contain("A damaged database")
                .And.NotContain("Exception").And.NotContain("   at ");
        }
        File.Exists(Path.Combine(data, DamageMarker.FileName)).Should().BeTrue("the folder stays marked until a person acts");

        // The documented action: move the damaged files aside; the node fetches and checks the chain from its peers.
        var aside = Directory.CreateDirectory(Path.Combine(NetworkLayout.NodeFolder(_folder, Victim), "damaged-" + damage)).FullName;
        foreach (var name in new[] { NodeDatabase.FileName, NodeDatabase.LogFileName, DamageMarker.FileName })
        {
            File.Move(Path.Combine(data, name), Path.Combine(aside, name));
        }
        node.Start();
        var target = (await network.Nodes[0].Client.GetStatusAsync(new GetStatusRequest())).Height;
        await network.WaitForHeightAsync(target, [0, Victim]);
        await network.AssertSameChainAsync([0, Victim], target);
        var certificate = await node.Client.GetCertificateAsync(new GetCertificateRequest { CertificateId = CertificateTransactions.IdOf("DL-3") });
        certificate.Status.Should().Be(CertificateStatus.Issued);
    }

    private static void Corrupt(string path, Damage damage)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var random = new Random(20);
        if (damage == Damage.Overwritten)
        {
            var bytes = new byte[64 * 1024];
            random.NextBytes(bytes);
            file.Seek(-bytes.Length, SeekOrigin.End);
            file.Write(bytes);
            return;
        }
        for (var position = file.Length - (256 * 1024); position < file.Length; position += 509)
        {
            file.Position = position;
            var b = (byte)file.ReadByte();
            file.Position = position;
            file.WriteByte((byte)(b ^ 8));
        }
    }
}
