using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Routes;

/// <summary>
/// Moves a consignment along its itinerary by one event and says which breaches the event shows.
/// Mutates the record it was given; the caller stores it.
/// </summary>
public sealed class RouteProgress
{
    private readonly ConsignmentRecord _consignment;
    private readonly CheckpointInfo _checkpoint;
    private readonly RecordCheckpointEvent _event;
    private readonly List<(string Code, string Message)> _breaches = [];

    public RouteProgress(ConsignmentRecord consignment, CheckpointInfo checkpoint, RecordCheckpointEvent @event)
    {
        _consignment = consignment;
        _checkpoint = checkpoint;
        _event = @event;
    }

    /// <summary>Events that open the seals with customs' authority and apply new ones.</summary>
    public static bool OpensSeals(CheckpointEventKind kind) =>
        kind is CheckpointEventKind.Reseal or CheckpointEventKind.Transshipment;

    private static bool ChangesGauge(CheckpointEventKind kind) =>
        kind is CheckpointEventKind.GaugeChange or CheckpointEventKind.Transshipment;

    private bool IsRail => _consignment.Declaration.Mode == TransportMode.Rail;

    public IReadOnlyList<(string Code, string Message)> Advance()
    {
        var itinerary = _consignment.Declaration.Itinerary;
        var index = IndexOf(itinerary, _event.Checkpoint);
        if (index < 0)
        {
            Breach(RuleCatalog.CheckpointNotOnRoute, $"checkpoint '{_event.Checkpoint}' is not in the declared itinerary");
        }
        else if (index > _consignment.LastStopIndex)
        {
            ReachStop(itinerary, index);
        }
        else if (index < _consignment.LastStopIndex)
        {
            Breach(RuleCatalog.CheckpointOutOfSequence,
                $"event at '{_event.Checkpoint}' (stop {index + 1}) after the consignment reached '{itinerary[_consignment.LastStopIndex].Checkpoint}' (stop {_consignment.LastStopIndex + 1})");
        }
        CheckSeals();
        ApplyEffects(itinerary, index);
        return _breaches;
    }

    private void ReachStop(Google.Protobuf.Collections.RepeatedField<ItineraryStop> itinerary, int index)
    {
        var last = _consignment.LastStopIndex;
        if (index > last + 1)
        {
            var skipped = itinerary.Skip(last + 1).Take(index - last - 1).Select(s => s.Checkpoint);
            Breach(RuleCatalog.CheckpointOutOfSequence,
                $"event at '{_event.Checkpoint}' before any event at {string.Join(", ", skipped.Select(c => $"'{c}'"))}");
        }
        if (last >= 0)
        {
            CheckLeg(itinerary, last, index);
        }
        if (IsRail && _checkpoint.GaugeMm != 0 && _checkpoint.Kind != CheckpointKind.RailBorder
            && _checkpoint.GaugeMm != _consignment.CurrentGaugeMm && !ChangesGauge(_event.Kind))
        {
            // Border stations carry both gauges; the check falls on the first stop past them.
            Breach(RuleCatalog.GaugeChangeMissing,
                $"rail consignment on {_consignment.CurrentGaugeMm} mm track reached '{_checkpoint.Code}' ({_checkpoint.GaugeMm} mm) with no gauge-change or transshipment event");
        }
        _consignment.LastStopIndex = index;
    }

    private void CheckLeg(Google.Protobuf.Collections.RepeatedField<ItineraryStop> itinerary, int from, int to)
    {
        var start = _consignment.Events.First(e => string.Equals(e.Event.Checkpoint, itinerary[from].Checkpoint, StringComparison.Ordinal));
        var legMs = _event.OccurredAtMs - start.Event.OccurredAtMs;
        var stop = itinerary[to];
        if (legMs < stop.MinLegMs || (stop.MaxLegMs > 0 && legMs > stop.MaxLegMs))
        {
            Breach(RuleCatalog.TimeWindowViolation,
                $"leg '{itinerary[from].Checkpoint}' to '{stop.Checkpoint}' took {legMs} ms; the window is {stop.MinLegMs} to {(stop.MaxLegMs > 0 ? stop.MaxLegMs : "unbounded")} ms");
        }
    }

    private void CheckSeals()
    {
        if (OpensSeals(_event.Kind))
        {
            return;
        }
        var observed = _event.Seals.Select(s => s.SealId).Order(StringComparer.Ordinal).ToArray();
        if (!observed.SequenceEqual(_consignment.ActiveSeals, StringComparer.Ordinal))
        {
            Breach(RuleCatalog.SealMismatch,
                $"seals observed [{string.Join(", ", observed)}] differ from the active seals [{string.Join(", ", _consignment.ActiveSeals)}]");
        }
        foreach (var seal in _event.Seals.Where(s => s.Status != SealStatus.Sealed))
        {
            Breach(RuleCatalog.SealBroken, $"seal '{seal.SealId}' reported {seal.Status} outside an authorised opening");
        }
    }

    private void ApplyEffects(Google.Protobuf.Collections.RepeatedField<ItineraryStop> itinerary, int index)
    {
        if (OpensSeals(_event.Kind))
        {
            _consignment.ActiveSeals.Clear();
            _consignment.ActiveSeals.AddRange(_event.NewSeals.Select(s => s.SealId).Order(StringComparer.Ordinal));
        }
        if (IsRail && ChangesGauge(_event.Kind))
        {
            _consignment.CurrentGaugeMm = _event.GaugeAfterMm != 0 ? _event.GaugeAfterMm : _checkpoint.GaugeMm;
        }
        if (_event.Kind == CheckpointEventKind.Arrival)
        {
            _consignment.Closed = true;
            if (index != itinerary.Count - 1)
            {
                Breach(RuleCatalog.RouteIncomplete,
                    $"arrival recorded at '{_event.Checkpoint}', not at the declared destination '{itinerary[^1].Checkpoint}'");
            }
        }
    }

    private void Breach(string code, string message) => _breaches.Add((code, message));

    private static int IndexOf(Google.Protobuf.Collections.RepeatedField<ItineraryStop> itinerary, string checkpoint)
    {
        for (var i = 0; i < itinerary.Count; i++)
        {
            if (string.Equals(itinerary[i].Checkpoint, checkpoint, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
