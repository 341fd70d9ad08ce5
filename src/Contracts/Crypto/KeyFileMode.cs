namespace Ledger.Contracts.Crypto;

/// <summary>
/// Whether a secret file is for its owner alone, as ssh asks of a private key: a key that its group or anyone
/// on the host can read has to be assumed copied, and one they can write, replaced.
/// </summary>
public static class KeyFileMode
{
    public const UnixFileMode OthersAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Why the file's mode exposes it, or null when only its owner can read and write it (always null on Windows, whose ACLs this does not judge).</summary>
    public static string? Problem(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        var mode = File.GetUnixFileMode(path);
        if ((mode & OthersAccess) == 0)
        {
            return null;
        }
        var who = (mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0 ? "every user of this host" : "its group";
        return $"has mode {Octal(mode)}: {who} can read or change it; chmod 600 it (or accept the risk with --allow-insecure-key)";
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
