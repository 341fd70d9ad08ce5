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
/// Reads of certificates and consignments, with proofs when asked. A proven answer proves every value
/// under one committed root, so the values and their proofs describe the same block.
/// </summary>
public sealed class StateQueries
{
    /// <summary>How often a proven answer is started again because a block was committed while it was read.</summary>
    public const int ProvenAttemptsMax = 8;

    private readonly NodeServices _node;

    public StateQueries(NodeServices node) => _node = node;

    public CertificateRecord? Certificate(string id) => Snapshot.Latest(_node).Read(StateKeys.Certificate(id), CertificateRecord.Parser);

    public ConsignmentAnswer Consignment(string id, bool withProof) => Answer(withProof, snapshot => Consignment(id, snapshot));

    public VerifyCertificateResponse Verify(string id, ByteString documentHash, bool withProof, bool withRecord) =>
        Answer(withProof, snapshot => Verify(id, documentHash, withRecord && withProof, snapshot));

    public FindCertificatesResponse Find(string number, bool withProof) => Answer(withProof, snapshot => Find(number, snapshot));

    public ProposalAnswer Proposal(string id, bool withProof) => Answer(withProof, snapshot =>
        new ProposalAnswer { Proposal = snapshot.Read(StateKeys.Proposal(id), ProposalRecord.Parser), Proof = snapshot.Bundle() });

    /// <summary>
    /// Every proposal of the index, in the order proposed; with <paramref name="pendingOnly"/> those not applied. Each one
    /// the index names is read (so proven), applied or not, so that the client checks the filter and that none is left out.
    /// </summary>
    public ProposalList Proposals(bool pendingOnly, bool withProof) => Answer(withProof, snapshot =>
    {
        var list = new ProposalList();
        foreach (var id in snapshot.Read(StateKeys.ProposalIndex, ProposalIndex.Parser)?.Ids ?? [])
        {
            if (snapshot.Read(StateKeys.Proposal(id), ProposalRecord.Parser) is { } proposal && !(pendingOnly && proposal.Applied))
            {
                list.Proposals.Add(proposal);
            }
        }
        list.Proof = snapshot.Bundle();
        return list;
    });

    /// <summary>Runs a read; a proven one again if the state moved past its root while it read (values are read latest).</summary>
    private T Answer<T>(bool withProof, Func<Snapshot, T> read)
    {
        if (!withProof)
        {
            return read(Snapshot.Latest(_node));
        }
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = Snapshot.Proven(_node);
            var answer = read(snapshot);
            if (!snapshot.Moved)
            {
                return answer;
            }
            if (attempt == ProvenAttemptsMax)
            {
                throw new InvalidOperationException($"blocks were committed during each of {ProvenAttemptsMax} attempts to read with proof");
            }
        }
    }

    private static ConsignmentAnswer Consignment(string id, Snapshot snapshot)
    {
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
    /// <paramref name="withRecord"/> (a member asked for a proof) the proof also covers the full certificate record.
    /// </summary>
    private static VerifyCertificateResponse Verify(string id, ByteString documentHash, bool withRecord, Snapshot snapshot)
    {
        var response = new VerifyCertificateResponse { CertificateId = id };
        var status = snapshot.Read(StateKeys.CertificateStatus(id), CertificateStatusRecord.Parser);
        if (status is not null)
        {
            response.Found = true;
            response.Status = status.Status;
            response.StatusReason = status.StatusReason;
            response.ReplacedBy = status.ReplacedBy;
            response.Replaces = status.Replaces;
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
            if (withRecord)
            {
                snapshot.Read(StateKeys.Certificate(id), CertificateRecord.Parser);
            }
        }
        response.Proof = snapshot.Bundle();
        return response;
    }

    /// <summary>
    /// Every certificate with this number, whoever issued it: the status entry of the number under each organisation
    /// of the index, read (and so proven, present or absent) one by one, so a proof leaves none out.
    /// </summary>
    private static FindCertificatesResponse Find(string number, Snapshot snapshot)
    {
        var found = new List<string>();
        var index = snapshot.Read(StateKeys.OrganisationIndex, OrganisationIndex.Parser);
        foreach (var organisation in index?.Ids ?? [])
        {
            var id = CertificateIds.Of(organisation, number);
            if (snapshot.Read(StateKeys.CertificateStatus(id), CertificateStatusRecord.Parser) is not null)
            {
                found.Add(id);
            }
        }
        // By id, not by organisation: "cn-x/N" sorts before "cn/N" though "cn" sorts before "cn-x".
        found.Sort(StringComparer.Ordinal);
        return new FindCertificatesResponse { CertificateIds = { found }, Proof = snapshot.Bundle() };
    }

    public static RouteVerdictInfo Verdict(ConsignmentRecord record)
    {
        var verdict = RouteVerdict.Of(record);
        var info = new RouteVerdictInfo { ConsignmentId = record.Declaration.ConsignmentId, Kind = verdict.Kind };
        info.Breaches.AddRange(verdict.Breaches);
        return info;
    }

    /// <summary>
    /// Reads the latest state, and when asked collects proofs of what was read under the head's root at the
    /// start. The state may move to a newer block meanwhile; a value whose proof then fails marks the read as
    /// <see cref="Moved"/>, to be done again.
    /// </summary>
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
                _tree = new SparseMerkleTree(node.Store.TreePages, _head.StateRoot);
                _entries = [];
            }
        }

        public static Snapshot Latest(NodeServices node) => new(node, proven: false);

        public static Snapshot Proven(NodeServices node) => new(node, proven: true);

        /// <summary>A value read is not the one under the snapshot's root: a block was committed meanwhile.</summary>
        public bool Moved { get; private set; }

        public T? Read<T>(string key, MessageParser<T> parser)
            where T : class, IMessage<T>
        {
            // Values live once, in the state collection; the tree's pages hold only their hashes.
            var bytes = _node.Store.State.Get(key);
            if (_tree is not null)
            {
                if (!StateKeys.IsInStateRoot(key))
                {
                    throw new InvalidOperationException($"state key {key} is not under the state root: it has no proof");
                }
                var treeKey = LedgerStateMachine.TreeKey(key);
                var proof = TryProve(treeKey);
                Moved |= proof is null || !Contracts.StateTree.StateProof.Verify(_head.StateRoot, treeKey, bytes, proof);
                _entries!.Add(new ProvenEntry
                {
                    Key = key,
                    Value = bytes is null ? ByteString.Empty : ByteString.CopyFrom(bytes),
                    Absent = bytes is null,
                    Proof = proof?.ToWire(),
                });
            }
            return bytes is null ? null : parser.ParseFrom(bytes);
        }

        /// <summary>The proof under the snapshot's root, or null if a block committed since dropped pages it needs.</summary>
        private Contracts.StateTree.StateProof? TryProve(byte[] treeKey)
        {
            try
            {
                return _tree!.Prove(treeKey);
            }
            catch (InvalidDataException) when (_node.Store.Head.Height != _head.Height)
            {
                // The upper pages of a root are held in memory only until a block replaces them (BlockStore.TreeWriteInterval).
                return null;
            }
        }

        public StateProofBundle? Bundle()
        {
            if (_entries is null)
            {
                return null;
            }
            var bundle = new StateProofBundle
            {
                Header = _head.Height == 0 ? null : _node.Store.GetHeader(_head.Height),
                Certificate = _head.Height == 0 ? null : _node.Store.GetCommit(_head.Height),
            };
            bundle.Entries.AddRange(_entries);
            bundle.ValidatorSets.AddRange(_node.Rosters.Proofs(_node.Store, 0, _head.Height));
            return bundle;
        }
    }
}
