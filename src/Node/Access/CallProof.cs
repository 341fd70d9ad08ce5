using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Grpc.Core;
using Ledger.Client;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Access;

/// <summary>
/// The identity headers of one call (<see cref="CallIdentityHeaders"/>), checked for presence, form and
/// time. The key stays text here: parsing it (a point check on the curve) is left to whoever caches it;
/// whose key it is, and whether the signature verifies, are for the caller of <see cref="TryRead"/>.
/// </summary>
public sealed record CallProof(string Caller, string KeyText, long TimeMs, byte[] Signature)
{
    /// <summary>
    /// How far a call's signing time may be from this node's clock, either way. This is an edge check of
    /// one node, not a rule of the ledger, so the node's own clock is allowed here; it bounds how long a
    /// captured signed call could be replayed.
    /// </summary>
    public static readonly TimeSpan ClockSkewMax = TimeSpan.FromMinutes(5);

    public const int CallerCharsMax = 64;

    /// <summary>Longer than any suite's key as text ("gost2012:" and 64 bytes in hex), short enough to cache.</summary>
    public const int KeyTextCharsMax = 256;

    /// <summary>The key of the proof, or the refusal saying why the text is not one.</summary>
    public static AccessRefusal? ParseKey(string keyText, out PublicKey? key) =>
        PublicKeyText.TryParse(keyText, out key, out var error) ? null : new AccessRefusal(AccessCodes.IdentityMalformed, $"{CallIdentityHeaders.Key}: {error}");

    /// <summary>True with the proof when the headers are there, well-formed and in time; else false with the refusal.</summary>
    public static bool TryRead(Metadata headers, DateTimeOffset now, [NotNullWhen(true)] out CallProof? proof, [NotNullWhen(false)] out AccessRefusal? refusal)
    {
        proof = null;
        var caller = headers.GetValue(CallIdentityHeaders.Caller);
        var keyText = headers.GetValue(CallIdentityHeaders.Key);
        var timeText = headers.GetValue(CallIdentityHeaders.TimeMs);
        var signature = headers.GetValueBytes(CallIdentityHeaders.Signature);
        if (caller is null && keyText is null && timeText is null && signature is null)
        {
            refusal = new AccessRefusal(AccessCodes.IdentityRequired,
                $"this call needs the caller's identity: the headers {CallIdentityHeaders.Caller}, {CallIdentityHeaders.Key}, " +
                $"{CallIdentityHeaders.TimeMs} and {CallIdentityHeaders.Signature} signed with a member's key (docs/PROTOCOL.md, \"Signed calls\")");
            return false;
        }
        var missing = new[] { (CallIdentityHeaders.Caller, caller is null), (CallIdentityHeaders.Key, keyText is null),
            (CallIdentityHeaders.TimeMs, timeText is null), (CallIdentityHeaders.Signature, signature is null) }
            .Where(h => h.Item2).Select(h => h.Item1).ToArray();
        if (missing.Length > 0)
        {
            refusal = new AccessRefusal(AccessCodes.IdentityMalformed, $"the identity headers lack {string.Join(", ", missing)}");
            return false;
        }
        if (caller!.Length is 0 or > CallerCharsMax)
        {
            refusal = new AccessRefusal(AccessCodes.IdentityMalformed, $"{CallIdentityHeaders.Caller} must be 1 to {CallerCharsMax} characters");
            return false;
        }
        if (keyText!.Length > KeyTextCharsMax)
        {
            refusal = new AccessRefusal(AccessCodes.IdentityMalformed, $"{CallIdentityHeaders.Key} is longer than {KeyTextCharsMax} characters");
            return false;
        }
        if (!long.TryParse(timeText, NumberStyles.None, CultureInfo.InvariantCulture, out var timeMs))
        {
            refusal = new AccessRefusal(AccessCodes.IdentityMalformed, $"{CallIdentityHeaders.TimeMs} '{timeText}' is not Unix milliseconds");
            return false;
        }
        var skewMs = Math.Abs(now.ToUnixTimeMilliseconds() - timeMs);
        if (skewMs > ClockSkewMax.TotalMilliseconds)
        {
            refusal = new AccessRefusal(AccessCodes.IdentityTimeOutsideWindow,
                $"the call was signed at {timeMs} (Unix ms), {skewMs / 1000} s from this node's clock; at most {ClockSkewMax.TotalSeconds:F0} s are accepted: sign the call again, and check the caller's clock");
            return false;
        }
        proof = new CallProof(caller, keyText, timeMs, signature!);
        refusal = null;
        return true;
    }
}
