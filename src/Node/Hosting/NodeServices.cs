using Ledger.Node.Chain;
using Ledger.Node.Mempool;
using Ledger.Node.Network;
using Ledger.Node.Storage;
using Ledger.Wire;

namespace Ledger.Node.Hosting;

/// <summary>The parts of a running node, wired once at start and shared by the consensus loop and the gRPC services.</summary>
public sealed record NodeServices(
    NodeConfig NodeConfig,
    NetworkConfig Config,
    BlockStore Store,
    ConsensusJournal Journal,
    TransactionPool Pool,
    CommitFeed Feed,
    PeerNetwork Network,
    NodeRosters Rosters,
    ValidatorSigner? Signer,
    BlockLimits Limits,
    ConsensusTimeouts Timeouts);
