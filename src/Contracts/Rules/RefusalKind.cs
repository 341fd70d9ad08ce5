namespace Ledger.Contracts.Rules;

/// <summary>What kind of wrong a refusal is; the gRPC layer maps each to its status code.</summary>
public enum RefusalKind
{
    /// <summary>The request itself is malformed or breaks a content rule.</summary>
    InvalidArgument,
    /// <summary>The signer may not do this.</summary>
    PermissionDenied,
    /// <summary>Something the request names does not exist.</summary>
    NotFound,
    /// <summary>Something the request would create exists already.</summary>
    AlreadyExists,
    /// <summary>The request is well-formed but the ledger's state does not allow it now.</summary>
    FailedPrecondition,
    /// <summary>A size or capacity limit.</summary>
    ResourceExhausted,
}
