using Ledger.Wire;

namespace Ledger.Contracts.Crypto;

/// <summary>A public key and the private key it derives from; both of the same suite.</summary>
public sealed record KeyPair(PublicKey Public, PrivateKey Private);
