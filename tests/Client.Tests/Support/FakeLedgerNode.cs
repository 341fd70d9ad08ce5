using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Routes;
using Ledger.Contracts.State;
using Ledger.Contracts.StateTree;
using Ledger.Wire;

namespace Ledger.Client.Tests.Support;

/// <summary>
/// A node's public service over a <see cref="TestChain"/>, answering as src/Node/Services/StateQueries does
/// (values read through the tree at one committed root, bundle = that header + its own certificate + entries),
/// with switches that make it fail or lie.
/// </summary>
public sealed class FakeLedgerNode : Wire.Ledger.LedgerBase
{
    private int _calls;

    public FakeLedgerNode(TestChain chain, string name)
    {
        Chain = chain;
        Name = name;
    }

    public TestChain Chain { get; }

    public string Name { get; }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Every call fails with this status (a node that is down or overloaded).</summary>
    public StatusCode? FailWith { get; set; }

    /// <summary>Every call waits this long first (a node too slow for the client's deadline).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Commits the next submitted transaction, then loses the answer (Unavailable), as a connection dropping would.</summary>
    public bool LoseNextSubmitAnswer { get; set; }

    /// <summary>Answers reads from the state after this height instead of the head (stale or lagging node).</summary>
    public ulong? AnswerAtHeight { get; set; }

    /// <summary>Changes a correct certificate answer before it is sent.</summary>
    public Action<VerifyCertificateResponse>? LieAboutCertificate { get; set; }

    /// <summary>Changes a correct search by number before it is sent.</summary>
    public Action<FindCertificatesResponse>? LieAboutSearch { get; set; }

    /// <summary>Changes a correct consignment answer before it is sent.</summary>
    public Action<ConsignmentAnswer>? LieAboutConsignment { get; set; }

    /// <summary>Changes a correct list of proposals before it is sent.</summary>
    public Action<ProposalList>? LieAboutProposals { get; set; }

    /// <summary>Changes a correct proposal answer before it is sent.</summary>
    public Action<ProposalAnswer>? LieAboutProposal { get; set; }

    /// <summary>Changes a block before it is sent.</summary>
    public Action<StoredBlock>? LieAboutBlock { get; set; }

    /// <summary>Refuses every submission with this rule code, valid or not (a node keeping a member's transactions out).</summary>
    public string? RefuseSubmissionsWith { get; set; }

    /// <summary>Changes the receipt of a committed submission before answering (its proof is left as it was).</summary>
    public Action<CommittedReceipt>? LieAboutReceipt { get; set; }

    public override async Task<SubmitResponse> Submit(SubmitRequest request, ServerCallContext context)
    {
        await Enter(context);
        if (RefuseSubmissionsWith is { } falseCode)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{falseCode}: refused"), new Metadata { { LedgerConnection.RuleCodeTrailer, falseCode } });
        }
        var (receipt, refusal) = Chain.Submit(request.Transaction);
        if (refusal is not null)
        {
            var trailers = new Metadata { { LedgerConnection.RuleCodeTrailer, refusal.Code } };
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{refusal.Code}: {refusal.Message}"), trailers);
        }
        if (LoseNextSubmitAnswer)
        {
            LoseNextSubmitAnswer = false;
            throw new RpcException(new Status(StatusCode.Unavailable, "connection reset after commit"));
        }
        var id = Contracts.Crypto.TransactionSigner.IdOf(Chain.ChainId, request.Transaction);
        if (receipt is not null && LieAboutReceipt is { } lie)
        {
            receipt = receipt.Clone();
            lie(receipt);
        }
        return new SubmitResponse { TxId = ByteString.CopyFrom(id.Span), Committed = request.WaitForCommit, Receipt = request.WaitForCommit ? receipt : null };
    }

    public override async Task<VerifyCertificateResponse> VerifyCertificate(VerifyCertificateRequest request, ServerCallContext context)
    {
        await Enter(context);
        var snapshot = new Snapshot(Chain, AnswerAtHeight ?? Chain.Height);
        var response = new VerifyCertificateResponse { CertificateId = request.CertificateId };
        // As a node answers a member: the public status and verdict entries, then the full record.
        var status = snapshot.Read(StateKeys.CertificateStatus(request.CertificateId), CertificateStatusRecord.Parser);
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
            response.ContentHash = request.DocumentHash.IsEmpty ? ContentHashCheck.NotChecked
                : request.DocumentHash == status.ContentHash ? ContentHashCheck.Match : ContentHashCheck.Mismatch;
            foreach (var consignmentId in status.Consignments)
            {
                if (snapshot.Read(StateKeys.RouteVerdict(consignmentId), RouteVerdictRecord.Parser) is { } verdict)
                {
                    response.Consignments.Add(new RouteVerdictInfo { ConsignmentId = verdict.ConsignmentId, Kind = verdict.Kind, Breaches = { verdict.Breaches } });
                }
            }
            snapshot.Read(StateKeys.Certificate(request.CertificateId), CertificateRecord.Parser);
        }
        if (request.WithProof)
        {
            response.Proof = snapshot.Bundle();
        }
        LieAboutCertificate?.Invoke(response);
        return response;
    }

    public override async Task<FindCertificatesResponse> FindCertificates(FindCertificatesRequest request, ServerCallContext context)
    {
        await Enter(context);
        var snapshot = new Snapshot(Chain, AnswerAtHeight ?? Chain.Height);
        var found = new List<string>();
        foreach (var organisation in snapshot.Read(StateKeys.OrganisationIndex, OrganisationIndex.Parser)?.Ids ?? [])
        {
            var id = Contracts.Certificates.CertificateIds.Of(organisation, request.Number);
            if (snapshot.Read(StateKeys.CertificateStatus(id), CertificateStatusRecord.Parser) is not null)
            {
                found.Add(id);
            }
        }
        found.Sort(StringComparer.Ordinal);
        var answer = new FindCertificatesResponse { CertificateIds = { found }, Proof = request.WithProof ? snapshot.Bundle() : null };
        LieAboutSearch?.Invoke(answer);
        return answer;
    }

    public override async Task<ConsignmentAnswer> GetConsignment(GetConsignmentRequest request, ServerCallContext context)
    {
        await Enter(context);
        var snapshot = new Snapshot(Chain, AnswerAtHeight ?? Chain.Height);
        var record = snapshot.Read(StateKeys.Consignment(request.ConsignmentId), ConsignmentRecord.Parser);
        if (record is null && !request.WithProof)
        {
            var trailers = new Metadata { { LedgerConnection.RuleCodeTrailer, "CONSIGNMENT_UNKNOWN" } };
            throw new RpcException(new Status(StatusCode.NotFound, $"no consignment '{request.ConsignmentId}'"), trailers);
        }
        var answer = new ConsignmentAnswer { Consignment = record, Verdict = record is null ? null : Verdict(record), Proof = request.WithProof ? snapshot.Bundle() : null };
        LieAboutConsignment?.Invoke(answer);
        return answer;
    }

    public override async Task<ProposalAnswer> GetProposal(GetProposalRequest request, ServerCallContext context)
    {
        await Enter(context);
        var snapshot = new Snapshot(Chain, AnswerAtHeight ?? Chain.Height);
        var record = snapshot.Read(StateKeys.Proposal(request.ProposalId), ProposalRecord.Parser);
        if (record is null && !request.WithProof)
        {
            var trailers = new Metadata { { LedgerConnection.RuleCodeTrailer, "PROPOSAL_UNKNOWN" } };
            throw new RpcException(new Status(StatusCode.NotFound, $"proposal_id '{request.ProposalId}' names no membership proposal"), trailers);
        }
        var answer = new ProposalAnswer { Proposal = record, Proof = request.WithProof ? snapshot.Bundle() : null };
        LieAboutProposal?.Invoke(answer);
        return answer;
    }

    public override async Task<ProposalList> ListProposals(ListProposalsRequest request, ServerCallContext context)
    {
        await Enter(context);
        var snapshot = new Snapshot(Chain, AnswerAtHeight ?? Chain.Height);
        var answer = new ProposalList();
        foreach (var id in snapshot.Read(StateKeys.ProposalIndex, ProposalIndex.Parser)?.Ids ?? [])
        {
            if (snapshot.Read(StateKeys.Proposal(id), ProposalRecord.Parser) is { } proposal && !(request.PendingOnly && proposal.Applied))
            {
                answer.Proposals.Add(proposal);
            }
        }
        answer.Proof = request.WithProof ? snapshot.Bundle() : null;
        LieAboutProposals?.Invoke(answer);
        return answer;
    }

    public override async Task<StoredBlock> GetBlock(GetBlockRequest request, ServerCallContext context)
    {
        await Enter(context);
        if (request.Height == 0 || request.Height > Chain.Height)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no block at height {request.Height}; the head is {Chain.Height}"));
        }
        var block = Chain.Block(request.Height).ToStored();
        LieAboutBlock?.Invoke(block);
        return block;
    }

    public override async Task StreamBlocks(StreamBlocksRequest request, IServerStreamWriter<StoredBlock> responseStream, ServerCallContext context)
    {
        await Enter(context);
        // Only what is committed now, then the stream ends: enough for the client's checks.
        for (var height = Math.Max(request.FromHeight, 1); height <= Chain.Height; height++)
        {
            var block = Chain.Block(height).ToStored();
            LieAboutBlock?.Invoke(block);
            await responseStream.WriteAsync(block, context.CancellationToken);
        }
    }

    public override async Task<NodeStatus> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        await Enter(context);
        return new NodeStatus { ChainId = Chain.ChainId, Height = Chain.Height, ValidatorIndex = -1 };
    }

    private static RouteVerdictInfo Verdict(ConsignmentRecord record)
    {
        var verdict = RouteVerdict.Of(record);
        var info = new RouteVerdictInfo { ConsignmentId = record.Declaration.ConsignmentId, Kind = verdict.Kind };
        info.Breaches.AddRange(verdict.Breaches);
        return info;
    }

    private async Task Enter(ServerCallContext context)
    {
        Interlocked.Increment(ref _calls);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.CancellationToken);
        }
        if (FailWith is { } status)
        {
            throw new RpcException(new Status(status, $"{Name} is failing on purpose"));
        }
    }

    /// <summary>Reads at one committed height and collects a proof of every key read.</summary>
    private sealed class Snapshot
    {
        private readonly TestChain _chain;
        private readonly ulong _height;
        private readonly SparseMerkleTree _tree;
        private readonly List<ProvenEntry> _entries = [];

        public Snapshot(TestChain chain, ulong height)
        {
            _chain = chain;
            _height = height;
            _tree = chain.TreeAt(height);
        }

        public T? Read<T>(string key, MessageParser<T> parser)
            where T : class, IMessage<T>
        {
            var treeKey = LedgerStateMachine.TreeKey(key);
            var bytes = _tree.Get(treeKey);
            _entries.Add(new ProvenEntry
            {
                Key = key,
                Value = bytes is null ? ByteString.Empty : ByteString.CopyFrom(bytes),
                Absent = bytes is null,
                Proof = _tree.Prove(treeKey).ToWire(),
            });
            return bytes is null ? null : parser.ParseFrom(bytes);
        }

        public StateProofBundle Bundle()
        {
            var block = _chain.Block(_height);
            var bundle = new StateProofBundle { Header = block.Header.Clone(), Certificate = block.Certificate.Clone() };
            bundle.Entries.AddRange(_entries);
            return bundle;
        }
    }
}
