using Ledger.Contracts.Certificates;
using Ledger.Contracts.Membership;
using Ledger.Contracts.Routes;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>
/// Runs one decoded transaction against the state: who signed it and whether they may, then its
/// contract. A refused transaction leaves the state as it was, apart from being marked committed.
/// </summary>
public static class TransactionExecutor
{
    public static Receipt Execute(BlockContext block, DecodedTransaction tx, uint position, StateOverlay blockState, NetworkConfig config)
    {
        var txState = new StateOverlay(blockState);
        var state = new LedgerState(txState, config);
        if (state.Transaction(tx.Id) is { } earlier)
        {
            // Nothing is written: the earlier commit already marks this id.
            return TransactionOutcome.Refused(tx.Id, new Refusal(RuleCatalog.TxDuplicate,
                $"transaction {tx.Id} was already committed at height {earlier.Height}, position {earlier.Position}"));
        }

        var (refusal, breaches) = Run(block, tx, state);
        if (refusal is null)
        {
            txState.CommitInto(blockState);
        }
        // Marked committed whatever the outcome, so that the same transaction is never executed twice.
        new LedgerState(blockState, config).Put(tx.Id, new TxLocation { Height = block.Height, Position = position });
        return refusal is null ? TransactionOutcome.Accepted(tx, breaches) : TransactionOutcome.Refused(tx.Id, refusal);
    }

    private static (Refusal? Refusal, IReadOnlyList<RouteBreach> Breaches) Run(BlockContext block, DecodedTransaction tx, LedgerState state)
    {
        var signer = state.Organisation(tx.Body.SignerOrg);
        var identity = SignerCheck.Check(signer, tx.Body, block.TimeMs, RequiredRoles(tx.Body.KindCase));
        if (identity is not null)
        {
            return (identity, []);
        }
        var ctx = new TxContext(block, tx, signer!, state);
        var refusal = Dispatch(ctx);
        return (refusal, ctx.Breaches);
    }

    private static Refusal? Dispatch(TxContext ctx)
    {
        var body = ctx.Transaction.Body;
        return body.KindCase switch
        {
            TxBody.KindOneofCase.ProposeMembershipChange => MembershipContract.Propose(ctx, body.ProposeMembershipChange),
            TxBody.KindOneofCase.ApproveMembershipChange => MembershipContract.Approve(ctx, body.ApproveMembershipChange),
            TxBody.KindOneofCase.IssueCertificate => CertificateContract.Issue(ctx, body.IssueCertificate),
            TxBody.KindOneofCase.ReplaceCertificate => CertificateContract.Replace(ctx, body.ReplaceCertificate),
            TxBody.KindOneofCase.RevokeCertificate => CertificateLifecycle.Revoke(ctx, body.RevokeCertificate),
            TxBody.KindOneofCase.SuspendCertificate => CertificateLifecycle.Suspend(ctx, body.SuspendCertificate),
            TxBody.KindOneofCase.ReinstateCertificate => CertificateLifecycle.Reinstate(ctx, body.ReinstateCertificate),
            TxBody.KindOneofCase.IssueDuplicate => CertificateContract.IssueDuplicate(ctx, body.IssueDuplicate),
            TxBody.KindOneofCase.RecordUse => CertificateUse.Record(ctx, body.RecordUse),
            TxBody.KindOneofCase.RequestVerification => CertificateVerification.Request(ctx, body.RequestVerification),
            TxBody.KindOneofCase.AnswerVerification => CertificateVerification.Answer(ctx, body.AnswerVerification),
            TxBody.KindOneofCase.DeclareConsignment => ConsignmentContract.Declare(ctx, body.DeclareConsignment),
            TxBody.KindOneofCase.RecordCheckpointEvent => CheckpointContract.Record(ctx, body.RecordCheckpointEvent),
            _ => new Refusal(RuleCatalog.TxKindUnknown, "the transaction body names no kind this ledger knows"),
        };
    }

    /// <summary>Which roles may sign each kind; holding any one of them is enough.</summary>
    public static IReadOnlyList<Role> RequiredRoles(TxBody.KindOneofCase kind) => kind switch
    {
        TxBody.KindOneofCase.ProposeMembershipChange or TxBody.KindOneofCase.ApproveMembershipChange => Governance.GoverningRoles,
        TxBody.KindOneofCase.IssueCertificate or TxBody.KindOneofCase.ReplaceCertificate or TxBody.KindOneofCase.RevokeCertificate
            or TxBody.KindOneofCase.SuspendCertificate or TxBody.KindOneofCase.ReinstateCertificate
            or TxBody.KindOneofCase.IssueDuplicate or TxBody.KindOneofCase.AnswerVerification => [Role.Chamber],
        TxBody.KindOneofCase.RecordUse or TxBody.KindOneofCase.RequestVerification or TxBody.KindOneofCase.DeclareConsignment => [Role.Customs],
        TxBody.KindOneofCase.RecordCheckpointEvent => [Role.CustomsPost],
        _ => [],
    };
}
