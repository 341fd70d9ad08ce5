using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus.Simulation;

/// <summary>Safety, checked at the moment each decision or send happens (so after every step of the run).</summary>
internal sealed class SimulationInvariants(Simulation simulation)
{
    private readonly Dictionary<ulong, Hash32> _decided = [];
    private readonly Dictionary<(int Validator, ulong Height, int Round, byte Type), Hash32?> _signed = [];

    /// <summary>No honest validator ever sends two different signed messages for one (height, round, type), across crashes too.</summary>
    public void OnHonestSend(int validator, ConsensusMessage message)
    {
        var (signer, type, value) = message switch
        {
            SignedProposal p => (p.ProposerIndex, ConsensusSignBytes.ProposalType, (Hash32?)p.Value),
            SignedVote v => (v.ValidatorIndex, v.Type == VoteType.Prevote ? ConsensusSignBytes.PrevoteType : ConsensusSignBytes.PrecommitType, v.Value),
            _ => (-1, (byte)0, null),
        };
        if (signer != validator)
        {
            // Certificate offers and relayed polka prevotes carry other validators' signatures.
            return;
        }
        var key = (validator, message.Height, message.Round, type);
        if (_signed.TryGetValue(key, out var previous) && previous != value)
        {
            simulation.Fail($"honest validator {validator} signed two different messages of type {type} at height {message.Height} round {message.Round}: {Show(previous)} and {Show(value)}");
        }
        _signed[key] = value;
    }

    private static string Show(Hash32? value) => value?.ToString() ?? "nil";

    /// <summary>Agreement, validity, and a certificate that verifies.</summary>
    public void OnDecide(int validator, DriverEffect.Decide decision)
    {
        if (_decided.TryGetValue(decision.Height, out var earlier) && earlier != decision.BlockId)
        {
            simulation.Fail($"agreement broken at height {decision.Height}: {earlier} and {decision.BlockId} (validator {validator})");
        }
        _decided[decision.Height] = decision.BlockId;
        if (!simulation.WasProposed(decision.BlockId) || !SyntheticBlocks.IsValid(decision.BlockId, simulation.Options.InvalidBlockFraction))
        {
            simulation.Fail($"validity broken: validator {validator} decided {decision.BlockId}, never proposed or invalid");
        }
        var certificate = decision.Certificate;
        var verdict = CommitCertificateVerifier.Verify(simulation.ValidatorSet, Simulation.ChainId, certificate, simulation.Keys);
        if (verdict != CommitCertificateVerdict.Valid || certificate.Height != decision.Height
            || certificate.Round != decision.Round || !certificate.BlockHash.Span.SequenceEqual(decision.BlockId.Span))
        {
            simulation.Fail($"validator {validator} decided height {decision.Height} with a certificate that does not verify: {verdict}");
        }
        var signers = certificate.Signatures.Select(s => (int)s.ValidatorIndex).Distinct().ToList();
        var power = signers.Sum(simulation.ValidatorSet.PowerOf);
        // Counted here rather than by ConsensusValidatorSet.IsQuorum, so that a wrong threshold in the code under
        // test cannot approve its own certificates.
        if (power * 3 <= simulation.ValidatorSet.TotalPower * 2)
        {
            simulation.Fail($"validator {validator} decided height {decision.Height} with a certificate of {power} of {simulation.ValidatorSet.TotalPower} power, not more than two thirds");
        }
    }
}
