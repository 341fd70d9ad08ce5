namespace Ledger.Node.Consensus;

/// <summary>Messages dropped or refused, by reason: cheap to keep, and the first thing to look at when a network misbehaves.</summary>
public sealed class ConsensusCounters
{
    public long Malformed { get; internal set; }

    public long UnknownValidator { get; internal set; }

    public long BadSignature { get; internal set; }

    public long WrongProposer { get; internal set; }

    public long StaleHeight { get; internal set; }

    public long FarFutureHeight { get; internal set; }

    public long FarFutureRound { get; internal set; }

    public long NextHeightBufferFull { get; internal set; }

    public long Duplicate { get; internal set; }

    public long Equivocation { get; internal set; }

    public long InvalidCertificate { get; internal set; }

    /// <summary>Signing refused because it would contradict an earlier signature: non-zero means a bug or a bad restore.</summary>
    public long RefusedSigning { get; internal set; }

    public long CertificatesOffered { get; internal set; }
}
