using Ledger.Contracts.Crypto;

namespace Ledger.Contracts.Tests.Crypto;

/// <summary>Every hash of the ledger goes through <see cref="Sha256"/>: it must be SHA-256 exactly, on every path.</summary>
public sealed class Sha256Tests
{
    [Theory]
    // FIPS 180-2, appendix B.1 and B.2, and the digest of no bytes.
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Known_answers(string message, string digest)
    {
        Hash32.Sha256(System.Text.Encoding.ASCII.GetBytes(message)).ToString().Should().Be(digest);
    }

    [Fact]
    public void On_linux_the_digest_comes_from_libcrypto_directly()
    {
        // The EVP path is the one every test here exercises on the machines CI runs on.
        Sha256.CallsLibcryptoDirectly.Should().Be(OperatingSystem.IsLinux());
    }

    [Fact]
    public void Agrees_with_the_runtime_for_every_length_across_block_boundaries_and_for_a_large_input()
    {
        var random = new Random(42);
        var lengths = Enumerable.Range(0, 300).Append(1_200).Append(5 * 1024 * 1024);
        Span<byte> digest = stackalloc byte[Sha256.DigestBytes + 1];
        foreach (var length in lengths)
        {
            var data = new byte[length];
            random.NextBytes(data);
            digest.Clear();
            Sha256.Hash(data, digest);
            digest[..Sha256.DigestBytes].ToArray().Should().Equal(System.Security.Cryptography.SHA256.HashData(data), $"{length} bytes");
            digest[Sha256.DigestBytes].Should().Be(0, "only 32 bytes are written");
        }
    }

    [Fact]
    public void Threads_hashing_at_once_each_get_the_digest_of_their_own_input()
    {
        // Each thread keeps its own digest context: one shared by two threads would mix their inputs.
        var random = new Random(7);
        var inputs = Enumerable.Range(0, 64).Select(i =>
        {
            var data = new byte[(i * 37) % 300];
            random.NextBytes(data);
            return data;
        }).ToArray();
        var expected = inputs.Select(i => System.Security.Cryptography.SHA256.HashData(i)).ToArray();
        var wrong = 0;

        Parallel.For(0, 50_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            Span<byte> digest = stackalloc byte[Sha256.DigestBytes];
            Sha256.Hash(inputs[i % inputs.Length], digest);
            if (!digest.SequenceEqual(expected[i % inputs.Length]))
            {
                Interlocked.Increment(ref wrong);
            }
        });

        wrong.Should().Be(0);
    }

    [Fact]
    public void A_digest_buffer_shorter_than_32_bytes_is_refused()
    {
        var hash = () => Sha256.Hash([1, 2, 3], new byte[31]);

        hash.Should().Throw<ArgumentOutOfRangeException>();
    }
}
