using Ledger.Wire;

namespace Ledger.Contracts.Crypto;

/// <summary>
/// One signature suite of <see cref="KeySuite"/>: key generation, signing and verification with the
/// encodings fixed in docs/PROTOCOL.md, "Signature suites". Implementations are immutable and safe to
/// call from many threads at once, because validators verify transactions in parallel.
/// </summary>
public interface ISignatureSuite
{
    KeySuite Suite { get; }

    /// <summary>Length of an encoded public key of this suite, in bytes.</summary>
    int PublicKeyLength { get; }

    /// <summary>Length of an encoded signature of this suite, in bytes.</summary>
    int SignatureLength { get; }

    /// <summary>A new key pair from the operating system's secure random generator.</summary>
    KeyPair Generate();

    /// <summary>The key pair of a secret in the suite's natural encoding.</summary>
    /// <exception cref="ArgumentException">The secret has the wrong length or is not a valid scalar.</exception>
    KeyPair FromPrivateKey(ReadOnlySpan<byte> secret);

    /// <summary>Signs the message (the suite hashes it as its definition says).</summary>
    /// <exception cref="ArgumentException">The key belongs to another suite or is not valid.</exception>
    byte[] Sign(PrivateKey key, ReadOnlySpan<byte> message);

    /// <summary>
    /// True only if the signature is valid for the message under the public key. Never throws on malformed
    /// input: wrong lengths, points off the curve and garbage all give false.
    /// </summary>
    bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    /// <summary>True if the bytes are a well-formed public key of this suite (length, encoding, on the curve).</summary>
    bool IsValidPublicKey(ReadOnlySpan<byte> publicKey);
}
