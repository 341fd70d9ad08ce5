using System.Security.Cryptography;
using Ledger.Node.Consensus;

namespace Ledger.Node.Tests.Consensus;

/// <summary>One validator's HMAC test key (see <see cref="HmacTestKeys"/>).</summary>
internal sealed class HmacTestSigner(int validatorIndex, byte[] secret) : IConsensusSigner
{
    public int ValidatorIndex { get; } = validatorIndex;

    public byte[] Sign(byte[] signBytes) => HMACSHA256.HashData(secret, signBytes);
}
