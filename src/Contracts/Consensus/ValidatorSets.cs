using Ledger.Wire;

namespace Ledger.Contracts.Consensus;

/// <summary>
/// Every roster of a chain, each with the first height it signs: the genesis roster from height 1, then one per
/// height at which a governance change took effect (PROTOCOL.md, "Validator sets").
/// </summary>
public sealed class ValidatorSets
{
    private readonly HeightValidators[] _sets;

    public ValidatorSets(string chainId, ValidatorSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Sets.Count == 0 || schedule.Sets[0].FromHeight != 1)
        {
            throw new ArgumentException("a validator schedule starts with the genesis roster, from height 1", nameof(schedule));
        }
        for (var i = 1; i < schedule.Sets.Count; i++)
        {
            if (schedule.Sets[i].FromHeight <= schedule.Sets[i - 1].FromHeight)
            {
                throw new ArgumentException("a validator schedule's heights increase", nameof(schedule));
            }
        }
        _sets = schedule.Sets.Select(s => new HeightValidators(chainId, s.FromHeight, s.Validators)).ToArray();
    }

    /// <summary>The schedule of a chain whose roster never changed.</summary>
    public static ValidatorSchedule Genesis(IEnumerable<Validator> validators)
    {
        var first = new ValidatorSetAt { FromHeight = 1 };
        first.Validators.AddRange(validators);
        var schedule = new ValidatorSchedule();
        schedule.Sets.Add(first);
        return schedule;
    }

    public IReadOnlyList<HeightValidators> All => _sets;

    /// <summary>The latest roster scheduled, which may sign only heights still to come.</summary>
    public HeightValidators Latest => _sets[^1];

    /// <summary>The roster that signs <paramref name="height"/> (at least 1).</summary>
    public HeightValidators At(ulong height)
    {
        for (var i = _sets.Length - 1; i > 0; i--)
        {
            if (_sets[i].FromHeight <= height)
            {
                return _sets[i];
            }
        }
        return _sets[0];
    }

    /// <summary>The roster holding this key at any height (keys are never reused), latest first; null if none.</summary>
    public (HeightValidators Roster, int Index)? Holding(PublicKey key)
    {
        for (var i = _sets.Length - 1; i >= 0; i--)
        {
            var index = _sets[i].IndexOf(key);
            if (index >= 0)
            {
                return (_sets[i], index);
            }
        }
        return null;
    }
}
