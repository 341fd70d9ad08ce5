using Google.Protobuf;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Tests.Consensus;

/// <summary>A hand-driven host for driver tests: known blocks, the next value to propose, decided certificates.</summary>
internal sealed class DriverTestHost : IProposalValidator, IBlockSource, ICommitHistory
{
    public const string Chain = "ledger-test";

    public DriverTestHost(int validators = 4) => Keys = new HmacTestKeys(validators);

    public HmacTestKeys Keys { get; }

    public ConsensusValidatorSet Validators { get; } = ConsensusValidatorSet.Equal(4);

    /// <summary>Block ids this host holds, and whether each is valid.</summary>
    public Dictionary<Hash32, bool> Blocks { get; } = [];

    public Hash32 NextValue { get; set; } = Hash32.Sha256("proposed"u8);

    public Dictionary<ulong, CommitCertificate> Certificates { get; } = [];

    public ConsensusDriver Driver(int index) => new(
        new ConsensusConfig(Chain, TimeoutConfig.Default), Validators, Keys.SignerFor(index), Keys, this, this, this);

    public BlockValidity Validate(ulong height, Hash32 blockId) =>
        Blocks.TryGetValue(blockId, out var valid) ? (valid ? BlockValidity.Valid : BlockValidity.Invalid) : BlockValidity.Unknown;

    /// <summary>Blocks whose time this node's clock would find too far ahead (timely(v) false at L22).</summary>
    public HashSet<Hash32> Untimely { get; } = [];

    public bool IsTimely(ulong height, Hash32 blockId) => !Untimely.Contains(blockId);

    public Hash32 ProposeValue(ulong height, int round)
    {
        Blocks[NextValue] = true;
        return NextValue;
    }

    public CommitCertificate? FindCertificate(ulong height) => Certificates.GetValueOrDefault(height);

    public SignedVote Vote(int validator, VoteType type, ulong height, int round, Hash32? value) =>
        new(type, height, round, value, validator, Keys.Sign(validator, ConsensusSignBytes.ForVote(Chain, type, height, round, value)));

    public SignedProposal Proposal(int proposer, ulong height, int round, Hash32 value, int validRound = -1) =>
        new(height, round, value, validRound, proposer,
            Keys.Sign(proposer, ConsensusSignBytes.ForProposal(Chain, height, round, value, validRound)));

    public CommitCertificate Certificate(ulong height, int round, Hash32 value, params int[] signers)
    {
        var certificate = new CommitCertificate { Height = height, Round = (uint)round, BlockHash = ByteString.CopyFrom(value.Span) };
        foreach (var signer in signers)
        {
            certificate.Signatures.Add(new CommitSignature
            {
                ValidatorIndex = (uint)signer,
                Signature = ByteString.CopyFrom(Vote(signer, VoteType.Precommit, height, round, value).Signature),
            });
        }
        return certificate;
    }
}
