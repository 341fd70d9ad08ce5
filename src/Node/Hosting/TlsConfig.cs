namespace Ledger.Node.Hosting;

/// <summary>
/// TLS for a node: its certificate and private key (PEM files), and the CA that signs its peers'
/// certificates (PEM; null trusts the system's roots). Relative paths are relative to the config file.
/// </summary>
public sealed record TlsConfig(string CertificateFile, string KeyFile, string? CaFile = null);
