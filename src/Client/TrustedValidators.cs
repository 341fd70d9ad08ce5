using Ledger.Contracts.Blocks;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// The validators whose commit certificates the client believes: the genesis roster, taken from the genesis document
/// the client was given (never from a node), then each later roster learnt from a proof the roster before it signed
/// (<see cref="Learn"/>): the light-client rule, so no node can make the client trust a set that was never approved.
/// </summary>
public sealed class TrustedValidators
{
    private readonly object _gate = new();
    private HeightValidators[] _known;

    public TrustedValidators(string chainId, IReadOnlyList<Validator> validators)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chainId);
        ArgumentNullException.ThrowIfNull(validators);
        ChainId = chainId;
        Genesis = new HeightValidators(chainId, 1, validators);
        _known = [Genesis];
    }

    public string ChainId { get; }

    /// <summary>The roster of the genesis, which signs from height 1.</summary>
    public HeightValidators Genesis { get; }

    /// <summary>The rosters learnt so far, in height order.</summary>
    public IReadOnlyList<HeightValidators> Known
    {
        get
        {
            lock (_gate)
            {
                return _known;
            }
        }
    }

    /// <summary>The validators of a genesis document, after the same checks a node makes when it loads it.</summary>
    /// <exception cref="GenesisException">The document is not a valid genesis.</exception>
    public static TrustedValidators FromGenesis(GenesisDocument genesis)
    {
        var (config, _) = GenesisLoader.Load(genesis);
        return new TrustedValidators(config.ChainId, config.Validators);
    }

    /// <exception cref="GenesisException">The document is not a valid genesis.</exception>
    public static TrustedValidators FromGenesisFile(string path) =>
        FromGenesis(GenesisLoader.Parse(File.ReadAllText(path)));

    /// <summary>The latest roster learnt that signs <paramref name="height"/>; a header names the one it really has, to be compared.</summary>
    public HeightValidators At(ulong height)
    {
        var known = Known;
        for (var i = known.Count - 1; i > 0; i--)
        {
            if (known[i].FromHeight <= height)
            {
                return known[i];
            }
        }
        return known[0];
    }

    /// <summary>
    /// Learns the roster in force from <c>header.Height + 1</c>: <paramref name="header"/> must be certified by the roster
    /// this client trusts for its height, name that roster as its own, and name <paramref name="next"/> as the next.
    /// A change applied in block H is first named by the header of H + 1, under the old roster's certificate.
    /// </summary>
    /// <returns>Null when learnt (or known already), else why the proof fails.</returns>
    public string? Learn(BlockHeader header, CommitCertificate certificate, IReadOnlyList<Validator> next)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(next);
        if (header.ChainId != ChainId || BlockCopy.ShapeMismatch(new Block { Header = header }) is not null)
        {
            return "the header is not a well-formed header of this chain";
        }
        var signing = At(header.Height);
        if (header.ValidatorsHash.Length != Hash32.Size || new Hash32(header.ValidatorsHash.Span) != signing.Hash)
        {
            return $"the header of height {header.Height} names a validator set this client has not learnt; learn the changes before it first";
        }
        if (certificate.Height != header.Height || !certificate.BlockHash.Span.SequenceEqual(BlockHashing.HeaderHash(header).Span))
        {
            return "the certificate is not for this header";
        }
        var verdict = signing.Verify(certificate);
        if (verdict != CommitCertificateVerdict.Valid)
        {
            return $"the certificate of height {header.Height} is not valid for the validators of that height: {verdict}";
        }
        HeightValidators learnt;
        try
        {
            learnt = new HeightValidators(ChainId, header.Height + 1, next);
        }
        catch (ArgumentException e)
        {
            return $"the roster offered is malformed: {e.Message}";
        }
        if (header.NextValidatorsHash.Length != Hash32.Size || new Hash32(header.NextValidatorsHash.Span) != learnt.Hash)
        {
            return $"the roster offered is not the one the certified header of height {header.Height} names for the next height";
        }
        lock (_gate)
        {
            if (learnt.Hash == _known[^1].Hash || learnt.FromHeight <= _known[^1].FromHeight)
            {
                // Nothing new, or older than what is known: a roster that did not change, or one learnt already.
                return null;
            }
            _known = [.. _known, learnt];
        }
        return null;
    }
}
