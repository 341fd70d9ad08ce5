using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Node.Devnet;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.HostSimulation;

/// <summary>
/// The corridor genesis with keys derived from names instead of drawn at random (Ed25519 signs deterministically), so a
/// seed replays the same blocks, ids and signatures in every run.
/// </summary>
internal sealed record SimulationGenesis(GenesisDocument Document, IReadOnlyDictionary<string, KeyPair> MemberKeys, IReadOnlyList<KeyPair> ValidatorKeys)
{
    public const string ChainId = "host-sim";

    private static readonly Dictionary<int, SimulationGenesis> Made = [];

    public static SimulationGenesis For(int validators)
    {
        lock (Made)
        {
            if (!Made.TryGetValue(validators, out var genesis))
            {
                Made[validators] = genesis = Create(validators);
            }
            return genesis;
        }
    }

    private static SimulationGenesis Create(int validators)
    {
        var (document, _, _) = CorridorGenesis.Create(ChainId, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), validators);
        var keys = document.Organisations.ToDictionary(o => o.Id, o => KeyOf(o.Id), StringComparer.Ordinal);
        var organisations = document.Organisations.Select(o => o with { Keys = [PublicKeyText.Format(keys[o.Id].Public)] }).ToArray();
        var validatorList = document.Validators.Select(v => v with { Key = PublicKeyText.Format(keys[v.Organisation].Public) }).ToArray();
        var members = keys.Where(k => !k.Key.StartsWith("validator-", StringComparison.Ordinal)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        return new SimulationGenesis(
            document with { Organisations = organisations, Validators = validatorList },
            members,
            document.Validators.Select(v => keys[v.Organisation]).ToArray());
    }

    private static KeyPair KeyOf(string id) => SignatureSuites.For(KeySuite.Ed25519).FromPrivateKey(Hash32.Sha256(System.Text.Encoding.UTF8.GetBytes("host-sim/" + id)).Span);
}
