using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Ledger.Client;

/// <summary>
/// The HTTP handler under every gRPC channel of ours: for https endpoints it trusts the system's roots, or
/// only the given CA (a network's own, from a PEM file). The host name must match the certificate either way.
/// </summary>
public static class TlsTrust
{
    /// <exception cref="IOException">The CA file cannot be read or holds no certificate; the message names it.</exception>
    public static SocketsHttpHandler Handler(string? caPemFile)
    {
        // gRPC keeps one HTTP/2 connection per endpoint busy with many streams; a second one when it is full.
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (caPemFile is null)
        {
            return handler;
        }
        var ca = LoadCa(caPemFile);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsIssuedBy(ca, certificate, errors);
        return handler;
    }

    private static X509Certificate2 LoadCa(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"CA file '{path}': {e.Message}", e);
        }
    }

    // Chain errors are expected (the CA is in no system store) and decided here; any other error is final.
    private static bool IsIssuedBy(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is not X509Certificate2 presented || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        // A private network's CA publishes no revocation lists; node certificates are replaced by configuration.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }
}
