namespace Ledger.Node.Hosting;

/// <summary>Counts of what a consensus host holds for its peers: blocks, verdicts, evidence, queued and buffered messages.</summary>
internal sealed record HostFootprint(int Blocks, int Verdicts, int Evidence, int InboundQueued, int NextHeightBuffered);
