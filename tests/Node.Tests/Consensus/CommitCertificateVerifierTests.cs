using Google.Protobuf;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus;

public sealed class CommitCertificateVerifierTests
{
    private const string Chain = "ledger-test";
    private static readonly Hash32 A = Hash32.Sha256("a"u8);
    private readonly HmacTestKeys _keys = new(4);
    private readonly ConsensusValidatorSet _validators = ConsensusValidatorSet.Equal(4);

    private CommitCertificate Certificate(params int[] signers)
    {
        var certificate = new CommitCertificate { Height = 7, Round = 2, BlockHash = ByteString.CopyFrom(A.Span) };
        var signBytes = ConsensusSignBytes.ForVote(Chain, VoteType.Precommit, 7, 2, A);
        foreach (var signer in signers)
        {
            certificate.Signatures.Add(new CommitSignature
            {
                ValidatorIndex = (uint)signer,
                Signature = ByteString.CopyFrom(_keys.Sign(signer, signBytes)),
            });
        }
        return certificate;
    }

    private CommitCertificateVerdict Verify(CommitCertificate certificate, string chain = Chain) =>
        CommitCertificateVerifier.Verify(_validators, chain, certificate, _keys);

    [Fact]
    public void Accepts_precommits_of_more_than_two_thirds_sorted_by_validator()
    {
        Verify(Certificate(0, 2, 3)).Should().Be(CommitCertificateVerdict.Valid);
    }

    [Fact]
    public void Refuses_two_thirds_or_less()
    {
        Verify(Certificate(0, 3)).Should().Be(CommitCertificateVerdict.InsufficientPower);
    }

    [Fact]
    public void Refuses_unsorted_or_repeated_signers()
    {
        Verify(Certificate(2, 0, 3)).Should().Be(CommitCertificateVerdict.NotSortedOrDuplicate);
        Verify(Certificate(0, 2, 2, 3)).Should().Be(CommitCertificateVerdict.NotSortedOrDuplicate);
    }

    [Fact]
    public void Refuses_an_unknown_validator()
    {
        var certificate = Certificate(0, 1, 2);
        certificate.Signatures.Add(new CommitSignature { ValidatorIndex = 9, Signature = ByteString.CopyFrom(new byte[32]) });

        Verify(certificate).Should().Be(CommitCertificateVerdict.UnknownValidator);
    }

    [Fact]
    public void Refuses_a_signature_for_another_chain_or_block()
    {
        Verify(Certificate(0, 1, 2), "other-chain").Should().Be(CommitCertificateVerdict.BadSignature);
        var certificate = Certificate(0, 1, 2);
        certificate.BlockHash = ByteString.CopyFrom(Hash32.Sha256("b"u8).Span);
        Verify(certificate).Should().Be(CommitCertificateVerdict.BadSignature);
    }

    [Fact]
    public void Refuses_a_malformed_block_hash()
    {
        var certificate = Certificate(0, 1, 2);
        certificate.BlockHash = ByteString.CopyFrom(new byte[31]);

        Verify(certificate).Should().Be(CommitCertificateVerdict.Malformed);
    }
}
