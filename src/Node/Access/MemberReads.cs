using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.State;
using Ledger.Node.Hosting;
using Ledger.Wire;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Access;

/// <summary>
/// The gate in front of commercial content: a call passes when it is signed (<see cref="SignedBytes.ForRead"/>)
/// with an active key of an organisation that is a member, not suspended, in the committed state. The
/// parsed key and the verdict on an (organisation, key) pair are cached until the next commit, so a read
/// costs one signature check.
/// </summary>
public sealed class MemberReads
{
    /// <summary>Distinct callers remembered per height; past it the cache starts again rather than grow.</summary>
    public const int CachedKeysMax = 4_096;

    private readonly NodeServices _node;
    private readonly TimeProvider _time;
    private readonly ILogger<MemberReads> _log;
    private readonly ConcurrentDictionary<(string Organisation, string Key), CachedVerdict> _verdicts = new();
    private long _refused;

    public MemberReads(NodeServices node, TimeProvider time, ILogger<MemberReads> log)
    {
        _node = node;
        _time = time;
        _log = log;
    }

    /// <summary>Calls refused since the node started, for GetStatus.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>The member organisation the call is signed by.</summary>
    /// <exception cref="RpcException">PermissionDenied or Unauthenticated naming the rule; the code in the trailer.</exception>
    public string Require(ServerCallContext context, IMessage request) => RequireCaller(context, request).Organisation;

    /// <summary>As <see cref="Require"/>, keeping who called with which key, for a stream to check again as blocks commit.</summary>
    public MemberCaller RequireCaller(ServerCallContext context, IMessage request)
    {
        if (!CallProof.TryRead(context.RequestHeaders, _time.GetUtcNow(), out var proof, out var unreadable))
        {
            Refuse(context, unreadable!);
        }
        if (Check(proof!, context.Method, request.ToByteArray(), out var organisation) is { } refusal)
        {
            Refuse(context, refusal);
        }
        return new MemberCaller(organisation!, proof!.KeyText);
    }

    /// <summary>
    /// Whether a caller let in earlier is still a member with that key at the committed head: a stream opened
    /// before a revocation or a suspension ends with it. The call's signature and time were checked when it
    /// was opened and are not checked again.
    /// </summary>
    /// <exception cref="RpcException">PermissionDenied naming the rule (MEMBER_KEY_REVOKED, MEMBER_SUSPENDED, ...).</exception>
    public void RequireStill(ServerCallContext context, MemberCaller caller)
    {
        if (MemberVerdict(caller.Organisation, caller.KeyText).Refusal is { } lost)
        {
            Refuse(context, lost);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Refuse(ServerCallContext context, AccessRefusal refusal)
    {
        Interlocked.Increment(ref _refused);
        _log.LogInformation("Refused {Method} from {Peer}: {Refusal}", context.Method, context.Peer, refusal);
        throw refusal.ToException();
    }

    /// <summary>
    /// For public calls that answer members more: null when the call carries no identity headers at all, else
    /// as <see cref="Require"/> (an identity that is there must be valid).
    /// </summary>
    public string? Optional(ServerCallContext context, IMessage request) =>
        context.RequestHeaders.Any(h => h.Key.StartsWith(Client.CallIdentityHeaders.Caller, StringComparison.Ordinal)) ? Require(context, request) : null;

    /// <summary>Null when the call, whose proof was read from its headers, is a member's signed read; then <paramref name="organisation"/> is the member.</summary>
    public AccessRefusal? Check(CallProof proof, string method, byte[] request, out string? organisation)
    {
        organisation = null;
        var verdict = MemberVerdict(proof.Caller, proof.KeyText);
        if (verdict.Refusal is { } denied)
        {
            return denied;
        }
        var signed = SignedBytes.ForRead(_node.Config.ChainId, method, proof.Caller, proof.TimeMs, request);
        if (!SignatureSuites.Verify(verdict.Key, signed, proof.Signature))
        {
            return new AccessRefusal(AccessCodes.IdentitySignatureInvalid,
                $"the signature in {Client.CallIdentityHeaders.Signature} does not verify with {proof.KeyText} over this call " +
                $"({method}, organisation '{proof.Caller}', time {proof.TimeMs}, chain '{_node.Config.ChainId}', the request's bytes)");
        }
        organisation = proof.Caller;
        return null;
    }

    private CachedVerdict MemberVerdict(string organisation, string keyText)
    {
        var height = _node.Store.Head.Height;
        if (_verdicts.TryGetValue((organisation, keyText), out var cached) && cached.Height == height)
        {
            return cached;
        }
        var verdict = new CachedVerdict(height, null, null);
        verdict = CallProof.ParseKey(keyText, out var key) is { } malformed
            ? verdict with { Refusal = malformed }
            : verdict with { Key = key, Refusal = Lookup(organisation, keyText, key!) };
        if (_verdicts.Count >= CachedKeysMax)
        {
            _verdicts.Clear();
        }
        _verdicts[(organisation, keyText)] = verdict;
        return verdict;
    }

    // Read from the committed state: a key added, revoked or an organisation suspended counts from the block that did it.
    private AccessRefusal? Lookup(string organisation, string keyText, PublicKey key)
    {
        var bytes = _node.Store.State.Get(StateKeys.Organisation(organisation));
        return MemberKeyVerdict.Of(organisation, bytes is null ? null : OrganisationRecord.Parser.ParseFrom(bytes), key, keyText);
    }

    /// <summary>The parsed key and the verdict on it at one committed height; the key is null when its text is malformed.</summary>
    private sealed record CachedVerdict(ulong Height, PublicKey? Key, AccessRefusal? Refusal);
}
