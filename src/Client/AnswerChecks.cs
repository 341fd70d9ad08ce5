using Google.Protobuf;
using Ledger.Contracts.Routes;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// Recomputes an answer from the proven values and compares it with what the node said: a node that sends
/// a correct proof and lies in the fields beside it is caught here. The result is built from the proven
/// values, never from the node's fields.
/// </summary>
internal static class AnswerChecks
{
    /// <summary>
    /// Checks a verification against the certificate's public status entry and its consignments' verdict
    /// entries; the full record is read too when the proof covers it (the node includes it for members).
    /// </summary>
    public static CertificateVerification Certificate(string id, ByteString documentHash, VerifyCertificateResponse answer, ProvenState state)
    {
        if (answer.CertificateId != id)
        {
            throw Contradicts("certificate_id", answer.CertificateId, id);
        }
        var statusKey = StateKeys.CertificateStatus(id);
        var bytes = state.Value(statusKey);
        if (bytes is null)
        {
            if (answer.Found)
            {
                throw Contradicts("found", "true", $"false (key '{statusKey}' is proven absent)");
            }
            return new CertificateVerification(id, false, AnswerTrust.Proven, CertificateStatus.Unspecified, "", "", "", "",
                ContentHashCheck.Unspecified, [], null, state.Header);
        }
        var status = Parse(bytes, CertificateStatusRecord.Parser, statusKey);
        if (status.Id != id)
        {
            throw new UntrustedAnswerException(UntrustedReason.ValueMalformed, $"the record under key '{statusKey}' is certificate '{status.Id}'");
        }
        var orgBytes = state.Value(StateKeys.Organisation(status.Issuer));
        var issuer = orgBytes is null ? null : Parse(orgBytes, OrganisationRecord.Parser, StateKeys.Organisation(status.Issuer));
        var contentHash = documentHash.IsEmpty ? ContentHashCheck.NotChecked
            : documentHash == status.ContentHash ? ContentHashCheck.Match : ContentHashCheck.Mismatch;
        var consignments = new List<RouteVerdictInfo>();
        foreach (var consignmentId in status.Consignments)
        {
            var key = StateKeys.RouteVerdict(consignmentId);
            if (state.Value(key) is { } verdictBytes)
            {
                var verdict = Parse(verdictBytes, RouteVerdictRecord.Parser, key);
                consignments.Add(new RouteVerdictInfo { ConsignmentId = verdict.ConsignmentId, Kind = verdict.Kind, Breaches = { verdict.Breaches } });
            }
        }
        var record = state.Covers(StateKeys.Certificate(id)) && state.Value(StateKeys.Certificate(id)) is { } recordBytes
            ? Parse(recordBytes, CertificateRecord.Parser, StateKeys.Certificate(id))
            : null;
        var proven = new CertificateVerification(id, true, AnswerTrust.Proven, status.Status, status.StatusReason, status.Issuer,
            issuer?.Organisation?.Name ?? "", issuer?.Organisation?.Country ?? "", contentHash, consignments, record, state.Header)
        {
            ReplacedBy = status.ReplacedBy,
            Replaces = status.Replaces,
        };

        Same("found", answer.Found, true);
        Same("status", answer.Status, proven.Status);
        Same("status_reason", answer.StatusReason, proven.StatusReason);
        Same("replaced_by", answer.ReplacedBy, proven.ReplacedBy);
        Same("replaces", answer.Replaces, proven.Replaces);
        Same("issuer", answer.Issuer, proven.Issuer);
        Same("issuer_name", answer.IssuerName, proven.IssuerName);
        Same("issuer_country", answer.IssuerCountry, proven.IssuerCountry);
        Same("content_hash", answer.ContentHash, proven.ContentHash);
        if (answer.Consignments.Count != consignments.Count)
        {
            throw Contradicts("consignments", $"{answer.Consignments.Count} verdicts", $"{consignments.Count} (linked consignments on the ledger)");
        }
        for (var i = 0; i < consignments.Count; i++)
        {
            if (!answer.Consignments[i].Equals(consignments[i]))
            {
                throw Contradicts($"consignments[{i}]", Describe(answer.Consignments[i]), Describe(consignments[i]));
            }
        }
        return proven;
    }

    /// <summary>
    /// Checks a search by number: the organisation index is proven, and for every organisation in it the status entry of
    /// the number, present or absent; the certificates found are the present ones, and the node's list must be exactly those.
    /// </summary>
    public static CertificateSearch Search(string number, FindCertificatesResponse answer, ProvenState state)
    {
        var indexBytes = state.Value(StateKeys.OrganisationIndex);
        var organisations = indexBytes is null ? [] : Parse(indexBytes, OrganisationIndex.Parser, StateKeys.OrganisationIndex).Ids.ToArray();
        var found = new List<string>();
        foreach (var organisation in organisations)
        {
            var id = Ledger.Contracts.Certificates.CertificateIds.Of(organisation, number);
            var key = StateKeys.CertificateStatus(id);
            if (state.Value(key) is { } bytes)
            {
                if (Parse(bytes, CertificateStatusRecord.Parser, key).Id != id)
                {
                    throw new UntrustedAnswerException(UntrustedReason.ValueMalformed, $"the record under key '{key}' is not certificate '{id}'");
                }
                found.Add(id);
            }
        }
        found.Sort(StringComparer.Ordinal);
        if (!answer.CertificateIds.SequenceEqual(found))
        {
            throw Contradicts("certificate_ids", $"[{string.Join(", ", answer.CertificateIds)}]", $"[{string.Join(", ", found)}]");
        }
        return new CertificateSearch(number, found, AnswerTrust.Proven, state.Header);
    }

    /// <summary>Compares a document's hash with the proven content hash of a certificate the proof shows present.</summary>
    public static ContentHashCheck CompareDocument(ByteString documentHash, string id, ProvenState state)
    {
        var key = StateKeys.CertificateStatus(id);
        var status = Parse(state.Value(key) ?? throw new UntrustedAnswerException(UntrustedReason.EntryMissing, $"key '{key}' is proven absent"), CertificateStatusRecord.Parser, key);
        return documentHash == status.ContentHash ? ContentHashCheck.Match : ContentHashCheck.Mismatch;
    }

    public static ConsignmentLookup Consignment(string id, ConsignmentAnswer answer, ProvenState state)
    {
        var key = StateKeys.Consignment(id);
        var bytes = state.Value(key);
        if (bytes is null)
        {
            if (answer.Consignment is not null || answer.Verdict is not null)
            {
                throw Contradicts("consignment", "a record", $"none (key '{key}' is proven absent)");
            }
            return new ConsignmentLookup(id, false, AnswerTrust.Proven, null, null, state.Header);
        }
        var record = Parse(bytes, ConsignmentRecord.Parser, key);
        if (record.Declaration?.ConsignmentId != id)
        {
            throw new UntrustedAnswerException(UntrustedReason.ValueMalformed, $"the record under key '{key}' is consignment '{record.Declaration?.ConsignmentId}'");
        }
        var verdict = Verdict(record);
        if (!record.Equals(answer.Consignment))
        {
            throw Contradicts("consignment", answer.Consignment is null ? "none" : "a different record", "the proven record");
        }
        if (!verdict.Equals(answer.Verdict))
        {
            throw Contradicts("verdict", answer.Verdict is null ? "none" : Describe(answer.Verdict), Describe(verdict));
        }
        return new ConsignmentLookup(id, true, AnswerTrust.Proven, record, verdict, state.Header);
    }

    public static ProposalLookup Proposal(string id, ProposalAnswer answer, ProvenState state)
    {
        var key = StateKeys.Proposal(id);
        var bytes = state.Value(key);
        if (bytes is null)
        {
            return answer.Proposal is null
                ? new ProposalLookup(id, false, AnswerTrust.Proven, null, state.Header)
                : throw Contradicts("proposal", "a record", $"none (key '{key}' is proven absent)");
        }
        var record = Parse(bytes, ProposalRecord.Parser, key);
        if (record.Id != id)
        {
            throw new UntrustedAnswerException(UntrustedReason.ValueMalformed, $"the record under key '{key}' is proposal '{record.Id}'");
        }
        if (!record.Equals(answer.Proposal))
        {
            throw Contradicts("proposal", answer.Proposal is null ? "none" : "a different record", "the proven record");
        }
        return new ProposalLookup(id, true, AnswerTrust.Proven, record, state.Header);
    }

    /// <summary>
    /// Checks a list of proposals: the index is proven, and every proposal it names; the list is those (the pending ones
    /// when asked) in index order, and the node's list must be exactly that, so none is left out or made up.
    /// </summary>
    public static ProposalListing Proposals(bool pendingOnly, ProposalList answer, ProvenState state)
    {
        var indexBytes = state.Value(StateKeys.ProposalIndex);
        var ids = indexBytes is null ? [] : Parse(indexBytes, ProposalIndex.Parser, StateKeys.ProposalIndex).Ids.ToArray();
        var proven = new List<ProposalRecord>();
        foreach (var id in ids)
        {
            var key = StateKeys.Proposal(id);
            var record = Parse(state.Value(key) ?? throw new UntrustedAnswerException(UntrustedReason.ValueMalformed,
                $"the proposal index names '{id}', whose key '{key}' is proven absent"), ProposalRecord.Parser, key);
            if (!(pendingOnly && record.Applied))
            {
                proven.Add(record);
            }
        }
        if (answer.Proposals.Count != proven.Count || !answer.Proposals.SequenceEqual(proven))
        {
            throw Contradicts("proposals", $"{answer.Proposals.Count} proposals", $"{proven.Count} ({string.Join(", ", proven.Select(p => p.Id))})");
        }
        return new ProposalListing(pendingOnly, proven, AnswerTrust.Proven, state.Header);
    }

    /// <summary>The node's verdict, as the node would compute it from the record (RouteVerdict in Contracts).</summary>
    public static RouteVerdictInfo Verdict(ConsignmentRecord record)
    {
        var verdict = RouteVerdict.Of(record);
        var info = new RouteVerdictInfo { ConsignmentId = record.Declaration?.ConsignmentId ?? "", Kind = verdict.Kind };
        info.Breaches.AddRange(verdict.Breaches);
        return info;
    }

    private static T Parse<T>(byte[] bytes, MessageParser<T> parser, string key)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new UntrustedAnswerException(UntrustedReason.ValueMalformed, $"the proven value of key '{key}' is not a {typeof(T).Name}: {e.Message}");
        }
    }

    private static void Same<T>(string field, T said, T proven)
    {
        if (!EqualityComparer<T>.Default.Equals(said, proven))
        {
            throw Contradicts(field, $"{said}", $"{proven}");
        }
    }

    private static string Describe(RouteVerdictInfo verdict) =>
        $"{verdict.ConsignmentId}: {verdict.Kind} ({verdict.Breaches.Count} breaches)";

    private static UntrustedAnswerException Contradicts(string field, string said, string proven) =>
        new(UntrustedReason.AnswerContradictsProof, $"{field}: the node says {said}, the proven state says {proven}");
}
