using System.Buffers.Binary;
using System.Security.Cryptography;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// Signs transactions for one organisation with one of its keys, locally: the private key never leaves
/// the process. Fills in what every body carries (chain, signer, key, nonce, creation time).
/// </summary>
public sealed class MemberSigner
{
    private readonly KeyPair _keys;
    private readonly TimeProvider _time;

    public MemberSigner(string organisationId, KeyPair keys, string chainId, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(organisationId);
        ArgumentException.ThrowIfNullOrWhiteSpace(chainId);
        ArgumentNullException.ThrowIfNull(keys);
        OrganisationId = organisationId;
        ChainId = chainId;
        _keys = keys;
        _time = time ?? TimeProvider.System;
    }

    public string OrganisationId { get; }

    public string ChainId { get; }

    public PublicKey PublicKey => _keys.Public;

    /// <summary>Signs this member's reads of commercial content with the same key (docs/CLIENT.md, "Identity for reads").</summary>
    public CallSigner ReadSigner() => CallSigner.ForMember(ChainId, OrganisationId, _keys, _time);

    /// <summary>
    /// Loads a key file (docs/PROTOCOL.md, "Key files"), encrypted or not, as <paramref name="keyFile"/> says. The
    /// organisation is <paramref name="organisationId"/>, or else the file's "organisation".
    /// </summary>
    /// <exception cref="KeyFileException">The file is missing, exposed to others, malformed, not opened by its passphrase, or its keys do not match.</exception>
    /// <exception cref="ArgumentException">Neither the caller nor the file names the organisation, or they differ.</exception>
    public static async Task<MemberSigner> FromKeyFileAsync(
        string path, string chainId, string? organisationId = null, TimeProvider? time = null, KeyFileOptions? keyFile = null,
        CancellationToken cancellationToken = default)
    {
        var file = await KeyFile.LoadAsync(path, keyFile, cancellationToken).ConfigureAwait(false);
        return FromKeyFile(file, path, chainId, organisationId, time);
    }

    internal static MemberSigner FromKeyFile(KeyFile file, string path, string chainId, string? organisationId, TimeProvider? time)
    {
        if (organisationId is not null && file.Organisation is not null && organisationId != file.Organisation)
        {
            throw new ArgumentException($"key file {path} belongs to '{file.Organisation}', not '{organisationId}'", nameof(organisationId));
        }
        var org = organisationId ?? file.Organisation
            ?? throw new ArgumentException($"key file {path} names no organisation; give the organisation id", nameof(organisationId));
        return new MemberSigner(org, file.Pair, chainId, time);
    }

    /// <summary>Builds a body whose kind <paramref name="setKind"/> sets, and signs it.</summary>
    public SignedTransaction Sign(Action<TxBody> setKind)
    {
        ArgumentNullException.ThrowIfNull(setKind);
        var body = new TxBody();
        setKind(body);
        return Sign(body);
    }

    /// <summary>
    /// Signs a copy of <paramref name="kind"/> (a body with its kind set) after filling in the chain, signer,
    /// key, a fresh random nonce and the creation time; fields set on it are replaced.
    /// </summary>
    public SignedTransaction Sign(TxBody kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (kind.KindCase == TxBody.KindOneofCase.None)
        {
            throw new ArgumentException("the body has no transaction kind", nameof(kind));
        }
        var body = kind.Clone();
        body.ChainId = ChainId;
        body.SignerOrg = OrganisationId;
        body.SignerKey = _keys.Public;
        // Random, not a counter: signers keep no state between runs, and 64 random bits make two equal
        // transactions of one member collide with negligible probability.
        body.Nonce = BinaryPrimitives.ReadUInt64LittleEndian(RandomNumberGenerator.GetBytes(sizeof(ulong)));
        body.CreatedAtMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var envelope = TransactionSigner.Sign(ChainId, body, _keys);
        return new SignedTransaction(TransactionSigner.IdOf(ChainId, envelope), envelope);
    }
}
