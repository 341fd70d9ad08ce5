using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Ledger.Wire;

namespace Ledger.Client;

/// <summary>
/// A certificate's proof saved as one file, to be checked later with no network (docs/VERIFY.md, "Offline bundles"): the
/// node's answer with its proof, and the genesis document's exact bytes. The verification page writes and reads the same
/// JSON. A bundle is checked against the genesis the checker trusts, never the one inside it alone.
/// </summary>
/// <param name="GenesisDocument">The genesis document's bytes as the node served them; their SHA-256 is the network's pin.</param>
/// <param name="Answer">VerifyCertificate's answer, with its proof.</param>
public sealed record CertificateBundle(string CertificateId, byte[] GenesisDocument, VerifyCertificateResponse Answer)
{
    public const string Format = "ledger.v1/certificate-bundle";

    /// <summary>Largest bundle file read: a certificate's public proof is a few kilobytes.</summary>
    public const int BytesMax = 4 * 1024 * 1024;

    /// <summary>SHA-256 of <see cref="GenesisDocument"/>, lower-case hex.</summary>
    public string GenesisHash => Convert.ToHexStringLower(SHA256.HashData(GenesisDocument));

    public string ToJson() => new JsonObject
    {
        ["format"] = Format,
        ["certificateId"] = CertificateId,
        ["genesisDocument"] = Convert.ToBase64String(GenesisDocument),
        ["answer"] = JsonNode.Parse(JsonFormatter.Default.Format(Answer)),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <exception cref="FormatException">Not a bundle of <see cref="Format"/>; the message says what is wrong.</exception>
    public static CertificateBundle Parse(string json)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("a bundle is a JSON object");
            if (root["format"]?.GetValue<string>() != Format)
            {
                throw new FormatException($"the format is not \"{Format}\"");
            }
            var id = root["certificateId"]?.GetValue<string>() is { Length: > 0 } text ? text : throw new FormatException("certificateId is missing");
            var genesis = Convert.FromBase64String(root["genesisDocument"]?.GetValue<string>() ?? throw new FormatException("genesisDocument is missing"));
            var answer = JsonParser.Default.Parse<VerifyCertificateResponse>(root["answer"]?.ToJsonString() ?? throw new FormatException("answer is missing"));
            return new CertificateBundle(id, genesis, answer);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or InvalidProtocolBufferException)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <summary>
    /// Checks the bundle's proof against <paramref name="validators"/> (from the genesis the caller trusts) as a verified
    /// read is checked (docs/CLIENT.md): certificate, proofs, then the answer's fields against the proven values. A bundle
    /// is as old as the block it was proven at, so freshness is not checked; <see cref="ProvenHeader.TimeMs"/> says when.
    /// </summary>
    /// <param name="documentHash">SHA-256 of a document to compare with the certified one, or null.</param>
    /// <exception cref="UntrustedAnswerException">A check failed; the reason names it.</exception>
    public CertificateVerification Verify(TrustedValidators validators, byte[]? documentHash = null)
    {
        var hash = documentHash is null ? ByteString.Empty : ByteString.CopyFrom(documentHash);
        var state = new ProofBundleVerifier(validators).Verify(Answer.Proof);
        // The answer carries the hash it was asked with (none); the document is compared with the proven one here.
        var verification = AnswerChecks.Certificate(CertificateId, ByteString.Empty, Answer, state);
        return documentHash is null ? verification : verification with
        {
            ContentHash = verification.Found ? AnswerChecks.CompareDocument(hash, CertificateId, state) : ContentHashCheck.Unspecified,
        };
    }
}
