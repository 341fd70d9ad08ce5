using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Crypto;
using Ledger.Node.Hosting;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Access;

/// <summary>
/// The gate in front of the node-to-node service: a call passes when it is signed
/// (<see cref="SignedBytes.ForPeerCall"/>) with a validator key of the genesis validator set under that
/// validator's index; where <c>membersMay</c>, a member's signed read (<see cref="MemberReads"/>) passes too,
/// so that read replicas can sync blocks and forward transactions.
/// </summary>
public sealed class PeerCalls
{
    private readonly NodeServices _node;
    private readonly MemberReads _members;
    private readonly TimeProvider _time;
    private readonly ILogger<PeerCalls> _log;
    private long _refused;

    public PeerCalls(NodeServices node, MemberReads members, TimeProvider time, ILogger<PeerCalls> log)
    {
        _node = node;
        _members = members;
        _time = time;
        _log = log;
    }

    /// <summary>Node-to-node calls refused since the node started, for GetStatus.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Who the caller is: a validator (its index) or, where members may call, a member organisation.</summary>
    /// <exception cref="RpcException">PermissionDenied or Unauthenticated naming the rule; the code in the trailer.</exception>
    public PeerCaller Require(ServerCallContext context, IMessage? request, bool membersMay)
    {
        var refusal = Check(context.RequestHeaders, context.Method, request?.ToByteArray() ?? [], membersMay, out var caller);
        if (refusal is null)
        {
            return caller!;
        }
        Interlocked.Increment(ref _refused);
        _log.LogWarning("Refused node-to-node call {Method} from {Peer}: {Refusal}", context.Method, context.Peer, refusal);
        throw refusal.ToException();
    }

    /// <summary>
    /// A consensus message a member sent on its stream: not for members to send, so dropped and counted;
    /// logged for the first of a stream only, so that a chatty stream cannot flood the log.
    /// </summary>
    public void CountIgnored(PeerCaller caller, Wire.PeerEnvelope.MessageOneofCase message, bool firstOnStream)
    {
        Interlocked.Increment(ref _refused);
        if (firstOnStream)
        {
            _log.LogWarning("Dropped a {Message} from member {Organisation}: only validators send consensus messages (further ones on this stream are counted, not logged)",
                message, caller.Organisation);
        }
    }

    public AccessRefusal? Check(Metadata headers, string method, byte[] request, bool membersMay, out PeerCaller? caller)
    {
        caller = null;
        if (!CallProof.TryRead(headers, _time.GetUtcNow(), out var proof, out var refusal))
        {
            return refusal.Code == AccessCodes.IdentityRequired
                ? new AccessRefusal(AccessCodes.PeerNotValidator, $"{method} is for validators{(membersMay ? " and members" : "")}; {refusal.Message}")
                : refusal;
        }
        // Parsed on every call: node-to-node calls are few (a stream per peer, a sync now and then).
        if (CallProof.ParseKey(proof.KeyText, out var key) is { } malformed)
        {
            return malformed;
        }
        var index = _node.Rosters.IndexOf(key!);
        // A validator's key may also be its organisation's member key: a validator still waiting to be added reads as
        // that member, and is known here as a validator already once this node has committed the change.
        var asMember = index >= 0 && membersMay && proof.Caller != index.ToString(CultureInfo.InvariantCulture);
        if (index < 0 || asMember)
        {
            if (!membersMay)
            {
                return new AccessRefusal(AccessCodes.PeerNotValidator, $"{proof.KeyText} is not a validator key of this network; {method} is for validators only");
            }
            var denied = _members.Check(proof, method, request, out var organisation);
            caller = denied is null ? new PeerCaller(null, organisation) : null;
            return denied;
        }
        if (proof.Caller != index.ToString(CultureInfo.InvariantCulture))
        {
            return new AccessRefusal(AccessCodes.PeerNotValidator, $"{proof.KeyText} is the key of validator {index}, not of validator '{proof.Caller}'");
        }
        if (!SignatureSuites.Verify(key, SignedBytes.ForPeerCall(_node.Config.ChainId, method, index, proof.TimeMs, request), proof.Signature))
        {
            return new AccessRefusal(AccessCodes.IdentitySignatureInvalid,
                $"the signature does not verify with validator {index}'s key over this call ({method}, time {proof.TimeMs}, chain '{_node.Config.ChainId}')");
        }
        caller = new PeerCaller(index, null);
        return null;
    }
}
