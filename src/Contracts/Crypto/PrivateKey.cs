using System.Security.Cryptography;
using Ledger.Wire;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// A secret signing key in its suite's natural encoding: the 32-byte seed for Ed25519, the 32-byte
/// big-endian scalar for the ECDSA, SM2 and GOST suites (docs/PROTOCOL.md, "Signature suites").
/// </summary>
public sealed record PrivateKey(KeySuite Suite, byte[] Bytes)
{
    // Compared by content, in constant time, so that a loaded key equals the key that was saved and the
    // comparison leaks nothing about where two secrets differ.
    public bool Equals(PrivateKey? other) =>
        other is not null && Suite == other.Suite && CryptographicOperations.FixedTimeEquals(Bytes, other.Bytes);

    public override int GetHashCode() => HashCode.Combine(Suite, Bytes.Length);

    // The generated ToString would be harmless today, but a secret must never reach a log by accident.
    public override string ToString() => $"PrivateKey {{ Suite = {Suite}, Bytes = <secret> }}";
}
