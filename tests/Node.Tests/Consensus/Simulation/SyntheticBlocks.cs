using System.Buffers.Binary;
using System.Text;
using Ledger.Contracts.Crypto;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>
/// Blocks of the simulation are ids only: hash of (height, round, proposer, variant). Validity is a pure
/// function of the id, so every honest node gives the same answer (CONSENSUS-NOTES rule 9).
/// </summary>
internal static class SyntheticBlocks
{
    public static Hash32 Make(ulong height, int round, int proposer, int variant = 0) =>
        Hash32.Sha256(Encoding.UTF8.GetBytes($"sim-block/{height}/{round}/{proposer}/{variant}"));

    public static bool IsValid(Hash32 id, double invalidFraction) =>
        BinaryPrimitives.ReadUInt16BigEndian(id.Span) >= invalidFraction * 65536;
}
