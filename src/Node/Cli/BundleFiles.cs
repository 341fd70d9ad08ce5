using Grpc.Core;
using Ledger.Client;
using Ledger.Contracts.Genesis;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>`cert verify --bundle` and `--offline`: a certificate's proof saved to a file, and checked from it with no network.</summary>
public static class BundleFiles
{
    /// <summary>Asks a node for the certificate with its proof, checks it, and saves it with the genesis document's bytes.</summary>
    /// <exception cref="CliInputException">No genesis was given: a bundle is only worth saving once checked.</exception>
    public static async Task<(CertificateVerification Verification, string Path)> SaveAsync(
        ClientSession session, CommonValues values, string certificateId, FileInfo target, byte[]? documentHash, CancellationToken ct)
    {
        if (values.GenesisPath is not { } genesisPath || session.Genesis is null)
        {
            throw new CliInputException("--bundle needs --genesis FILE: a bundle is saved only once its proof is checked");
        }
        var genesis = await File.ReadAllBytesAsync(genesisPath, ct);
        var validators = TrustedValidators.FromGenesis(session.Genesis);
        var request = new VerifyCertificateRequest { CertificateId = certificateId, WithProof = true };
        // Ask node after node until one answers with a proof that checks out, as every verified read does.
        var (bundle, verification) = await session.Connection.CallAsync("VerifyCertificate", async (client, options, _) =>
        {
            var answer = await client.VerifyCertificateAsync(request, options);
            var candidate = new CertificateBundle(certificateId, genesis, answer);
            return (candidate, candidate.Verify(validators, documentHash));
        }, ct);
        await File.WriteAllTextAsync(target.FullName, bundle.ToJson(), ct);
        return (verification, target.FullName);
    }

    /// <summary>Checks a saved bundle against the genesis given, never against the one inside the bundle alone.</summary>
    /// <exception cref="CliInputException">No genesis given, the file unreadable or not a bundle, a bundle of another network, or a proof that does not verify.</exception>
    public static async Task<CertificateVerification> VerifyAsync(FileInfo file, CommonValues values, byte[]? documentHash, CancellationToken ct)
    {
        if (values.GenesisPath is not { } genesisPath)
        {
            throw new CliInputException($"--offline needs --genesis FILE (or ${CommonOptions.GenesisVariable}): the network to check the bundle against");
        }
        CertificateBundle bundle;
        byte[] genesis;
        try
        {
            if (file.Exists && file.Length > CertificateBundle.BytesMax)
            {
                throw new CliInputException($"{file.FullName}: {file.Length} bytes; a bundle is at most {CertificateBundle.BytesMax} bytes");
            }
            bundle = CertificateBundle.Parse(await File.ReadAllTextAsync(file.FullName, ct));
            genesis = await File.ReadAllBytesAsync(genesisPath, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException(e.Message, e);
        }
        catch (FormatException e)
        {
            throw new CliInputException($"{file.FullName}: not a certificate bundle: {e.Message}", e);
        }
        var trusted = Verification.VerificationLink.GenesisHash(genesis);
        if (bundle.GenesisHash != trusted)
        {
            throw new CliInputException(
                $"{file.FullName} was saved from the network with genesis {bundle.GenesisHash}, not {trusted} ({genesisPath}): check it against that network's genesis");
        }
        try
        {
            using var text = new StreamReader(new MemoryStream(genesis));
            return bundle.Verify(TrustedValidators.FromGenesis(GenesisLoader.Parse(text.ReadToEnd())), documentHash);
        }
        catch (GenesisException e)
        {
            throw new CliInputException($"{genesisPath}: {e.Message}", e);
        }
        catch (UntrustedAnswerException e)
        {
            // No node to ask instead: the file itself is what is wrong.
            throw new CliInputException($"{file.FullName}: its proof does not verify ({e.Reason}): {e.Message}", e);
        }
    }
}
