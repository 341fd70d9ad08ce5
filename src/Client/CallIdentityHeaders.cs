namespace Ledger.Client;

/// <summary>
/// The gRPC metadata that proves who makes a call (docs/PROTOCOL.md, "Signed calls"): the caller (an
/// organisation id, or a validator's index), its public key as text ("sm2:04ab…", which names the suite),
/// the signing time in Unix milliseconds, and the signature over <c>SignedBytes.ForRead</c> or
/// <c>SignedBytes.ForPeerCall</c>.
/// </summary>
public static class CallIdentityHeaders
{
    public const string Caller = "ledger-caller";
    public const string Key = "ledger-caller-key";
    public const string TimeMs = "ledger-caller-time-ms";

    /// <summary>Binary metadata (the "-bin" suffix): gRPC carries it base64-encoded and hands back the bytes.</summary>
    public const string Signature = "ledger-caller-signature-bin";
}
