using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ledger.Contracts.Crypto;

namespace Ledger.Node.Tls;

/// <summary>
/// A network's own certificate authority and its nodes' TLS certificates, as PEM files in one folder:
/// <c>network-ca.pem</c> (give it to every node's <c>tls.caFile</c> and to clients' <c>--ca</c>),
/// <c>network-ca.key.pem</c> (keep it offline once the nodes have theirs), and per node <c>NAME.pem</c> and
/// <c>NAME.key.pem</c>. Keys are ECDSA P-256, written with mode 0600. A folder that holds a CA already gets
/// new node certificates signed by it, so a node can be added later.
/// </summary>
public sealed class NetworkCertificates : IDisposable
{
    public const string CaCertificateFile = "network-ca.pem";
    public const string CaKeyFile = "network-ca.key.pem";

    private readonly string _folder;
    private readonly X509Certificate2 _ca;

    private NetworkCertificates(string folder, X509Certificate2 ca, bool created)
    {
        _folder = folder;
        _ca = ca;
        CreatedCa = created;
    }

    /// <summary>Whether this run made the CA (false: an existing one in the folder signs).</summary>
    public bool CreatedCa { get; }

    public string CaFile => Path.Combine(_folder, CaCertificateFile);

    /// <summary>Opens the CA in <paramref name="folder"/>, or creates one named <paramref name="caName"/>, valid for <paramref name="days"/>.</summary>
    /// <exception cref="KeyFileException">A file cannot be read or written, or the CA key is exposed to others.</exception>
    public static NetworkCertificates OpenOrCreate(string folder, string caName, int days)
    {
        Directory.CreateDirectory(folder);
        var certificatePath = Path.Combine(folder, CaCertificateFile);
        var keyPath = Path.Combine(folder, CaKeyFile);
        if (File.Exists(certificatePath))
        {
            if (KeyFileMode.Problem(keyPath) is { } problem)
            {
                throw new KeyFileException(keyPath, problem);
            }
            try
            {
                return new NetworkCertificates(folder, X509Certificate2.CreateFromPemFile(certificatePath, keyPath), created: false);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new KeyFileException(keyPath, $"with {certificatePath}, is not a CA certificate and its key: {e.Message}", e);
            }
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={caName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(days));
        WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        WritePublic(certificatePath, ca.ExportCertificatePem());
        return new NetworkCertificates(folder, ca, created: true);
    }

    /// <summary>
    /// Issues a server and client certificate for a node, for the names (DNS names or IP addresses) its peers and
    /// clients use to reach it, valid for <paramref name="days"/> but not past the CA. Returns the certificate and key paths.
    /// </summary>
    /// <exception cref="KeyFileException">The node's files exist already, or cannot be written.</exception>
    public (string CertificateFile, string KeyFile) IssueNode(string name, IReadOnlyList<string> hostNames, int days)
    {
        var certificatePath = Path.Combine(_folder, name + ".pem");
        var keyPath = Path.Combine(_folder, name + ".key.pem");
        if (File.Exists(certificatePath) || File.Exists(keyPath))
        {
            throw new KeyFileException(keyPath, $"or {certificatePath} exists already; refusing to overwrite a node's certificate");
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // Server for its own endpoint, client for its calls to peers.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hostNames)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var now = DateTimeOffset.UtcNow;
        var notAfter = now.AddDays(days) < _ca.NotAfter ? now.AddDays(days) : _ca.NotAfter;
        using var certificate = request.Create(_ca, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        WritePublic(certificatePath, certificate.ExportCertificatePem());
        return (certificatePath, keyPath);
    }

    public void Dispose() => _ca.Dispose();

    private static void WritePublic(string path, string pem)
    {
        try
        {
            File.WriteAllText(path, pem + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(path, $"cannot be written: {e.Message}", e);
        }
    }

    private static void WriteSecret(string path, string pem)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        try
        {
            using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
            writer.WriteLine(pem);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(path, $"cannot be created: {e.Message}", e);
        }
    }
}
