namespace Ledger.Client;

/// <summary>Why one node did not answer a call: what a person can do about it differs for each.</summary>
public enum NodeFailureKind
{
    /// <summary>Nothing answered at the address: connection refused, host unknown, network down.</summary>
    Unreachable,

    /// <summary>The node answered too slowly, or was stopping (Unavailable from a running node).</summary>
    Timeout,

    /// <summary>The node's TLS certificate is not trusted by this client: the CA that signed it was not given.</summary>
    CertificateNotTrusted,

    /// <summary>Something answered HTTP/2 there, but not the ledger's service (an HTTP 404 or other non-gRPC answer, Unimplemented).</summary>
    NotALedgerNode,

    /// <summary>Any other transport failure: a reset stream, an internal error of the node.</summary>
    Other,
}
