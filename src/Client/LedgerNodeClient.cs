using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Rules;
using Ledger.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Client;

/// <summary>
/// The calls every role makes: submit a signed transaction and wait for its receipt, verified reads of
/// certificates and consignments, blocks. Each call goes to one node of <see cref="LedgerConnection"/> and
/// moves on to the next when that node is down or its answer fails verification. Safe for concurrent use.
/// </summary>
public sealed class LedgerNodeClient
{
    private readonly LedgerConnection _connection;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public LedgerNodeClient(LedgerConnection connection, TrustedValidators validators, ILogger<LedgerNodeClient>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(validators);
        if (validators.ChainId != connection.Options.ChainId)
        {
            throw new ArgumentException(
                $"the trusted genesis is for chain '{validators.ChainId}', the client is configured for '{connection.Options.ChainId}'", nameof(validators));
        }
        _connection = connection;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        Validators = validators;
        Proofs = new ProofBundleVerifier(validators, connection.Options.StaleBlocksTolerated);
    }

    /// <summary>The validator rosters this client trusts: the genesis's, then each it learnt from a proof.</summary>
    public TrustedValidators Validators { get; }

    public string ChainId => _connection.Options.ChainId;

    /// <summary>The proof checker, with the highest certified height seen so far.</summary>
    public ProofBundleVerifier Proofs { get; }

    /// <summary>Hands the transaction to a node's mempool and returns its id without waiting for the commit.</summary>
    public Task<Hash32> SubmitAsync(SignedTransaction transaction, CancellationToken cancellationToken = default) =>
        SubmitAsync(transaction.Envelope, cancellationToken);

    /// <inheritdoc cref="SubmitAsync(SignedTransaction, CancellationToken)"/>
    public async Task<Hash32> SubmitAsync(TxEnvelope envelope, CancellationToken cancellationToken = default)
    {
        var id = IdOf(envelope);
        await _connection.CallAsync("Submit", async (client, options, _) =>
        {
            var response = await client.SubmitAsync(new SubmitRequest { Transaction = envelope }, options).ConfigureAwait(false);
            RequireId(id, response.TxId, "the submit answer");
            return response;
        }, cancellationToken).ConfigureAwait(false);
        return id;
    }

    public Task<CommittedReceipt> SubmitAndWaitAsync(SignedTransaction transaction, CancellationToken cancellationToken = default) =>
        SubmitAndWaitAsync(transaction.Envelope, cancellationToken);

    /// <summary>
    /// Submits the envelope and waits until it is committed; returns its receipt. Idempotent: after a timeout
    /// or a lost answer the same envelope (same id) is submitted again, to the same or the next node, so the
    /// ledger commits it at most once; nothing is ever re-signed here.
    /// </summary>
    /// <exception cref="LedgerRefusedException">Refused before entering a block (code from the node's trailer), or
    /// committed and refused by its contract (code from the receipt; then <see cref="LedgerRefusedException.Receipt"/> is set).</exception>
    /// <exception cref="TimeoutException">Not committed within <see cref="LedgerClientOptions.SubmitTimeout"/>; it may still be.</exception>
    public async Task<CommittedReceipt> SubmitAndWaitAsync(TxEnvelope envelope, CancellationToken cancellationToken = default)
    {
        var id = IdOf(envelope);
        var options = _connection.Options;
        var giveUpAt = _time.GetUtcNow() + options.SubmitTimeout;
        var request = new SubmitRequest { Transaction = envelope, WaitForCommit = true, WaitTimeoutMs = (uint)options.CommitWait.TotalMilliseconds };
        RpcException? unconfirmed = null;
        while (true)
        {
            SubmitResponse response;
            try
            {
                response = await _connection.CallAsync("Submit", async (client, callOptions, endpoint) =>
                {
                    SubmitResponse answer;
                    try
                    {
                        answer = await client.SubmitAsync(request, callOptions).ConfigureAwait(false);
                    }
                    catch (RpcException ex) when (unconfirmed is null && _connection.Endpoints.Count > 1 && IsRefusal(ex))
                    {
                        // One node's refusal may be a lie told to keep a valid transaction out: another node confirms it first.
                        unconfirmed = ex;
                        throw new UntrustedAnswerException(UntrustedReason.RefusalUnconfirmed,
                            $"{endpoint} refused it with {LedgerConnection.Refusal(ex).Code}; asking another node to confirm");
                    }
                    RequireId(id, answer.TxId, "the submit answer");
                    if (answer.Committed)
                    {
                        RequireId(id, answer.Receipt?.Receipt?.TxId ?? ByteString.Empty, "the receipt");
                        // A lying node could say "committed and refused" (or "OK") of a transaction it never saw committed.
                        await FollowingRostersAsync(client, callOptions, () =>
                        {
                            Proofs.VerifyReceipt(id, answer.Receipt!);
                            return true;
                        }).ConfigureAwait(false);
                    }
                    return answer;
                }, cancellationToken, options.CommitWait + options.CallTimeout).ConfigureAwait(false);
            }
            catch (LedgerRefusedException ex) when (ex.Code == RuleCatalog.TxDuplicate)
            {
                // Only the envelope we sent before can be a duplicate of itself: keep waiting for its commit.
                response = new SubmitResponse { TxId = ByteString.CopyFrom(id.Span) };
            }
            catch (LedgerRefusedException ex) when (ex.TxId is null)
            {
                throw new LedgerRefusedException(ex.Code, ex.Reason, id, inner: ex.InnerException);
            }
            catch (UntrustedAnswerException ex) when (ex.Reason == UntrustedReason.RefusalUnconfirmed && unconfirmed is not null)
            {
                // No other node answered: the one refusal there is stands.
                var refusal = LedgerConnection.Refusal(unconfirmed);
                throw new LedgerRefusedException(refusal.Code, refusal.Reason, id, inner: unconfirmed);
            }
            if (response.Committed)
            {
                var receipt = response.Receipt;
                if (receipt.Receipt.Code != RuleCatalog.Ok)
                {
                    _logger.LogInformation("Transaction {TxId} committed at height {Height} and refused: {Code}", id, receipt.Height, receipt.Receipt.Code);
                    throw new LedgerRefusedException(receipt.Receipt.Code, receipt.Receipt.Message, id, receipt);
                }
                _logger.LogInformation("Transaction {TxId} committed at height {Height}", id, receipt.Height);
                return receipt;
            }
            if (_time.GetUtcNow() >= giveUpAt)
            {
                throw new TimeoutException(
                    $"transaction {id} was not committed within {options.SubmitTimeout}; it may still be: submit the same envelope again or look it up by id");
            }
            _logger.LogInformation("Transaction {TxId} not committed yet; asking again", id);
        }
    }

    /// <summary>
    /// What import customs asks: status, issuer, document match, route verdicts. With <paramref name="requireProof"/>
    /// the answer is checked against a quorum-certified state (docs/CLIENT.md, "Verified reads").
    /// </summary>
    /// <param name="documentHash">SHA-256 of the document held (32 bytes), or null not to compare.</param>
    /// <exception cref="UntrustedAnswerException">No node gave an answer that verifies.</exception>
    public Task<CertificateVerification> VerifyCertificateAsync(
        string certificateId, byte[]? documentHash = null, bool requireProof = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificateId);
        if (documentHash is not null && documentHash.Length != Hash32.Size)
        {
            throw new ArgumentException($"a document hash is the 32-byte SHA-256 of the document, not {documentHash.Length} bytes", nameof(documentHash));
        }
        var hash = documentHash is null ? ByteString.Empty : ByteString.CopyFrom(documentHash);
        var request = new VerifyCertificateRequest { CertificateId = certificateId, DocumentHash = hash, WithProof = requireProof };
        return _connection.CallAsync("VerifyCertificate", async (client, options, _) =>
        {
            var answer = await client.VerifyCertificateAsync(request, options).ConfigureAwait(false);
            return requireProof
                ? await FollowingRostersAsync(client, options, () => AnswerChecks.Certificate(certificateId, hash, answer, Proofs.Verify(answer.Proof))).ConfigureAwait(false)
                : Unverified(answer);
        }, cancellationToken);
    }

    /// <summary>
    /// Every certificate with <paramref name="number"/>, whoever issued it: for a number read off the paper without its
    /// issuer. With <paramref name="requireProof"/> the list is proven complete (every organisation's entry for the number).
    /// </summary>
    /// <exception cref="UntrustedAnswerException">No node gave an answer that verifies.</exception>
    public Task<CertificateSearch> FindCertificatesAsync(string number, bool requireProof = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(number);
        var request = new FindCertificatesRequest { Number = number, WithProof = requireProof };
        return _connection.CallAsync("FindCertificates", async (client, options, _) =>
        {
            var answer = await client.FindCertificatesAsync(request, options).ConfigureAwait(false);
            return requireProof
                ? await FollowingRostersAsync(client, options, () => AnswerChecks.Search(number, answer, Proofs.Verify(answer.Proof))).ConfigureAwait(false)
                : new CertificateSearch(number, [.. answer.CertificateIds], AnswerTrust.Unverified, null);
        }, cancellationToken);
    }

    /// <summary>A consignment with its route verdict; with <paramref name="requireProof"/>, checked against a certified state.</summary>
    /// <exception cref="UntrustedAnswerException">No node gave an answer that verifies.</exception>
    public Task<ConsignmentLookup> GetConsignmentAsync(string consignmentId, bool requireProof = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(consignmentId);
        var request = new GetConsignmentRequest { ConsignmentId = consignmentId, WithProof = requireProof };
        return _connection.CallAsync("GetConsignment", async (client, options, _) =>
        {
            ConsignmentAnswer answer;
            try
            {
                answer = await client.GetConsignmentAsync(request, options).ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && !requireProof)
            {
                return new ConsignmentLookup(consignmentId, false, AnswerTrust.Unverified, null, null, null);
            }
            return requireProof
                ? await FollowingRostersAsync(client, options, () => AnswerChecks.Consignment(consignmentId, answer, Proofs.Verify(answer.Proof))).ConfigureAwait(false)
                : new ConsignmentLookup(consignmentId, answer.Consignment is not null, AnswerTrust.Unverified, answer.Consignment, answer.Verdict, null);
        }, cancellationToken);
    }

    /// <summary>A membership proposal; with <paramref name="requireProof"/>, checked against a certified state. Needs a member's signed call.</summary>
    /// <param name="proposalId">The hex of the proposal's transaction id.</param>
    /// <exception cref="UntrustedAnswerException">No node gave an answer that verifies.</exception>
    public Task<ProposalLookup> GetProposalAsync(string proposalId, bool requireProof = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(proposalId);
        var request = new GetProposalRequest { ProposalId = proposalId, WithProof = requireProof };
        return _connection.CallAsync("GetProposal", async (client, options, _) =>
        {
            ProposalAnswer answer;
            try
            {
                answer = await client.GetProposalAsync(request, options).ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound && !requireProof)
            {
                return new ProposalLookup(proposalId, false, AnswerTrust.Unverified, null, null);
            }
            return requireProof
                ? AnswerChecks.Proposal(proposalId, answer, Proofs.Verify(answer.Proof))
                : new ProposalLookup(proposalId, answer.Proposal is not null, AnswerTrust.Unverified, answer.Proposal, null);
        }, cancellationToken);
    }

    /// <summary>
    /// Every membership proposal in the order proposed, or only those not yet applied. With <paramref name="requireProof"/>
    /// the list is proven complete. Needs a member's signed call.
    /// </summary>
    /// <exception cref="UntrustedAnswerException">No node gave an answer that verifies.</exception>
    public Task<ProposalListing> ListProposalsAsync(bool pendingOnly = false, bool requireProof = true, CancellationToken cancellationToken = default)
    {
        var request = new ListProposalsRequest { PendingOnly = pendingOnly, WithProof = requireProof };
        return _connection.CallAsync("ListProposals", async (client, options, _) =>
        {
            var answer = await client.ListProposalsAsync(request, options).ConfigureAwait(false);
            return requireProof
                ? AnswerChecks.Proposals(pendingOnly, answer, Proofs.Verify(answer.Proof))
                : new ProposalListing(pendingOnly, [.. answer.Proposals], AnswerTrust.Unverified, null);
        }, cancellationToken);
    }

    /// <summary>A committed block, its header checked against its own commit certificate and the trusted validators.</summary>
    /// <exception cref="LedgerRefusedException">No block at that height (code "UNKNOWN", status NotFound).</exception>
    public Task<StoredBlock> GetBlockAsync(ulong height, CancellationToken cancellationToken = default) =>
        _connection.CallAsync("GetBlock", async (client, options, _) =>
        {
            var block = await client.GetBlockAsync(new GetBlockRequest { Height = height }, options).ConfigureAwait(false);
            return await FollowingRostersAsync(client, options, () =>
            {
                CheckBlock(block, height);
                return block;
            }).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Blocks from <paramref name="fromHeight"/> on, then each new one as it is committed; each header checked
    /// against its certificate. When a node fails mid-stream the stream resumes on the next node from the next
    /// height (at most <see cref="LedgerClientOptions.RetryCount"/> failures in a row). Replaying the transactions
    /// is the auditor's tool's job, not this stream's.
    /// </summary>
    public async IAsyncEnumerable<StoredBlock> StreamBlocksAsync(ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = Math.Max(fromHeight, 1);
        var failures = new List<Exception>();
        var index = 0;
        while (true)
        {
            var endpoint = _connection.Endpoints[index % _connection.Endpoints.Count];
            var client = _connection.ClientFor(index % _connection.Endpoints.Count);
            using var call = client.StreamBlocks(new StreamBlocksRequest { FromHeight = next }, cancellationToken: cancellationToken);
            var enumerator = call.ResponseStream.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (enumerator.ConfigureAwait(false))
            {
                while (true)
                {
                    StoredBlock block;
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }
                        block = enumerator.Current;
                        var check = block;
                        await FollowingRostersAsync(client, new CallOptions(cancellationToken: cancellationToken), () =>
                        {
                            CheckBlock(check, next);
                            return true;
                        }).ConfigureAwait(false);
                    }
                    catch (RpcException ex) when ((ex.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown || NodeFailureException.IsNotALedgerNode(ex))
                        && !cancellationToken.IsCancellationRequested)
                    {
                        failures.Add(NodeFailureException.Of(endpoint, ex));
                        _logger.LogWarning("StreamBlocks on {Endpoint} failed at height {Height} with {Status}; resuming on the next node", endpoint, next, ex.StatusCode);
                        break;
                    }
                    catch (UntrustedAnswerException ex)
                    {
                        failures.Add(ex.From(endpoint));
                        _logger.LogWarning("StreamBlocks on {Endpoint}: block {Height} rejected, {Reason}: {Detail}", endpoint, next, ex.Reason, ex.Detail);
                        break;
                    }
                    failures.Clear();
                    next++;
                    yield return block;
                }
            }
            if (failures.Count > _connection.Options.RetryCount)
            {
                throw failures[^1] as UntrustedAnswerException ?? new LedgerUnavailableException("StreamBlocks", failures) as Exception;
            }
            index++;
        }
    }

    /// <summary>A node's view of the network. Unverified: for monitoring, not for decisions.</summary>
    public Task<NodeStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        _connection.CallAsync("GetStatus", async (client, options, _) =>
            await client.GetStatusAsync(new GetStatusRequest(), options).ConfigureAwait(false), cancellationToken);

    /// <summary>
    /// Runs a check of a proven answer; if the answer's header names a validator roster this client has not learnt, learns
    /// the rosters since the last one it knows from the same node (each proven by the roster before it) and checks again.
    /// </summary>
    private async Task<T> FollowingRostersAsync<T>(Ledger.Wire.Ledger.LedgerClient client, CallOptions options, Func<T> check)
    {
        try
        {
            return check();
        }
        catch (UntrustedAnswerException ex) when (ex.Reason == UntrustedReason.ValidatorSetUnknown)
        {
            await LearnRostersAsync(client, options).ConfigureAwait(false);
            return check();
        }
    }

    private async Task LearnRostersAsync(Ledger.Wire.Ledger.LedgerClient client, CallOptions options)
    {
        while (true)
        {
            var after = Validators.Known[^1].FromHeight;
            var answer = await client.GetValidatorSetsAsync(new GetValidatorSetsRequest { AfterHeight = after }, options).ConfigureAwait(false);
            var learnt = 0;
            foreach (var proof in answer.Sets)
            {
                if (proof.Header is null || proof.Certificate is null
                    || Validators.Learn(proof.Header, proof.Certificate, proof.Validators) is not null)
                {
                    throw new UntrustedAnswerException(UntrustedReason.ValidatorSetUnknown,
                        $"the validator roster from height {proof.FromHeight} this node offered does not follow from the rosters this client trusts");
                }
                learnt++;
            }
            if (learnt == 0 || Validators.Known[^1].FromHeight == after)
            {
                return;
            }
        }
    }

    private void CheckBlock(StoredBlock block, ulong height)
    {
        var header = block.Block?.Header;
        if (header is null || header.Height != height)
        {
            throw new UntrustedAnswerException(UntrustedReason.WrongObject, $"asked for block {height}, got {header?.Height.ToString() ?? "no header"}");
        }
        // Old blocks are old by design: freshness applies to state answers, not to history.
        Proofs.VerifyHeader(header, block.Certificate, requireFresh: false);
    }

    private Hash32 IdOf(TxEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        TxBody body;
        try
        {
            body = TxBody.Parser.ParseFrom(envelope.Body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ArgumentException($"the envelope's body is not a TxBody: {e.Message}", nameof(envelope), e);
        }
        if (body.ChainId != ChainId)
        {
            throw new ArgumentException($"the transaction is signed for chain '{body.ChainId}', the client is for '{ChainId}'", nameof(envelope));
        }
        return TransactionSigner.IdOf(ChainId, envelope);
    }

    /// <summary>A rule's refusal (not a node down or slow, nor a duplicate of this very envelope, which means it is pending).</summary>
    private static bool IsRefusal(RpcException ex) =>
        !LedgerConnection.IsTransient(ex.StatusCode) && ex.StatusCode != StatusCode.Cancelled
        && LedgerConnection.Refusal(ex).Code != RuleCatalog.TxDuplicate;

    private static void RequireId(Hash32 expected, ByteString said, string what)
    {
        if (!said.Span.SequenceEqual(expected.Span))
        {
            throw new UntrustedAnswerException(UntrustedReason.WrongObject,
                $"{what} is for transaction {Convert.ToHexStringLower(said.Span)}, not {expected}");
        }
    }

    private static CertificateVerification Unverified(VerifyCertificateResponse answer) =>
        new(answer.CertificateId, answer.Found, AnswerTrust.Unverified, answer.Status, answer.StatusReason, answer.Issuer, answer.IssuerName,
            answer.IssuerCountry, answer.ContentHash, [.. answer.Consignments], null, null)
        {
            ReplacedBy = answer.ReplacedBy,
            Replaces = answer.Replaces,
        };
}
