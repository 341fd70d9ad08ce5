using Google.Protobuf;
using Ledger.Contracts.Certificates;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Routes;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Services;

/// <summary>
/// Reads of certificates and consignments, with proofs when asked. A proven answer reads every value
/// through the state tree at one committed root, so the values and their proofs describe the same block.
/// </summary>
public sealed class StateQueries
{
    private readonly NodeServices _node;

    public StateQueries(NodeServices node) => _node = node;

    public CertificateRecord? Certificate(string id) => Snapshot.Latest(_node).Read(StateKeys.Certificate(id), CertificateRecord.Parser);

    public ConsignmentAnswer Consignment(string id, bool withProof)
    {
        var snapshot = withProof ? Snapshot.Proven(_node) : Snapshot.Latest(_node);
        var record = snapshot.Read(StateKeys.Consignment(id), ConsignmentRecord.Parser);
        return new ConsignmentAnswer
        {
            Consignment = record,
            Verdict = record is null ? null : Verdict(record),
            Proof = snapshot.Bundle(),
        };
    }

    /// <summary>
    /// The public verification: read from the certificate's status entry and the linked consignments' verdict
    /// entries, which hold no commercial content, so a proof of them discloses none. With
    /// <paramref name="withRecord"/> (a member asked) the proof also covers the full certificate record.
    /// </summary>
    public VerifyCertificateResponse Verify(string id, ByteString documentHash, bool withProof, bool withRecord)
    {
        var snapshot = withProof ? Snapshot.Proven(_node) : Snapshot.Latest(_node);
        var response = new VerifyCertificateResponse { CertificateId = id };
        var status = snapshot.Read(StateKeys.CertificateStatus(id), CertificateStatusRecord.Parser);
        if (status is not null)
        {
            response.Found = true;
            response.Status = status.Status;
            response.StatusReason = status.StatusReason;
            response.Issuer = status.Issuer;
            var issuer = snapshot.Read(StateKeys.Organisation(status.Issuer), OrganisationRecord.Parser);
            response.IssuerName = issuer?.Organisation.Name ?? "";
            response.IssuerCountry = issuer?.Organisation.Country ?? "";
            response.ContentHash = documentHash.IsEmpty ? ContentHashCheck.NotChecked
                : documentHash == status.ContentHash ? ContentHashCheck.Match : ContentHashCheck.Mismatch;
            foreach (var consignmentId in status.Consignments)
            {
                if (snapshot.Read(StateKeys.RouteVerdict(consignmentId), RouteVerdictRecord.Parser) is { } verdict)
                {
                    response.Consignments.Add(new RouteVerdictInfo { ConsignmentId = verdict.ConsignmentId, Kind = verdict.Kind, Breaches = { verdict.Breaches } });
                }
            }
            if (withRecord && withProof)
            {
                snapshot.Read(StateKeys.Certificate(id), CertificateRecord.Parser);
            }
        }
        response.Proof = snapshot.Bundle();
        return response;
    }

    public static RouteVerdictInfo Verdict(ConsignmentRecord record)
    {
        var verdict = RouteVerdict.Of(record);
        var info = new RouteVerdictInfo { ConsignmentId = record.Declaration.ConsignmentId, Kind = verdict.Kind };
        info.Breaches.AddRange(verdict.Breaches);
        return info;
    }

    /// <summary>Reads at one point of the chain, and collects proofs of what was read when asked.</summary>
    private sealed class Snapshot
    {
        private readonly NodeServices _node;
        private readonly Storage.ChainHead _head;
        private readonly SparseMerkleTree? _tree;
        private readonly List<ProvenEntry>? _entries;

        private Snapshot(NodeServices node, bool proven)
        {
            _node = node;
            _head = node.Store.Head;
            if (proven)
            {
                _tree = new SparseMerkleTree(node.Store.TreeNodes, _head.StateRoot);
                _entries = [];
            }
        }

        public static Snapshot Latest(NodeServices node) => new(node, proven: false);

        public static Snapshot Proven(NodeServices node) => new(node, proven: true);

        public T? Read<T>(string key, MessageParser<T> parser)
            where T : class, IMessage<T>
        {
            byte[]? bytes;
            if (_tree is null)
            {
                bytes = _node.Store.State.Get(key);
            }
            else
            {
                var treeKey = LedgerStateMachine.TreeKey(key);
                bytes = _tree.Get(treeKey);
                _entries!.Add(new ProvenEntry
                {
                    Key = key,
                    Value = bytes is null ? ByteString.Empty : ByteString.CopyFrom(bytes),
                    Absent = bytes is null,
                    Proof = _tree.Prove(treeKey).ToWire(),
                });
            }
            return bytes is null ? null : parser.ParseFrom(bytes);
        }

        public StateProofBundle? Bundle()
        {
            if (_entries is null)
            {
                return null;
            }
            var bundle = new StateProofBundle
            {
                Header = _head.Height == 0 ? null : _node.Store.GetBlock(_head.Height)!.Header,
                Certificate = _head.Height == 0 ? null : _node.Store.GetCommit(_head.Height),
            };
            bundle.Entries.AddRange(_entries);
            return bundle;
        }
    }
}
