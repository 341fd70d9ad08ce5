using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.State;

/// <summary>Typed reads and writes of the ledger's records over a state overlay.</summary>
public sealed class LedgerState
{
    private readonly StateOverlay _overlay;

    public LedgerState(StateOverlay overlay, NetworkConfig config)
    {
        _overlay = overlay;
        Config = config;
    }

    /// <summary>The configuration as this transaction sees it: the block's, or the one a registry change of this transaction wrote.</summary>
    public NetworkConfig Config { get; private set; }

    /// <summary>Writes the configuration (a registry change by governance) and reads it from now on.</summary>
    public void Put(NetworkConfig config)
    {
        Write(StateKeys.Config, config);
        Config = config;
    }

    public static NetworkConfig ReadConfig(IStateReader state) =>
        Read(state, StateKeys.Config, NetworkConfig.Parser)
        ?? throw new InvalidOperationException("the state has no network configuration: was the genesis applied?");

    /// <summary>The validator schedule: the genesis roster alone until governance first changed it.</summary>
    public static ValidatorSchedule ReadValidatorSchedule(IStateReader state, NetworkConfig config) =>
        Read(state, StateKeys.Validators, ValidatorSchedule.Parser) ?? Consensus.ValidatorSets.Genesis(config.Validators);

    public ValidatorSchedule ReadValidatorSchedule() => ReadValidatorSchedule(_overlay, Config);

    public void Put(ValidatorSchedule schedule) => Write(StateKeys.Validators, schedule);

    public EvidenceRecord? Evidence(string key) =>
        key.StartsWith(StateKeys.EvidencePrefix, StringComparison.Ordinal) ? Read(_overlay, key, EvidenceRecord.Parser) : null;

    public OrganisationRecord? Organisation(string id) => Read(_overlay, StateKeys.Organisation(id), OrganisationRecord.Parser);

    public void Put(OrganisationRecord record) => Write(StateKeys.Organisation(record.Organisation.Id), record);

    public CertificateRecord? Certificate(string id) => Read(_overlay, StateKeys.Certificate(id), CertificateRecord.Parser);

    /// <summary>Writes the record and its public status, so that the status can be proven without the content.</summary>
    public void Put(CertificateRecord record)
    {
        Write(StateKeys.Certificate(record.Id), record);
        var status = new CertificateStatusRecord
        {
            Id = record.Id,
            Status = record.Status,
            StatusReason = record.StatusReason,
            Issuer = record.Issuer,
            ContentHash = record.Certificate?.ContentHash ?? ByteString.Empty,
            ReplacedBy = record.ReplacedBy,
            Replaces = record.Replaces,
        };
        status.Consignments.AddRange(record.Consignments);
        Write(StateKeys.CertificateStatus(record.Id), status);
    }

    public ConsignmentRecord? Consignment(string id) => Read(_overlay, StateKeys.Consignment(id), ConsignmentRecord.Parser);

    /// <summary>Writes the record and its public route verdict, so that the verdict can be proven without the record.</summary>
    public void Put(ConsignmentRecord record)
    {
        Write(StateKeys.Consignment(record.Declaration.ConsignmentId), record);
        var verdict = Routes.RouteVerdict.Of(record);
        var info = new RouteVerdictRecord { ConsignmentId = record.Declaration.ConsignmentId, Kind = verdict.Kind };
        info.Breaches.AddRange(verdict.Breaches);
        Write(StateKeys.RouteVerdict(record.Declaration.ConsignmentId), info);
    }

    public ProposalRecord? Proposal(string id) => Read(_overlay, StateKeys.Proposal(id), ProposalRecord.Parser);

    public void Put(ProposalRecord record) => Write(StateKeys.Proposal(record.Id), record);

    /// <summary>Appends a new proposal's id to the index (in proposal order: the list a proven read leaves nothing out of).</summary>
    public void IndexProposal(string id)
    {
        var index = Read(_overlay, StateKeys.ProposalIndex, ProposalIndex.Parser) ?? new ProposalIndex();
        index.Ids.Add(id);
        Write(StateKeys.ProposalIndex, index);
    }

    public DeadlineQueue DeadlineQueue() => Read(_overlay, StateKeys.DeadlineQueue, Wire.DeadlineQueue.Parser) ?? new Wire.DeadlineQueue();

    public void Put(DeadlineQueue queue) => Write(StateKeys.DeadlineQueue, queue);

    public DeadlineEntry? Deadline(ulong sequence) => Read(_overlay, StateKeys.Deadline(sequence), DeadlineEntry.Parser);

    public void Put(ulong sequence, DeadlineEntry entry) => Write(StateKeys.Deadline(sequence), entry);

    public void DeleteDeadline(ulong sequence) => _overlay.Delete(StateKeys.Deadline(sequence));

    public void Put(ulong height, AutomaticChanges changes) => Write(StateKeys.AutomaticChanges(height), changes);

    public TxLocation? Transaction(Hash32 txId) => Read(_overlay, StateKeys.Transaction(txId), TxLocation.Parser);

    public void Put(Hash32 txId, TxLocation location) => Write(StateKeys.Transaction(txId), location);

    /// <summary>Every organisation, in id order. Reads each one: only governance needs it, and rarely.</summary>
    public IEnumerable<OrganisationRecord> Organisations() =>
        (Read(_overlay, StateKeys.OrganisationIndex, OrganisationIndex.Parser)?.Ids ?? [])
            .Select(Organisation).OfType<OrganisationRecord>();

    /// <summary>Adds an organisation and keeps the index of ids sorted.</summary>
    public void Add(OrganisationRecord record)
    {
        var index = Read(_overlay, StateKeys.OrganisationIndex, OrganisationIndex.Parser) ?? new OrganisationIndex();
        var ids = index.Ids.Append(record.Organisation.Id).Order(StringComparer.Ordinal).ToArray();
        index.Ids.Clear();
        index.Ids.AddRange(ids);
        Write(StateKeys.OrganisationIndex, index);
        Put(record);
    }

    private void Write(string key, IMessage record) => _overlay.Set(key, record.ToByteArray());

    private static T? Read<T>(IStateReader state, string key, MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var bytes = state.Get(key);
        return bytes is null ? null : parser.ParseFrom(bytes);
    }
}
