using Ledger.Contracts.Crypto;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Node.Hosting;
using Ledger.Node.Mempool;
using Ledger.Wire;

namespace Ledger.Node.Services;

/// <summary>
/// Where a transaction enters the node, from a client or from a peer's gossip: the stateless rules and
/// the signature (once: the mempool keeps the decoded transaction), a replay check, the signer's identity
/// against the committed state, then the mempool.
/// </summary>
public sealed class TransactionIntake
{
    private readonly NodeServices _node;
    private readonly ConsensusHost _host;

    public TransactionIntake(NodeServices node, ConsensusHost host)
    {
        _node = node;
        _host = host;
    }

    private static readonly Refusal MempoolFull = new(RuleCatalog.MempoolFull, "the mempool holds its limit of transactions; retry in a moment");

    /// <summary>The transaction's id and, if it was not admitted, the rule that refused it.</summary>
    public (Hash32 Id, Refusal? Refusal) Admit(TxEnvelope envelope, bool gossip)
    {
        // Only the envelope's two fields: what protobuf keeps besides them no hash covers, and a block must not carry it.
        envelope = new TxEnvelope { Body = envelope.Body, Signature = envelope.Signature };
        var id = TransactionSigner.IdOf(_node.Config.ChainId, envelope);
        if (_node.Pool.Find(id) is not null)
        {
            return (id, null);
        }
        if (_node.Store.FindTransaction(id) is { } committed)
        {
            return (id, new Refusal(RuleCatalog.TxDuplicate, $"transaction {id} was already committed at height {committed.Height}, position {committed.Position}"));
        }
        // A rule's answer comes before the node's capacity: an envelope no node could ever take is too large, not "retry later".
        var bytes = envelope.CalculateSize();
        if (TransactionDecoder.SizeRefusal(bytes, _node.Config.Limits) is { } tooLarge)
        {
            return (id, tooLarge);
        }
        if (!_node.Pool.HasRoomFor(bytes))
        {
            return (id, MempoolFull);
        }
        var decoded = TransactionDecoder.Decode(envelope, _node.Config.ChainId, _node.Config.Limits);
        if (decoded.Refusal is { } refusal)
        {
            return (id, refusal);
        }
        if (Identity(decoded.Transaction!) is { } identity)
        {
            return (id, identity);
        }
        switch (_node.Pool.Add(decoded.Transaction!))
        {
            case MempoolAdmission.Full:
                return (id, MempoolFull);
            case MempoolAdmission.Added:
                if (gossip)
                {
                    _node.Network.Gossip(envelope);
                }
                _host.TransactionArrived();
                break;
        }
        return (id, null);
    }

    /// <summary>
    /// The identity rules (signer known, key valid now, not suspended, role) against the committed state,
    /// so that a stranger's or a revoked key's transaction is refused at the door instead of taking a
    /// place in a block. Execution checks them again at the block's time: this is admission, not the rule.
    /// </summary>
    private Refusal? Identity(DecodedTransaction tx)
    {
        var state = new LedgerState(new StateOverlay(_node.Store.State), _node.Config);
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return SignerCheck.Check(state.Organisation(tx.Body.SignerOrg), tx.Body, nowMs, TransactionExecutor.RequiredRoles(tx.Body.KindCase));
    }
}
