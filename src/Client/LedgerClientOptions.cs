using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;

namespace Ledger.Client;

/// <summary>
/// How the client reaches the network and what it trusts. Bound with
/// <c>services.AddLedgerClient(o => ...)</c> or passed to <see cref="LedgerConnection"/> directly.
/// </summary>
public sealed class LedgerClientOptions
{
    /// <summary>Attempts beyond the first are capped so that a dead network fails in bounded time.</summary>
    public const int RetryCountMax = 16;

    /// <summary>The nodes to ask, e.g. "https://node1.kz-chamber.example:7443". Each call goes to one; failures move on.</summary>
    public IList<string> Endpoints { get; } = [];

    /// <summary>The network's chain id (the genesis document's). Transactions are signed for it, answers must be for it.</summary>
    public string ChainId { get; set; } = "";

    /// <summary>Deadline of one read call on one node.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one submit asks a node to wait for the commit (the node caps it at 60 s).</summary>
    public TimeSpan CommitWait { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long <c>SubmitAndWaitAsync</c> keeps resubmitting the same envelope before giving up; a
    /// transaction is never signed twice, so waiting longer is always safe.
    /// </summary>
    public TimeSpan SubmitTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Further attempts after a failed one, each on the next endpoint (0 to <see cref="RetryCountMax"/>).</summary>
    public int RetryCount { get; set; } = 3;

    /// <summary>
    /// Path of the genesis document whose validators the client trusts to sign commit certificates.
    /// Ignored when <see cref="Genesis"/> is set.
    /// </summary>
    public string? GenesisPath { get; set; }

    /// <summary>The genesis document itself, for callers that hold it in memory.</summary>
    public GenesisDocument? Genesis { get; set; }

    /// <summary>Key file of the member that signs (optional: read-only users need none).</summary>
    public string? KeyFilePath { get; set; }

    /// <summary>
    /// How <see cref="KeyFilePath"/> is opened: the passphrase of an encrypted file (e.g. <c>new(_ => vault.Read("ledger-key"))</c>),
    /// and whether a file others can read is accepted. Null: a plain file its owner alone can read.
    /// </summary>
    public KeyFileOptions? KeyFile { get; set; }

    /// <summary>The signing organisation's id, when the key file does not name it.</summary>
    public string? Organisation { get; set; }

    /// <summary>
    /// PEM file of the CA that signs the nodes' TLS certificates (a network's own CA); null trusts the
    /// system's roots. Used for https endpoints.
    /// </summary>
    public string? CaFilePath { get; set; }

    /// <summary>
    /// The member whose key signs reads of commercial content (full certificates, consignments,
    /// transactions, blocks). Without it only public calls answer: Submit, VerifyCertificate, GetStatus.
    /// <c>AddLedgerClient</c> sets it from <see cref="KeyFilePath"/> when that is given.
    /// </summary>
    public MemberSigner? Reader { get; set; }

    /// <summary>
    /// Proven answers from a header more than this many blocks below the highest certified height the
    /// client has seen are refused as stale (a node serving an old state). 0 accepts only the newest or
    /// newer; a small tolerance lets a node that is one block behind still answer.
    /// </summary>
    public ulong StaleBlocksTolerated { get; set; }
}
