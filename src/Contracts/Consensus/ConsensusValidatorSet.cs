namespace Ledger.Contracts.Consensus;

/// <summary>
/// The validators of a height by roster position, with voting power. The roster is every validator the chain
/// has had, in order of admission; a position is never reused, so an index names one validator for good. A
/// position of power 0 is not a member at this height: it signs nothing that counts and never proposes.
/// </summary>
public sealed class ConsensusValidatorSet
{
    /// <summary>Keeps 3 × total power far from overflow in the threshold arithmetic.</summary>
    public const long TotalPowerMax = long.MaxValue / 4;

    private readonly long[] _powers;
    private readonly int[] _members;

    public ConsensusValidatorSet(IReadOnlyList<long> powers)
    {
        ArgumentNullException.ThrowIfNull(powers);
        _powers = [.. powers];
        long total = 0;
        foreach (var power in _powers)
        {
            if (power < 0 || power > TotalPowerMax - total)
            {
                throw new ArgumentException($"each power is zero or positive and the total at most {TotalPowerMax}", nameof(powers));
            }
            total += power;
        }
        if (total == 0)
        {
            throw new ArgumentException("a validator set has at least one validator of positive power", nameof(powers));
        }
        TotalPower = total;
        _members = Enumerable.Range(0, _powers.Length).Where(i => _powers[i] > 0).ToArray();
    }

    /// <summary>A set of <paramref name="count"/> validators of power 1 each.</summary>
    public static ConsensusValidatorSet Equal(int count) => new(Enumerable.Repeat(1L, count).ToArray());

    /// <summary>Roster positions, members or not: the size of any array indexed by validator.</summary>
    public int Count => _powers.Length;

    /// <summary>Positions with positive power, in roster order.</summary>
    public IReadOnlyList<int> Members => _members;

    public long TotalPower { get; }

    /// <summary>Whether the position is a member at this height (positive power).</summary>
    public bool Contains(int index) => index >= 0 && index < _powers.Length && _powers[index] > 0;

    public long PowerOf(int index) => _powers[index];

    /// <summary>More than two thirds of the power: the paper's 2f+1.</summary>
    public bool IsQuorum(long power) => power * 3 > TotalPower * 2;

    /// <summary>More than one third of the power: the paper's f+1, at least one correct validator.</summary>
    public bool IsMoreThanOneThird(long power) => power * 3 > TotalPower;

    /// <summary>
    /// proposer(h, r) = members[(h + r) mod n], members in roster order. Round robin ignores power on purpose: with
    /// equal power it is fair, and a dead validator costs at most one round in n heights.
    /// </summary>
    public int ProposerOf(ulong height, int round) => _members[(int)((height + (ulong)round) % (ulong)_members.Length)];
}
