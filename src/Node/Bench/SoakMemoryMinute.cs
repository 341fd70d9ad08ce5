namespace Ledger.Node.Bench;

/// <summary>Resident memory of one node (1-based) over one minute of the soak (0-based), from samples every few seconds.</summary>
public sealed record SoakMemoryMinute(int Minute, int Node, int Samples, long MinBytes, long MedianBytes, long MaxBytes);
