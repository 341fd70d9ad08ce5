using Google.Protobuf;
using Ledger.Contracts.Crypto;
using Ledger.Node.Consensus;
using Ledger.Wire;

namespace Ledger.Node.Network;

/// <summary>
/// Consensus messages to and from their wire form. Decoding checks shape only (sizes, ranges); the
/// driver checks every signature.
/// </summary>
public static class ConsensusWire
{
    public static PeerEnvelope ToWire(ConsensusMessage message, Block? block, int fromValidator)
    {
        var envelope = new PeerEnvelope { FromValidator = (uint)fromValidator };
        switch (message)
        {
            case SignedProposal p:
                envelope.Proposal = new ProposalMessage
                {
                    Height = p.Height,
                    Round = (uint)p.Round,
                    ValidRound = p.ValidRound,
                    BlockId = ByteString.CopyFrom(p.Value.Span),
                    ProposerIndex = (uint)p.ProposerIndex,
                    Signature = ByteString.CopyFrom(p.Signature),
                    Block = block,
                };
                break;
            case SignedVote v:
                envelope.Vote = ToWire(v);
                break;
            case CommitOffer o:
                envelope.CommitOffer = new CommitOfferMessage { Certificate = o.Certificate, Block = block };
                break;
            default:
                throw new ArgumentException($"no wire form for {message.GetType().Name}", nameof(message));
        }
        return envelope;
    }

    public static VoteMessage ToWire(SignedVote v) => new()
    {
        Type = v.Type,
        Height = v.Height,
        Round = (uint)v.Round,
        BlockId = v.Value is { } value ? ByteString.CopyFrom(value.Span) : ByteString.Empty,
        ValidatorIndex = (uint)v.ValidatorIndex,
        Signature = ByteString.CopyFrom(v.Signature),
    };

    /// <summary>The consensus message an envelope carries, or null when it carries none or is malformed.</summary>
    public static ConsensusMessage? FromWire(PeerEnvelope envelope) => envelope.MessageCase switch
    {
        PeerEnvelope.MessageOneofCase.Proposal => FromWire(envelope.Proposal),
        PeerEnvelope.MessageOneofCase.Vote => FromWire(envelope.Vote),
        PeerEnvelope.MessageOneofCase.CommitOffer when envelope.CommitOffer.Certificate is { } c && c.Round <= int.MaxValue => new CommitOffer(c),
        _ => null,
    };

    public static SignedProposal? FromWire(ProposalMessage p) =>
        p.Round > int.MaxValue || p.ValidRound < -1 || p.ProposerIndex > int.MaxValue || p.BlockId.Length != Hash32.Size
            ? null
            : new SignedProposal(p.Height, (int)p.Round, new Hash32(p.BlockId.Span), p.ValidRound, (int)p.ProposerIndex, p.Signature.ToByteArray());

    public static SignedVote? FromWire(VoteMessage v) =>
        v.Round > int.MaxValue || v.ValidatorIndex > int.MaxValue || v.Type == VoteType.Unspecified
        || (v.BlockId.Length != 0 && v.BlockId.Length != Hash32.Size)
            ? null
            : new SignedVote(v.Type, v.Height, (int)v.Round, v.BlockId.IsEmpty ? null : new Hash32(v.BlockId.Span), (int)v.ValidatorIndex, v.Signature.ToByteArray());
}
