namespace Ledger.Contracts.Consensus;

/// <summary>
/// The validators of a height, in their fixed (genesis) order, with voting power. Validators are named by
/// their index in this order everywhere in consensus; the host maps indexes to keys and organisations.
/// </summary>
public sealed class ConsensusValidatorSet
{
    /// <summary>Keeps 3 × total power far from overflow in the threshold arithmetic.</summary>
    public const long TotalPowerMax = long.MaxValue / 4;

    private readonly long[] _powers;

    public ConsensusValidatorSet(IReadOnlyList<long> powers)
    {
        ArgumentNullException.ThrowIfNull(powers);
        if (powers.Count == 0)
        {
            throw new ArgumentException("a validator set has at least one validator", nameof(powers));
        }
        _powers = [.. powers];
        long total = 0;
        foreach (var power in _powers)
        {
            if (power <= 0 || power > TotalPowerMax - total)
            {
                throw new ArgumentException($"each power is positive and the total at most {TotalPowerMax}", nameof(powers));
            }
            total += power;
        }
        TotalPower = total;
    }

    /// <summary>A set of <paramref name="count"/> validators of power 1 each.</summary>
    public static ConsensusValidatorSet Equal(int count) => new(Enumerable.Repeat(1L, count).ToArray());

    public int Count => _powers.Length;

    public long TotalPower { get; }

    public bool Contains(int index) => index >= 0 && index < _powers.Length;

    public long PowerOf(int index) => _powers[index];

    /// <summary>More than two thirds of the power: the paper's 2f+1.</summary>
    public bool IsQuorum(long power) => power * 3 > TotalPower * 2;

    /// <summary>More than one third of the power: the paper's f+1, at least one correct validator.</summary>
    public bool IsMoreThanOneThird(long power) => power * 3 > TotalPower;

    /// <summary>
    /// proposer(h, r) = validators[(h + r) mod n]. Round robin ignores power on purpose: with equal power it
    /// is fair, and a dead validator costs at most one round in n heights.
    /// </summary>
    public int ProposerOf(ulong height, int round) => (int)((height + (ulong)round) % (ulong)_powers.Length);
}
