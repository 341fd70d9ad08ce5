using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Membership;
using Ledger.Contracts.Rules;
using Ledger.Node.Access;
using Ledger.Node.Hosting;
using Ledger.Wire;

namespace Ledger.Node.Services;

/// <summary>
/// The public service: a thin adapter from wire requests to the node's parts, and from refusals to
/// gRPC statuses carrying the rule's code. A bad request changes nothing and the node keeps serving.
/// Calls whose answers hold commercial content (certificates, consignments, transactions, blocks) need a
/// member's signed identity (<see cref="MemberReads"/>); Submit, VerifyCertificate and GetStatus are public.
/// </summary>
public sealed class LedgerService : Wire.Ledger.LedgerBase
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);
    private readonly NodeServices _node;
    private readonly ConsensusHost _host;
    private readonly TransactionIntake _intake;
    private readonly StateQueries _queries;
    private readonly Telemetry.NodeMetrics _metrics;
    private readonly CancellationToken _stopping;
    private readonly MemberReads _members;
    private readonly PeerCalls _peers;
    private readonly ReceiptTrees _receiptTrees;

    public LedgerService(NodeServices node, ConsensusHost host, TransactionIntake intake, StateQueries queries, Telemetry.NodeMetrics metrics,
        Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime, MemberReads members, PeerCalls peers, ReceiptTrees receiptTrees)
    {
        _receiptTrees = receiptTrees;
        _stopping = lifetime.ApplicationStopping;
        _node = node;
        _host = host;
        _intake = intake;
        _queries = queries;
        _metrics = metrics;
        _members = members;
        _peers = peers;
    }

    public override async Task<SubmitResponse> Submit(SubmitRequest request, ServerCallContext context)
    {
        if (_stopping.IsCancellationRequested)
        {
            // A transaction admitted now would be lost with the mempool: the client should go to another node.
            throw ShutdownStatusInterceptor.ShuttingDown();
        }
        if (_host.Faulted)
        {
            // A full disk or a failed store: nothing would be committed here (OPERATIONS.md, "A full disk").
            throw new RpcException(new Status(StatusCode.Unavailable, "this node cannot commit now (its storage stopped, see its health and log): use another node"));
        }
        if (request.Transaction is null)
        {
            throw Invalid("transaction is required");
        }
        var (id, refusal) = _intake.Admit(request.Transaction, gossip: true);
        var response = new SubmitResponse { TxId = ByteString.CopyFrom(id.Span) };
        if (refusal is not null && refusal.Code != RuleCatalog.TxDuplicate)
        {
            _metrics.Refused(refusal.Code, "admission");
            throw RefusalStatus.ToException(refusal);
        }
        if (refusal is null && !request.WaitForCommit)
        {
            return response;
        }
        // Registered before looking in the store, so that a commit in between is not missed.
        var committed = _node.Feed.WhenCommitted(id);
        CommittedReceipt? receipt;
        try
        {
            receipt = Receipt(id);
            if (receipt is null && request.WaitForCommit)
            {
                var wait = request.WaitTimeoutMs == 0 ? DefaultWait : TimeSpan.FromMilliseconds(Math.Min(request.WaitTimeoutMs, LongestWait.TotalMilliseconds));
                using var callOrStop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping);
                try
                {
                    await committed.WaitAsync(wait, callOrStop.Token);
                    receipt = Receipt(id);
                }
                catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && _stopping.IsCancellationRequested))
                {
                    // Not committed yet (or not before this node stops): the client learns the id and may ask again.
                }
            }
        }
        finally
        {
            // Also when the client went away: other calls may wait for the same transaction.
            _node.Feed.Forget(id, committed);
        }
        response.Committed = receipt is not null;
        response.Receipt = receipt;
        return response;
    }

    public override Task<TransactionInfo> GetTransaction(GetTransactionRequest request, ServerCallContext context)
    {
        _members.Require(context, request);
        var id = TxId(request.TxId);
        var location = _node.Store.FindTransaction(id) ?? throw NotFound($"no committed transaction {id}");
        var block = _node.Store.GetBlock(location.Height)!;
        return Task.FromResult(new TransactionInfo { Transaction = block.Transactions[(int)location.Position], Receipt = Receipt(id) });
    }

    public override Task<CertificateRecord> GetCertificate(GetCertificateRequest request, ServerCallContext context)
    {
        _members.Require(context, request);
        return Task.FromResult(_queries.Certificate(RequireId(request.CertificateId, "certificate_id"))
            ?? throw NotFound($"no certificate '{request.CertificateId}'", RuleCatalog.CertUnknown));
    }

    public override Task<ConsignmentAnswer> GetConsignment(GetConsignmentRequest request, ServerCallContext context)
    {
        _members.Require(context, request);
        var answer = _queries.Consignment(RequireId(request.ConsignmentId, "consignment_id"), request.WithProof);
        return answer.Consignment is null && !request.WithProof
            ? throw NotFound($"no consignment '{request.ConsignmentId}'", RuleCatalog.ConsignmentUnknown)
            : Task.FromResult(answer);
    }

    public override Task<VerifyCertificateResponse> VerifyCertificate(VerifyCertificateRequest request, ServerCallContext context)
    {
        RequireId(request.CertificateId, "certificate_id");
        if (!request.DocumentHash.IsEmpty && request.DocumentHash.Length != Hash32.Size)
        {
            throw Invalid($"document_hash must be the 32-byte SHA-256 of the document, not {request.DocumentHash.Length} bytes");
        }
        // Public: no identity needed. A member's signed call gets the full record into the proof as well.
        var member = _members.Optional(context, request) is not null;
        return Task.FromResult(_queries.Verify(request.CertificateId, request.DocumentHash, request.WithProof, withRecord: member));
    }

    public override Task<FindCertificatesResponse> FindCertificates(FindCertificatesRequest request, ServerCallContext context)
    {
        // Public: the proof covers status entries only, as VerifyCertificate's does.
        return Task.FromResult(_queries.Find(RequireId(request.Number, "number"), request.WithProof));
    }

    public override Task<StoredBlock> GetBlock(GetBlockRequest request, ServerCallContext context)
    {
        _members.Require(context, request);
        return Task.FromResult(StoredBlocks.Read(_node.Store, request.Height)
            ?? throw NotFound($"no block at height {request.Height}; the head is {_node.Store.Head.Height}"));
    }

    public override async Task StreamBlocks(StreamBlocksRequest request, IServerStreamWriter<StoredBlock> responseStream, ServerCallContext context)
    {
        var caller = _members.RequireCaller(context, request);
        var next = Math.Max(request.FromHeight, 1);
        var commits = _node.Feed.Subscribe();
        using var callOrStop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping);
        try
        {
            while (!callOrStop.IsCancellationRequested)
            {
                while (next <= _node.Store.Head.Height)
                {
                    // A stream outlives the call's signature: a key revoked or a member suspended since ends it.
                    _members.RequireStill(context, caller);
                    await responseStream.WriteAsync(StoredBlocks.Read(_node.Store, next)!, callOrStop.Token);
                    next++;
                }
                await commits.ReadAsync(callOrStop.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // A stream would hold the shutdown for its whole timeout: end it, and the client resumes on another node.
            throw ShutdownStatusInterceptor.ShuttingDown();
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            _node.Feed.Unsubscribe(commits);
        }
    }

    public override Task<GetValidatorSetsResponse> GetValidatorSets(GetValidatorSetsRequest request, ServerCallContext context)
    {
        // Public, like a header: rosters are keys and powers, and each comes with the certificate that proves it.
        var response = new GetValidatorSetsResponse();
        response.Sets.AddRange(_node.Rosters.Proofs(_node.Store, request.AfterHeight, _node.Store.Head.Height + 1, max: 64));
        return Task.FromResult(response);
    }

    public override Task<NodeStatus> GetStatus(GetStatusRequest request, ServerCallContext context)
    {
        var head = _node.Store.Head;
        var status = new NodeStatus
        {
            ChainId = _node.Config.ChainId,
            Height = head.Height,
            LastBlockHash = ByteString.CopyFrom(head.BlockHash.Span),
            StateRoot = ByteString.CopyFrom(head.StateRoot.Span),
            MempoolSize = (uint)_node.Pool.Count,
            ValidatorIndex = _node.Signer?.ValidatorIndex ?? -1,
            Round = (uint)_host.Round,
            EvidenceCommitted = (ulong)_host.EvidenceCommitted,
            Limits = new LimitsInForce
            {
                Transaction = _node.Config.Limits,
                PublicRequestBytesMax = (uint)LedgerNode.PublicRequestBytesMax(_node.Config.Limits.TxBytesMax),
                BlockTransactionsMax = (uint)Chain.BlockLimits.Protocol.TransactionsMax,
                BlockBytesMax = (ulong)Chain.BlockLimits.Protocol.BytesMax,
                MempoolTransactionsMax = (uint)(_node.NodeConfig.Mempool ?? new MempoolConfig()).TransactionsMax,
                MempoolBytesMax = (ulong)(_node.NodeConfig.Mempool ?? new MempoolConfig()).BytesMax,
            },
        };
        if (_host.Counters is { } c)
        {
            status.ConsensusCounters = new Wire.ConsensusCounters
            {
                Malformed = (ulong)c.Malformed,
                UnknownValidator = (ulong)c.UnknownValidator,
                BadSignature = (ulong)c.BadSignature,
                WrongProposer = (ulong)c.WrongProposer,
                StaleHeight = (ulong)c.StaleHeight,
                FarFutureHeight = (ulong)c.FarFutureHeight,
                FarFutureRound = (ulong)c.FarFutureRound,
                NextHeightBufferFull = (ulong)c.NextHeightBufferFull,
                Duplicate = (ulong)c.Duplicate,
                Equivocation = (ulong)c.Equivocation,
                InvalidCertificate = (ulong)c.InvalidCertificate,
                RefusedSigning = (ulong)c.RefusedSigning,
                CertificatesOffered = (ulong)c.CertificatesOffered,
            };
        }
        status.AccessCounters = new Wire.AccessCounters { RefusedReads = (ulong)_members.Refused, RefusedPeerCalls = (ulong)_peers.Refused };
        // The roster deciding the next height, by position: a validator removed keeps its position at power 0.
        status.Validators.AddRange(_node.Rosters.At(_node.Store.Head.Height + 1).Roster);
        status.Peers.AddRange(_node.Network.Links.Select(l => new PeerStatus { ValidatorIndex = (uint)l.ValidatorIndex, Endpoint = l.Endpoint, Connected = l.Connected }));
        return Task.FromResult(status);
    }

    public override Task<ProposalAnswer> GetProposal(GetProposalRequest request, ServerCallContext context)
    {
        _members.Require(context, request);
        if (!ProposalIds.IsValid(request.ProposalId))
        {
            throw Invalid($"proposal_id '{request.ProposalId}' must be the 64 lower-case hex characters of the proposal's transaction id");
        }
        var answer = _queries.Proposal(request.ProposalId, request.WithProof);
        return answer.Proposal is null && !request.WithProof
            ? throw NotFound($"proposal_id '{request.ProposalId}' names no membership proposal", RuleCatalog.ProposalUnknown)
            : Task.FromResult(answer);
    }

    public override Task<ProposalList> ListProposals(ListProposalsRequest request, ServerCallContext context)
    {
        _members.Require(context, request);
        return Task.FromResult(_queries.Proposals(request.PendingOnly, request.WithProof));
    }

    private CommittedReceipt? Receipt(Hash32 id)
    {
        if (_node.Store.FindTransaction(id) is not { } location)
        {
            return null;
        }
        var block = _node.Store.GetBlock(location.Height)!;
        var receipts = _node.Store.GetReceipts(location.Height)!;
        var proof = new ReceiptProof { Header = block.Header, Certificate = _node.Store.GetCommit(location.Height) };
        proof.Path.AddRange(_receiptTrees.For(location.Height, receipts).Proof((int)location.Position).Select(h => ByteString.CopyFrom(h.Span)));
        return new CommittedReceipt
        {
            Height = location.Height,
            Position = location.Position,
            Receipt = receipts[(int)location.Position],
            BlockHash = ByteString.CopyFrom(BlockHashing.HeaderHash(block.Header).Span),
            Proof = proof,
        };
    }

    private static Hash32 TxId(ByteString bytes) =>
        bytes.Length == Hash32.Size ? new Hash32(bytes.Span) : throw Invalid($"tx_id must be 32 bytes, not {bytes.Length}");

    private static string RequireId(string id, string field) =>
        TextLength.Characters(id) is > 0 and <= 256 ? id : throw Invalid($"{field} is required and at most 256 characters");

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static RpcException NotFound(string message, string? code = null) =>
        code is null ? new(new Status(StatusCode.NotFound, message)) : RefusalStatus.ToException(new Refusal(code, message));
}
