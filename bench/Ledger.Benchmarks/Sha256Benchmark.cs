using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;

namespace Ledger.Benchmarks;

/// <summary>
/// The ledger's SHA-256 (OpenSSL's EVP interface with a context kept per thread, where available) against
/// <c>SHA256.HashData</c>, for the inputs the ledger hashes most: a Merkle node (33 bytes), a state-tree node
/// (65) and a transaction body (1,200).
/// </summary>
[MemoryDiagnoser]
public class Sha256Benchmark
{
    private readonly byte[] _digest = new byte[32];
    private byte[] _data = [];

    [Params(33, 65, 1200)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup() => _data = RandomNumberGenerator.GetBytes(Bytes);

    [Benchmark(Baseline = true)]
    public void HashData() => SHA256.HashData(_data, _digest);

    [Benchmark]
    public void Ledger() => Contracts.Crypto.Sha256.Hash(_data, _digest);
}
