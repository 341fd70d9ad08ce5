using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;

namespace Ledger.Client;

/// <summary>
/// One node failed a call for a reason of transport, not of the ledger's rules: what <see cref="LedgerUnavailableException"/>
/// collects, one per attempt, with the node's address and a sentence a person can act on instead of a gRPC status dump.
/// </summary>
public sealed class NodeFailureException : Exception
{
    public NodeFailureException(string endpoint, NodeFailureKind kind, string reason, Exception? inner = null)
        : base($"{endpoint}: {reason}", inner)
    {
        Endpoint = endpoint;
        Kind = kind;
        Reason = reason;
    }

    public string Endpoint { get; }

    public NodeFailureKind Kind { get; }

    /// <summary>What went wrong, without the address: "connection refused", "not a ledger node (HTTP 404)".</summary>
    public string Reason { get; }

    /// <summary>
    /// Whether a gRPC status means that what answered is not a ledger node: a ledger node implements every method, and
    /// Grpc.Net.Client reports any answer that is not gRPC (an HTTP 404, 500, a web page) as "Bad gRPC response".
    /// A gRPC NotFound is not enough: a ledger node answers it, without a rule code, for a block or transaction it does
    /// not hold (GetBlock, GetTransaction).
    /// </summary>
    public static bool IsNotALedgerNode(RpcException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var ruleCode = ex.Trailers.GetValue(LedgerConnection.RuleCodeTrailer);
        return string.IsNullOrEmpty(ruleCode)
            && (ex.StatusCode is StatusCode.Unimplemented || ex.Status.Detail.StartsWith("Bad gRPC response", StringComparison.Ordinal));
    }

    /// <summary>Names what went wrong with one call to <paramref name="endpoint"/>.</summary>
    public static NodeFailureException Of(string endpoint, Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (Find<AuthenticationException>(failure) is { } tls)
        {
            return new(endpoint, NodeFailureKind.CertificateNotTrusted, $"TLS certificate not trusted ({Untrusted(tls)})", failure);
        }
        if (failure is RpcException rpc && IsNotALedgerNode(rpc))
        {
            return new(endpoint, NodeFailureKind.NotALedgerNode, $"not a ledger node: it answered {rpc.StatusCode} ({rpc.Status.Detail.TrimEnd('.')})", failure);
        }
        if (Find<SocketException>(failure) is { } socket)
        {
            return new(endpoint, NodeFailureKind.Unreachable, socket.Message.ToLowerInvariant(), failure);
        }
        return failure switch
        {
            RpcException { StatusCode: StatusCode.DeadlineExceeded } => new(endpoint, NodeFailureKind.Timeout, "no answer in time", failure),
            RpcException { StatusCode: StatusCode.Unavailable } r => new(endpoint, NodeFailureKind.Timeout, $"unavailable: {r.Status.Detail}", failure),
            RpcException r => new(endpoint, NodeFailureKind.Other, $"{r.StatusCode}: {r.Status.Detail}", failure),
            _ => new(endpoint, NodeFailureKind.Unreachable, Innermost(failure).Message, failure),
        };
    }

    // The chain error (PartialChain, UntrustedRoot) is what tells a missing CA from a wrong host name.
    private static string Untrusted(AuthenticationException tls) =>
        tls.Message.Contains("RemoteCertificateNameMismatch", StringComparison.Ordinal) ? "its name does not match the address"
        : tls.Message.Contains("PartialChain", StringComparison.Ordinal) || tls.Message.Contains("UntrustedRoot", StringComparison.Ordinal) ? "signed by a CA this client does not trust"
        // TlsTrust's callback, with a CA given: the node's certificate does not chain to it.
        : tls.Message.Contains("RemoteCertificateValidationCallback", StringComparison.Ordinal) ? "not signed by the CA given"
        : tls.Message;

    private static T? Find<T>(Exception failure)
        where T : Exception
    {
        for (Exception? e = failure; e is not null; e = e is RpcException r ? r.Status.DebugException ?? r.InnerException : e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }
        return null;
    }

    private static Exception Innermost(Exception failure)
    {
        var e = failure;
        while ((e is RpcException r ? r.Status.DebugException : e.InnerException) is { } inner)
        {
            e = inner;
        }
        return e;
    }
}
