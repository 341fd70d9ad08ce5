using Ledger.Contracts.Blocks;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Consensus;

/// <summary>The hash of a validator roster that headers carry (PROTOCOL.md, "Validator sets").</summary>
public static class ValidatorSetHashing
{
    public const string Tag = "ledger.v1/validators";

    public static Hash32 Hash(string chainId, IReadOnlyList<Validator> roster)
    {
        var writer = new CanonicalWriter().U32((uint)roster.Count);
        foreach (var validator in roster)
        {
            writer.String(validator.OrganisationId).U32((uint)validator.Key.Suite).Bytes(validator.Key.Key.Span).I64(validator.Power);
        }
        return Hash32.Sha256(SignedBytes.Compose(Tag, chainId, writer.ToArray()));
    }
}
