using Grpc.Core;

namespace Ledger.Node.Access;

/// <summary>
/// Who may call what (docs/SECURITY.md): the codes a node answers with when a call lacks the identity it
/// needs, and their gRPC status. Unauthenticated when the proof of identity is broken (the caller can fix
/// it: a correct signature, a clock in time); PermissionDenied when there is none, or when it proves a key
/// that may not do this (no retry helps).
/// </summary>
public static class AccessCodes
{
    public const string IdentityRequired = "IDENTITY_REQUIRED";
    public const string IdentityMalformed = "IDENTITY_MALFORMED";
    public const string IdentitySignatureInvalid = "IDENTITY_SIGNATURE_INVALID";
    public const string IdentityTimeOutsideWindow = "IDENTITY_TIME_OUTSIDE_WINDOW";
    public const string MemberKeyUnknown = "MEMBER_KEY_UNKNOWN";
    public const string MemberKeyRevoked = "MEMBER_KEY_REVOKED";
    public const string MemberSuspended = "MEMBER_SUSPENDED";
    public const string PeerNotValidator = "PEER_NOT_VALIDATOR";

    public static StatusCode StatusOf(string code) => code switch
    {
        IdentityMalformed or IdentitySignatureInvalid or IdentityTimeOutsideWindow => StatusCode.Unauthenticated,
        IdentityRequired or MemberKeyUnknown or MemberKeyRevoked or MemberSuspended or PeerNotValidator => StatusCode.PermissionDenied,
        _ => throw new ArgumentException($"'{code}' is not an access code", nameof(code)),
    };
}
