using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Consensus;

/// <summary>
/// Checks that a commit certificate proves a decision: precommits for (height, round, block_hash), from distinct
/// known validators sorted by index, each verifying over the precommit sign bytes, holding more than two thirds
/// of the power. Pure; usable by block sync, light clients and auditors. The caller checks that height and
/// block hash are the ones it expects.
/// </summary>
public static class CommitCertificateVerifier
{
    public static CommitCertificateVerdict Verify(
        ConsensusValidatorSet validators,
        string chainId,
        CommitCertificate? certificate,
        IConsensusVerifier verifier)
    {
        ArgumentNullException.ThrowIfNull(validators);
        ArgumentNullException.ThrowIfNull(verifier);
        if (certificate is null || certificate.BlockHash.Length != Hash32.Size || certificate.Round > int.MaxValue)
        {
            return CommitCertificateVerdict.Malformed;
        }
        var blockHash = new Hash32(certificate.BlockHash.Span);
        if (blockHash == Hash32.Zero)
        {
            // The zero hash encodes nil in the sign bytes: a "certificate" for it would certify nothing.
            return CommitCertificateVerdict.Malformed;
        }
        var signBytes = ConsensusSignBytes.ForVote(chainId, VoteType.Precommit, certificate.Height, (int)certificate.Round, blockHash);
        long power = 0;
        long previous = -1;
        foreach (var signature in certificate.Signatures)
        {
            if (signature.ValidatorIndex <= previous)
            {
                return CommitCertificateVerdict.NotSortedOrDuplicate;
            }
            previous = signature.ValidatorIndex;
            if (signature.ValidatorIndex > int.MaxValue || !validators.Contains((int)signature.ValidatorIndex))
            {
                return CommitCertificateVerdict.UnknownValidator;
            }
            var index = (int)signature.ValidatorIndex;
            if (!verifier.Verify(index, signBytes, signature.Signature.ToByteArray()))
            {
                return CommitCertificateVerdict.BadSignature;
            }
            power += validators.PowerOf(index);
        }
        return validators.IsQuorum(power) ? CommitCertificateVerdict.Valid : CommitCertificateVerdict.InsufficientPower;
    }
}
