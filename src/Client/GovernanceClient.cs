using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// What a governing member (a chamber or customs) does: propose a membership change of each kind, and approve
/// another member's proposal. A change applies in the block where more than two thirds of the governing organisations
/// have approved it (docs/PROTOCOL.md, "Governance"). Each call signs locally and returns once committed, or throws
/// <see cref="LedgerRefusedException"/> with the rule's code; read the proposal's state with
/// <see cref="LedgerNodeClient.GetProposalAsync"/>.
/// </summary>
public sealed class GovernanceClient
{
    private readonly LedgerNodeClient _node;
    private readonly MemberSigner _signer;

    public GovernanceClient(LedgerNodeClient node, MemberSigner signer)
    {
        _node = node;
        _signer = signer;
    }

    public LedgerNodeClient Node => _node;

    /// <summary>Proposes any change; the proposer's approval is counted at once.</summary>
    /// <param name="reason">Why, recorded on the ledger with the proposal.</param>
    public async Task<ProposalSubmitted> ProposeAsync(MembershipChange change, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var receipt = await _node.SubmitAndWaitAsync(
            _signer.Sign(b => b.ProposeMembershipChange = new ProposeMembershipChange { Change = change, Reason = reason ?? "" }), cancellationToken).ConfigureAwait(false);
        return new ProposalSubmitted(Convert.ToHexStringLower(receipt.Receipt.TxId.Span), receipt);
    }

    /// <param name="proposalId">The proposal's id: the hex of its transaction id (<see cref="ProposalSubmitted.ProposalId"/>).</param>
    public Task<CommittedReceipt> ApproveAsync(string proposalId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(proposalId);
        return _node.SubmitAndWaitAsync(_signer.Sign(b => b.ApproveMembershipChange = new ApproveMembershipChange { ProposalId = proposalId }), cancellationToken);
    }

    public Task<ProposalSubmitted> ProposeAddOrganisationAsync(Organisation organisation, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { AddOrganisation = organisation }, reason, cancellationToken);

    public Task<ProposalSubmitted> ProposeAddKeyAsync(string organisationId, PublicKey key, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { AddKey = new OrganisationKey { OrganisationId = organisationId, Key = key } }, reason, cancellationToken);

    /// <summary>The new key becomes valid and the old one revoked at the same block time.</summary>
    public Task<ProposalSubmitted> ProposeRotateKeyAsync(string organisationId, PublicKey oldKey, PublicKey newKey, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { RotateKey = new RotateKey { OrganisationId = organisationId, OldKey = oldKey, NewKey = newKey } }, reason, cancellationToken);

    public Task<ProposalSubmitted> ProposeRevokeKeyAsync(string organisationId, PublicKey key, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { RevokeKey = new OrganisationKey { OrganisationId = organisationId, Key = key } }, reason, cancellationToken);

    public Task<ProposalSubmitted> ProposeSuspendAsync(string organisationId, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { SuspendOrganisation = organisationId }, reason, cancellationToken);

    public Task<ProposalSubmitted> ProposeReinstateAsync(string organisationId, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { ReinstateOrganisation = organisationId }, reason, cancellationToken);

    public Task<ProposalSubmitted> ProposeAddValidatorAsync(Validator validator, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { AddValidator = validator }, reason, cancellationToken);

    /// <param name="evidenceKeys">State keys of committed equivocation evidence against it ("evidence/&lt;index&gt;/&lt;height&gt;/&lt;round&gt;/&lt;type&gt;"; may be empty).</param>
    public Task<ProposalSubmitted> ProposeRemoveValidatorAsync(
        string organisationId, IEnumerable<string> evidenceKeys, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { RemoveValidator = new RemoveValidator { OrganisationId = organisationId, EvidenceKeys = { evidenceKeys } } }, reason, cancellationToken);

    public Task<ProposalSubmitted> ProposeValidatorPowerAsync(string organisationId, long power, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { SetValidatorPower = new ValidatorPower { OrganisationId = organisationId, Power = power } }, reason, cancellationToken);

    public Task<ProposalSubmitted> ProposeRotateValidatorKeyAsync(
        string organisationId, PublicKey oldKey, PublicKey newKey, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { RotateValidatorKey = new RotateKey { OrganisationId = organisationId, OldKey = oldKey, NewKey = newKey } }, reason, cancellationToken);

    public Task<ProposalSubmitted> ProposeAddCheckpointAsync(CheckpointInfo checkpoint, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { AddCheckpoint = checkpoint }, reason, cancellationToken);

    /// <summary>Closes a checkpoint from the block time that applies the change: events that occur there from then on are refused.</summary>
    public Task<ProposalSubmitted> ProposeCloseCheckpointAsync(string code, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { CloseCheckpoint = code }, reason, cancellationToken);

    /// <summary>Sets the checkpoints a customs post is registered for, replacing the ones it had.</summary>
    public Task<ProposalSubmitted> ProposeRegisterPostAsync(
        string organisationId, IEnumerable<string> checkpoints, string reason, CancellationToken cancellationToken = default) =>
        ProposeAsync(new MembershipChange { RegisterPost = new PostRegistration { OrganisationId = organisationId, Checkpoints = { checkpoints } } }, reason, cancellationToken);
}
