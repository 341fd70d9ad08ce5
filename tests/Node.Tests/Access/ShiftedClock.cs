namespace Ledger.Node.Tests.Access;

/// <summary>The system clock moved by a fixed amount: a caller whose clock is wrong.</summary>
public sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
}
