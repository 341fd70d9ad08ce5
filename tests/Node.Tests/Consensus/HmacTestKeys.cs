using System.Security.Cryptography;
using System.Text;
using Ledger.Contracts.Consensus;
using Ledger.Node.Consensus;

namespace Ledger.Node.Tests.Consensus;

/// <summary>
/// Stand-in validator keys for tests: HMAC-SHA256 with a per-validator secret derived from a label. Not a
/// signature scheme (whoever verifies can forge), which is fine for a test that owns every key.
/// </summary>
internal sealed class HmacTestKeys : IConsensusVerifier
{
    private readonly byte[][] _secrets;

    public HmacTestKeys(int count, string label = "test")
    {
        _secrets = Enumerable.Range(0, count)
            .Select(i => SHA256.HashData(Encoding.UTF8.GetBytes($"{label}/validator/{i}")))
            .ToArray();
    }

    public IConsensusSigner SignerFor(int index) => new HmacTestSigner(index, _secrets[index]);

    public byte[] Sign(int index, byte[] signBytes) => HMACSHA256.HashData(_secrets[index], signBytes);

    public bool Verify(int validatorIndex, byte[] signBytes, byte[] signature) =>
        validatorIndex >= 0 && validatorIndex < _secrets.Length
        && CryptographicOperations.FixedTimeEquals(Sign(validatorIndex, signBytes), signature);
}
