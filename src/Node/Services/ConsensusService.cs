using Grpc.Core;
using Ledger.Contracts.Crypto;
using Ledger.Node.Access;
using Ledger.Node.Hosting;
using Ledger.Wire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Services;

/// <summary>
/// Node-to-node: peers push consensus messages and gossip, and fetch blocks to catch up. Only validators of
/// the genesis set may call (<see cref="PeerCalls"/>); read replicas, signing as members, may sync blocks and
/// forward transactions. Votes inside are signed on their own; this gate keeps strangers off the streams.
/// </summary>
public sealed class ConsensusService : Wire.Consensus.ConsensusBase
{
    public const uint BlocksPerCallMax = 500;
    private readonly NodeServices _node;
    private readonly ConsensusHost _host;
    private readonly TransactionIntake _intake;
    private readonly PeerCalls _peers;
    private readonly CancellationToken _stopping;
    private readonly ILogger _log;

    public ConsensusService(NodeServices node, ConsensusHost host, TransactionIntake intake, PeerCalls peers,
        IHostApplicationLifetime lifetime, ILogger<ConsensusService> log)
    {
        _stopping = lifetime.ApplicationStopping;
        _log = log;
        _node = node;
        _host = host;
        _intake = intake;
        _peers = peers;
    }

    public override async Task<PushAck> Push(IAsyncStreamReader<PeerEnvelope> requestStream, ServerCallContext context)
    {
        var caller = _peers.Require(context, request: null, membersMay: true);
        var ignored = 0;
        // A stopping node ends its peers' streams, or they would hold the shutdown for its whole timeout.
        using var callOrStop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping);
        try
        {
            await foreach (var envelope in requestStream.ReadAllAsync(callOrStop.Token))
            {
                if (envelope.MessageCase == PeerEnvelope.MessageOneofCase.Transactions)
                {
                    foreach (var tx in envelope.Transactions.Transactions)
                    {
                        // Gossip is not re-gossiped: every validator links to every other.
                        _intake.Admit(tx, gossip: false);
                    }
                }
                else if (caller.IsValidator)
                {
                    _host.Post(new HostEvent.Inbound(envelope, caller.ValidatorIndex!.Value));
                }
                else
                {
                    _peers.CountIgnored(caller, envelope.MessageCase, firstOnStream: ignored++ == 0);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The peer stopped or restarted (its stream was aborted), or this node is stopping: routine, and the
            // peer's link reconnects by itself. Logged by the framework as an error if let through.
            _log.LogDebug("Stream from peer {Peer} ended: {Reason}", context.Peer, e.Message);
        }
        return new PushAck();
    }

    public override async Task GetBlocks(GetBlocksRequest request, IServerStreamWriter<StoredBlock> responseStream, ServerCallContext context)
    {
        _peers.Require(context, request, membersMay: true);
        var count = Math.Min(request.MaxBlocks == 0 ? BlocksPerCallMax : request.MaxBlocks, BlocksPerCallMax);
        var head = _node.Store.Head.Height;
        for (var height = Math.Max(request.FromHeight, 1); height <= head && count > 0; height++, count--)
        {
            await responseStream.WriteAsync(StoredBlocks.Read(_node.Store, height)!, context.CancellationToken);
        }
    }

    public override Task<Block> GetProposedBlock(GetProposedBlockRequest request, ServerCallContext context)
    {
        _peers.Require(context, request, membersMay: false);
        if (request.BlockId.Length != Hash32.Size)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "block_id must be 32 bytes"));
        }
        return _host.FindProposedBlock(new Hash32(request.BlockId.Span)) is { } block
            ? Task.FromResult(block)
            : throw new RpcException(new Status(StatusCode.NotFound, $"no proposed block {Convert.ToHexStringLower(request.BlockId.Span)} here"));
    }
}
