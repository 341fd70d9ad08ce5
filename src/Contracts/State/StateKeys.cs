using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.State;

/// <summary>The layout of the state's keys (docs/PROTOCOL.md, "State keys"). Keys are UTF-8 strings.</summary>
public static class StateKeys
{
    public const string Config = "config";
    public const string OrganisationIndex = "organisations";

    /// <summary>Every validator roster with the height it signs from (<c>ValidatorSchedule</c>); absent until the first change.</summary>
    public const string Validators = "validators";

    public static string Organisation(string id) => "org/" + id;

    public const string CertificatePrefix = "cert/";
    public const string CertificateStatusPrefix = "cert-status/";
    public const string ConsignmentPrefix = "consignment/";
    public const string RouteVerdictPrefix = "route-verdict/";

    public static string Certificate(string certificateId) => CertificatePrefix + certificateId;

    /// <summary>The public status of a certificate (<c>CertificateStatusRecord</c>): what a public proof covers.</summary>
    public static string CertificateStatus(string certificateId) => CertificateStatusPrefix + certificateId;

    public static string Consignment(string consignmentId) => ConsignmentPrefix + consignmentId;

    /// <summary>The public route verdict of a consignment (<c>RouteVerdictRecord</c>).</summary>
    public static string RouteVerdict(string consignmentId) => RouteVerdictPrefix + consignmentId;

    public static string Proposal(string proposalId) => "proposal/" + proposalId;

    /// <summary>The ids of every proposal in the order proposed (<c>ProposalIndex</c>).</summary>
    public const string ProposalIndex = "proposals";

    /// <summary>The queue of verification deadlines (<c>DeadlineQueue</c>): its head and tail sequence numbers.</summary>
    public const string DeadlineQueue = "deadlines";

    /// <summary>One queued verification deadline (<c>DeadlineEntry</c>), by sequence number in 20 decimal digits.</summary>
    public static string Deadline(ulong sequence) =>
        "deadline/" + sequence.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The changes a block made by rule (<c>AutomaticChanges</c>), by the block's height in decimal.</summary>
    public static string AutomaticChanges(ulong height) =>
        "auto/" + height.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public const string EvidencePrefix = "evidence/";

    /// <summary>A committed equivocation proof (<c>EvidenceRecord</c>): numbers in decimal, type "prevote" or "precommit".</summary>
    public static string Evidence(uint validatorIndex, ulong height, uint round, string type) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{EvidencePrefix}{validatorIndex}/{height}/{round}/{type}");

    /// <summary>Marks of committed transactions (<c>TxLocation</c>): the state's transaction index.</summary>
    public const string TransactionPrefix = "tx/";

    public static string Transaction(Hash32 txId) => TransactionPrefix + txId;

    /// <summary>
    /// Whether the state root commits to the key. Every key but a transaction's mark: the marks are an index the
    /// chain already commits to (each block's transactions root names its ids, its receipts root their outcomes,
    /// and a mark only ever refuses a duplicate, which the receipts show). Left out of the tree, each transaction
    /// costs one tree path instead of two (docs/PROTOCOL.md, "State").
    /// </summary>
    public static bool IsInStateRoot(string key) => !key.StartsWith(TransactionPrefix, StringComparison.Ordinal);
}
