using Grpc.Core;
using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Node.Network;
using Ledger.Wire;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Hosting;

/// <summary>
/// Block sync beside the consensus loop: asks peers in turn for the committed blocks past the head, keeps only those
/// that are faithful copies certified by more than two thirds of the validators, and hands them over in bounded batches
/// to whoever applies them (the loop checks and executes each). Every peer's answer has deadlines, so a peer that stalls
/// or lies costs at most <see cref="FirstBlockDeadlineMs"/> or <see cref="NextBlockDeadlineMs"/> before the next is asked;
/// the loop itself never waits on a peer.
/// </summary>
public sealed class BlockSync
{
    /// <summary>How long a peer may take to send the first block of an answer.</summary>
    public const int FirstBlockDeadlineMs = 3_000;

    /// <summary>How long a peer may take between two blocks of one answer.</summary>
    public const int NextBlockDeadlineMs = 2_000;

    /// <summary>Blocks asked of a peer in one call.</summary>
    public const uint BlocksPerCall = 200;

    /// <summary>Bytes handed over at once: a batch is applied before the next is gathered, so memory stays bounded.</summary>
    public const long BatchBytesMax = 32L * 1024 * 1024;

    /// <summary>Blocks handed over at once: the loop executes a batch in one turn, and must come back to its rounds soon.</summary>
    public const int BatchBlocksMax = 16;

    private readonly IReadOnlyList<PeerLink> _links;
    private readonly string _chainId;
    private readonly Func<CommitCertificate, bool> _certificateIsValid;
    private readonly ILogger _log;
    private int _firstPeer;

    public BlockSync(IReadOnlyList<PeerLink> links, string chainId, Func<CommitCertificate, bool> certificateIsValid, ILogger log)
    {
        _links = links;
        _chainId = chainId;
        _certificateIsValid = certificateIsValid;
        _log = log;
    }

    /// <summary>
    /// Fetches from <paramref name="head"/>() + 1 on, peer by peer, until no peer has more. <paramref name="apply"/> gets each
    /// batch in height order and answers whether the head moved; <paramref name="head"/> is asked again after each.
    /// </summary>
    public async Task RunAsync(Func<ulong> head, Func<IReadOnlyList<StoredBlock>, Task<bool>> apply, CancellationToken ct)
    {
        if (_links.Count == 0)
        {
            return;
        }
        // Start at another peer each time: one that stalls every answer must not be asked first every time.
        var first = _firstPeer++ % _links.Count;
        for (var i = 0; i < _links.Count && !ct.IsCancellationRequested; i++)
        {
            var link = _links[(first + i) % _links.Count];
            while (await FetchFromAsync(link, head(), apply, ct))
            {
                // That peer had blocks and all checked out: ask it for more before moving on.
            }
        }
    }

    /// <summary>True when this peer served at least one good block and may have more.</summary>
    private async Task<bool> FetchFromAsync(PeerLink link, ulong head, Func<IReadOnlyList<StoredBlock>, Task<bool>> apply, CancellationToken ct)
    {
        var batch = new List<StoredBlock>();
        long batchBytes = 0;
        var served = 0;
        var moreAfterApplying = false;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(FirstBlockDeadlineMs);
        try
        {
            using var call = link.Client.GetBlocks(new GetBlocksRequest { FromHeight = head + 1, MaxBlocks = BlocksPerCall }, cancellationToken: deadline.Token);
            var expected = head + 1;
            await foreach (var stored in call.ResponseStream.ReadAllAsync(deadline.Token))
            {
                if (Mismatch(stored, expected) is { } reason)
                {
                    if (reason == CertificateNotSigned && expected > head + 2 && served > 0)
                    {
                        // This node knows the validators up to two heights past its head: a set that changed since may
                        // sign this block. The blocks before it go first; then the same peer is asked again.
                        moreAfterApplying = true;
                        break;
                    }
                    _log.LogWarning("Peer {Peer} served block {Height} that does not check out ({Reason}); asking another", link.ValidatorIndex, expected, reason);
                    break;
                }
                // Applying is not the peer's time: the deadline starts again once the batch is applied.
                deadline.CancelAfter(Timeout.Infinite);
                batch.Add(new StoredBlock { Block = BlockCopy.Canonical(stored.Block), Certificate = BlockCopy.Canonical(stored.Certificate) });
                batchBytes += stored.CalculateSize();
                expected++;
                served++;
                if (batchBytes >= BatchBytesMax || batch.Count >= BatchBlocksMax)
                {
                    if (!await apply(batch))
                    {
                        return false;
                    }
                    (batch, batchBytes) = ([], 0);
                }
                deadline.CancelAfter(NextBlockDeadlineMs);
            }
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Cancelled or StatusCode.DeadlineExceeded && !ct.IsCancellationRequested)
        {
            _log.LogInformation("Peer {Peer} was too slow to serve blocks past {Height}; asking another", link.ValidatorIndex, head);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _log.LogInformation("Peer {Peer} was too slow to serve blocks past {Height}; asking another", link.ValidatorIndex, head);
        }
        catch (RpcException)
        {
            // That peer is down or refuses: ask the next.
        }
        if (batch.Count > 0 && !await apply(batch))
        {
            return false;
        }
        return served == BlocksPerCall || moreAfterApplying;
    }

    private const string CertificateNotSigned = "the certificate is not signed by more than two thirds of the validators";

    private string? Mismatch(StoredBlock stored, ulong expected) => Mismatch(_chainId, _certificateIsValid, stored, expected);

    /// <summary>Null when the block is the next one and certified; checked here so the loop only ever executes certified blocks.</summary>
    internal static string? Mismatch(string chainId, Func<CommitCertificate, bool> certificateIsValid, StoredBlock stored, ulong expected)
    {
        if (stored.Block?.Header is not { } header || header.Height != expected)
        {
            return "not the next height";
        }
        if (stored.Certificate is not { } certificate || certificate.Height != expected || certificate.BlockHash.Length != Hash32.Size)
        {
            return "no certificate for this height";
        }
        // The copy must be the block the certificate names (its header hashes to it, and its contents to the header).
        if (BlockCopy.Mismatch(chainId, stored.Block, new Hash32(certificate.BlockHash.Span)) is { } copy)
        {
            return copy;
        }
        return certificateIsValid(certificate) ? null : CertificateNotSigned;
    }
}
