namespace Ledger.Node.Bench;

/// <summary>The figures of one step of `ledger bench scale`: from the previous step's end to this one's.</summary>
/// <param name="Certificates">Certificates in the ledger at the end of the step.</param>
/// <param name="NodeCpuMsPerTransaction">CPU time of the node process over the step, per committed transaction.</param>
/// <param name="NodeCores">The node's CPU time over the step divided by the step's duration.</param>
/// <param name="DriverCores">The same for the driver (this process): submitting, observing, measuring.</param>
/// <param name="MeanWaitingInNode">Transactions submitted and not yet committed, sampled every 250 ms and averaged:
/// near the in-flight limit the node is the bound, near 0 the driver is.</param>
/// <param name="DatabaseBytes">The node's data folder (LiteDB file and log) at the end of the step.</param>
public sealed record ScaleStep(
    int Step,
    long Certificates,
    double Seconds,
    double CommittedPerSecond,
    double MeanLatencyMs,
    double P99LatencyMs,
    double NodeCpuMsPerTransaction,
    double NodeCores,
    double DriverCores,
    double MeanWaitingInNode,
    long ResidentBytes,
    long PeakResidentBytes,
    long AnonymousResidentBytes,
    long DatabaseBytes,
    double DatabaseBytesPerCertificate);
