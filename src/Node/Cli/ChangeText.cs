using System.Globalization;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Membership;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>A membership change in one line, and its kind's name as the change files and `gov list` spell it.</summary>
public static class ChangeText
{
    public static string Kind(MembershipChange change) => change.ChangeCase switch
    {
        MembershipChange.ChangeOneofCase.AddOrganisation => "add-organisation",
        MembershipChange.ChangeOneofCase.AddKey => "add-key",
        MembershipChange.ChangeOneofCase.RotateKey => "rotate-key",
        MembershipChange.ChangeOneofCase.RevokeKey => "revoke-key",
        MembershipChange.ChangeOneofCase.SuspendOrganisation => "suspend",
        MembershipChange.ChangeOneofCase.ReinstateOrganisation => "reinstate",
        MembershipChange.ChangeOneofCase.AddValidator => "add-validator",
        MembershipChange.ChangeOneofCase.RemoveValidator => "remove-validator",
        MembershipChange.ChangeOneofCase.SetValidatorPower => "set-validator-power",
        MembershipChange.ChangeOneofCase.RotateValidatorKey => "rotate-validator-key",
        MembershipChange.ChangeOneofCase.AddCheckpoint => "add-checkpoint",
        MembershipChange.ChangeOneofCase.CloseCheckpoint => "close-checkpoint",
        MembershipChange.ChangeOneofCase.RegisterPost => "register-post",
        _ => "unknown",
    };

    /// <param name="fullKeys">Keys in full (`gov show`), else shortened to tell them apart on a line (`gov list`).</param>
    public static string Describe(MembershipChange change, bool fullKeys = false) => change.ChangeCase switch
    {
        MembershipChange.ChangeOneofCase.AddOrganisation => Organisation(change.AddOrganisation, fullKeys),
        MembershipChange.ChangeOneofCase.AddKey => $"add key {Key(change.AddKey.Key, fullKeys)} to {change.AddKey.OrganisationId}",
        MembershipChange.ChangeOneofCase.RotateKey => $"rotate {change.RotateKey.OrganisationId}'s key {Key(change.RotateKey.OldKey, fullKeys)} to {Key(change.RotateKey.NewKey, fullKeys)}",
        MembershipChange.ChangeOneofCase.RevokeKey => $"revoke {change.RevokeKey.OrganisationId}'s key {Key(change.RevokeKey.Key, fullKeys)}",
        MembershipChange.ChangeOneofCase.SuspendOrganisation => $"suspend {change.SuspendOrganisation}",
        MembershipChange.ChangeOneofCase.ReinstateOrganisation => $"reinstate {change.ReinstateOrganisation}",
        MembershipChange.ChangeOneofCase.AddValidator =>
            $"add validator {change.AddValidator.OrganisationId} with consensus key {Key(change.AddValidator.Key, fullKeys)}, power {change.AddValidator.Power.ToString(CultureInfo.InvariantCulture)}",
        MembershipChange.ChangeOneofCase.RemoveValidator => $"remove validator {change.RemoveValidator.OrganisationId}"
            + (change.RemoveValidator.EvidenceKeys.Count == 0 ? "" : $" (evidence {string.Join(", ", change.RemoveValidator.EvidenceKeys)})"),
        MembershipChange.ChangeOneofCase.SetValidatorPower =>
            $"set validator {change.SetValidatorPower.OrganisationId}'s power to {change.SetValidatorPower.Power.ToString(CultureInfo.InvariantCulture)}",
        MembershipChange.ChangeOneofCase.RotateValidatorKey =>
            $"rotate validator {change.RotateValidatorKey.OrganisationId}'s consensus key {Key(change.RotateValidatorKey.OldKey, fullKeys)} to {Key(change.RotateValidatorKey.NewKey, fullKeys)}",
        MembershipChange.ChangeOneofCase.AddCheckpoint => Checkpoint(change.AddCheckpoint),
        MembershipChange.ChangeOneofCase.CloseCheckpoint => $"close checkpoint {change.CloseCheckpoint}",
        MembershipChange.ChangeOneofCase.RegisterPost =>
            $"register customs post {change.RegisterPost.OrganisationId} for {(change.RegisterPost.Checkpoints.Count == 0 ? "no checkpoint" : string.Join(", ", change.RegisterPost.Checkpoints))}",
        _ => "a change this command does not know",
    };

    private static string Organisation(Organisation org, bool fullKeys) =>
        $"add organisation {org.Id} ({org.Name}, {org.Country}; {string.Join(", ", org.Roles.Select(RoleNames.Format))}"
        + (org.Checkpoints.Count == 0 ? "" : $"; checkpoints {string.Join(", ", org.Checkpoints)}")
        + $"; keys {string.Join(", ", org.Keys.Select(k => Key(k, fullKeys)))})";

    private static string Checkpoint(CheckpointInfo c) =>
        $"add checkpoint {c.Code} ({c.Name}, {c.Country}, {c.Kind}{(c.GaugeMm == 0 ? "" : $", {c.GaugeMm.ToString(CultureInfo.InvariantCulture)} mm")})";

    /// <summary>A key as `keys new` prints it, shortened: enough to tell keys apart on a line.</summary>
    private static string Key(PublicKey? key, bool full)
    {
        if (key is null || key.Suite == KeySuite.Unspecified)
        {
            return "(no key)";
        }
        var text = PublicKeyText.Format(key);
        return full || text.Length <= 28 ? text : text[..28] + "…";
    }
}
