namespace Ledger.Client;

/// <summary>No endpoint answered within the allowed attempts; <see cref="Failures"/> says what each attempt met.</summary>
public sealed class LedgerUnavailableException : Exception
{
    public LedgerUnavailableException(string operation, IReadOnlyList<Exception> failures)
        : base($"{operation}: no node answered after {failures.Count} attempt(s); last: {Last(failures)?.Message}", Last(failures))
    {
        Failures = failures;
    }

    public IReadOnlyList<Exception> Failures { get; }

    private static Exception? Last(IReadOnlyList<Exception> failures) => failures.Count == 0 ? null : failures[^1];
}
