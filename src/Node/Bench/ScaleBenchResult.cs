namespace Ledger.Node.Bench;

/// <summary>The figures of one `ledger bench scale` run.</summary>
/// <param name="Finished">False in the figures written after each step while the run goes on.</param>
/// <param name="ThroughputChangePercent">Committed tx/s of the last step against the first, in percent (negative: it fell).</param>
/// <param name="CpuPerTransactionChangePercent">Node CPU per transaction of the last step against the first, in percent.</param>
/// <param name="DriverWasTheBound">True when, on average over the run, fewer than half of the in-flight limit waited in the node.</param>
public sealed record ScaleBenchResult(
    bool Finished,
    int Certificates,
    int StepSize,
    int InFlight,
    int Cores,
    double SigningSeconds,
    double SignedPerSecond,
    double RunSeconds,
    long Committed,
    int RefusedAtSubmit,
    long RefusedInBlock,
    long NotCommitted,
    IReadOnlyList<ScaleStep> Steps,
    double ThroughputChangePercent,
    double CpuPerTransactionChangePercent,
    long PeakResidentBytes,
    bool DriverWasTheBound,
    string Summary);
