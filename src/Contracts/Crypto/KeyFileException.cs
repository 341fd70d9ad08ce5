namespace Ledger.Contracts.Crypto;

/// <summary>A key file that cannot be read or written; the message names the file and what is wrong.</summary>
public sealed class KeyFileException : Exception
{
    public KeyFileException(string path, string problem, Exception? inner = null)
        : base($"key file '{path}': {problem}", inner)
    {
        Path = path;
    }

    /// <summary>The file concerned.</summary>
    public string Path { get; }
}
