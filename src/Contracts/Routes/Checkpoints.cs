using Ledger.Wire;

namespace Ledger.Contracts.Routes;

/// <summary>Look-ups in the checkpoint registry of the network configuration.</summary>
public static class Checkpoints
{
    public static CheckpointInfo? Find(NetworkConfig config, string code) =>
        config.Checkpoints.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.Ordinal));
}
