using Ledger.Contracts.Execution;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Routes;

/// <summary>
/// A customs post records what it saw at a checkpoint. Malformed or unauthorised events are refused;
/// what happened in the world (a late leg, a broken seal, a skipped checkpoint) is recorded as a breach.
/// </summary>
public static class CheckpointContract
{
    public static Refusal? Record(TxContext ctx, RecordCheckpointEvent tx)
    {
        var consignment = ctx.State.Consignment(tx.ConsignmentId);
        if (consignment is null)
        {
            return new Refusal(RuleCatalog.ConsignmentUnknown, $"consignment_id '{tx.ConsignmentId}' was never declared");
        }
        var refusal = CheckEvent(ctx, tx, consignment);
        if (refusal is not null)
        {
            return refusal;
        }
        var checkpoint = Checkpoints.Find(ctx.State.Config, tx.Checkpoint)!;
        var breaches = new RouteProgress(consignment, checkpoint, tx).Advance();
        foreach (var (code, message) in breaches)
        {
            var breach = new RouteBreach { Code = code, Message = message, Checkpoint = tx.Checkpoint, Height = ctx.Block.Height };
            consignment.Breaches.Add(breach);
            ctx.Breaches.Add(breach);
        }
        consignment.Events.Add(new CheckpointEventRecord
        {
            Event = tx,
            RecordedBy = ctx.SignerId,
            TxId = Google.Protobuf.ByteString.CopyFrom(ctx.TxId.Span),
            Height = ctx.Block.Height,
        });
        ctx.State.Put(consignment);
        return null;
    }

    private static Refusal? CheckEvent(TxContext ctx, RecordCheckpointEvent tx, ConsignmentRecord consignment)
    {
        if (consignment.Closed)
        {
            return new Refusal(RuleCatalog.ConsignmentClosed, $"consignment '{tx.ConsignmentId}' arrived and is closed; no event can follow");
        }
        if (Checkpoints.Find(ctx.State.Config, tx.Checkpoint) is null)
        {
            return new Refusal(RuleCatalog.CheckpointUnknown, $"checkpoint '{tx.Checkpoint}' is not in the registry");
        }
        if (Checkpoints.Find(ctx.State.Config, tx.Checkpoint)!.ClosedAtMs is var closedAtMs and not 0 && tx.OccurredAtMs >= closedAtMs)
        {
            // Judged by when the event happened, not when it reached a block: a post that was offline records what it saw before the closure.
            return new Refusal(RuleCatalog.CheckpointClosed,
                $"checkpoint '{tx.Checkpoint}' was closed at {closedAtMs} (Unix ms); occurred_at_ms {tx.OccurredAtMs} is not before it");
        }
        if (!ctx.Signer.Organisation.Checkpoints.Contains(tx.Checkpoint))
        {
            return new Refusal(RuleCatalog.RecorderNotAuthorised,
                $"'{ctx.SignerId}' is not registered as the customs post of checkpoint '{tx.Checkpoint}'");
        }
        if (tx.Kind == CheckpointEventKind.Unspecified || tx.OccurredAtMs <= 0)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, "an event needs its kind and occurred_at_ms");
        }
        if (tx.OccurredAtMs > ctx.Block.TimeMs)
        {
            return new Refusal(RuleCatalog.TimeInFuture, $"occurred_at_ms {tx.OccurredAtMs} is after the block time {ctx.Block.TimeMs}");
        }
        if (RouteProgress.OpensSeals(tx.Kind) && tx.NewSeals.Count == 0)
        {
            return new Refusal(RuleCatalog.RequiredFieldMissing, $"a {tx.Kind} event must name the new_seals applied");
        }
        if (consignment.Events.Any(e => string.Equals(e.Event.Checkpoint, tx.Checkpoint, StringComparison.Ordinal)
                && e.Event.Kind == tx.Kind && e.Event.OccurredAtMs == tx.OccurredAtMs))
        {
            return new Refusal(RuleCatalog.EventDuplicate,
                $"a {tx.Kind} event at '{tx.Checkpoint}' at {tx.OccurredAtMs} is already recorded on '{tx.ConsignmentId}'");
        }
        return null;
    }
}
