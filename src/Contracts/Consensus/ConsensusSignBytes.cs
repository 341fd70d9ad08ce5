using System.Buffers.Binary;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Contracts.Consensus;

/// <summary>
/// The exact bytes a validator signs for a vote or a proposal, defined once (docs/PROTOCOL.md, "Consensus",
/// "Sign bytes"). <c>SignedBytes.Compose(tag, chain_id, payload)</c> with tag <c>ledger.v1/vote</c> or
/// <c>ledger.v1/proposal</c> and a fixed-width big-endian payload:
/// <code>
/// vote:     height u64 | round u32 | type u8 | block hash 32 bytes (32 zero bytes for nil)          = 45 bytes
/// proposal: height u64 | round u32 | type u8 | block hash 32 bytes | valid round i32 (-1 = none)  = 49 bytes
/// </code>
/// Type bytes are CometBFT's: prevote 0x01, precommit 0x02, proposal 0x20. Fixed width leaves no room for two
/// encodings of one message, unlike a protobuf re-serialisation. An all-zero block hash is reserved for nil.
/// </summary>
public static class ConsensusSignBytes
{
    public const byte PrevoteType = 0x01;
    public const byte PrecommitType = 0x02;
    public const byte ProposalType = 0x20;
    public const int VotePayloadBytes = 8 + 4 + 1 + Hash32.Size;
    public const int ProposalPayloadBytes = VotePayloadBytes + 4;

    public static byte[] ForVote(string chainId, VoteType type, ulong height, int round, Hash32? value)
    {
        var typeByte = type switch
        {
            VoteType.Prevote => PrevoteType,
            VoteType.Precommit => PrecommitType,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "a vote is a prevote or a precommit"),
        };
        Span<byte> payload = stackalloc byte[VotePayloadBytes];
        WriteCommon(payload, height, round, typeByte, value);
        return SignedBytes.Compose(SignedBytes.VoteTag, chainId, payload);
    }

    public static byte[] ForProposal(string chainId, ulong height, int round, Hash32 value, int validRound)
    {
        if (validRound < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(validRound), validRound, "the valid round is -1 or a round");
        }
        Span<byte> payload = stackalloc byte[ProposalPayloadBytes];
        WriteCommon(payload, height, round, ProposalType, value);
        BinaryPrimitives.WriteInt32BigEndian(payload[VotePayloadBytes..], validRound);
        return SignedBytes.Compose(SignedBytes.ProposalTag, chainId, payload);
    }

    private static void WriteCommon(Span<byte> payload, ulong height, int round, byte type, Hash32? value)
    {
        if (round < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(round), round, "rounds start at 0");
        }
        BinaryPrimitives.WriteUInt64BigEndian(payload, height);
        BinaryPrimitives.WriteUInt32BigEndian(payload[8..], (uint)round);
        payload[12] = type;
        // Nil is 32 zero bytes; the span is zeroed already when value is null.
        var hash = payload.Slice(13, Hash32.Size);
        hash.Clear();
        value?.Span.CopyTo(hash);
    }
}
