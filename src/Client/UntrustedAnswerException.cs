namespace Ledger.Client;

/// <summary>
/// A node's answer failed verification: it is not what a quorum of the trusted validators committed.
/// The client moves on to the next endpoint; this is thrown when no endpoint gave a trustworthy answer.
/// </summary>
public sealed class UntrustedAnswerException : Exception
{
    public UntrustedAnswerException(UntrustedReason reason, string detail, string? endpoint = null)
        : base($"untrusted answer{(endpoint is null ? "" : $" from {endpoint}")}: {reason}: {detail}")
    {
        Reason = reason;
        Detail = detail;
        Endpoint = endpoint;
    }

    public UntrustedReason Reason { get; }

    /// <summary>What exactly failed, naming the key, field or certificate verdict.</summary>
    public string Detail { get; }

    /// <summary>The node that gave the answer.</summary>
    public string? Endpoint { get; }

    internal UntrustedAnswerException From(string endpoint) => new(Reason, Detail, endpoint);
}
