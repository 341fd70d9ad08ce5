namespace Ledger.Contracts.Crypto;

/// <summary>
/// How a key file is opened. <paramref name="Passphrase"/> is asked (with the file's path) only when the file is
/// encrypted; it may throw <see cref="KeyFileException"/> when it has no passphrase to give. A file that others
/// than its owner may read or write is refused unless <paramref name="AllowInsecureMode"/>, and then
/// <paramref name="Warning"/> hears about it.
/// </summary>
public sealed record KeyFileOptions(Func<string, string>? Passphrase = null, bool AllowInsecureMode = false, Action<string>? Warning = null)
{
    public static KeyFileOptions Default { get; } = new();
}
