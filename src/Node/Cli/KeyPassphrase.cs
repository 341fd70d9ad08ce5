using System.Text;
using Ledger.Contracts.Crypto;

namespace Ledger.Node.Cli;

/// <summary>
/// Where the passphrase of an encrypted key file comes from, first found first: a file (<c>--passphrase-file</c>,
/// e.g. a systemd credential), the environment (<see cref="Variable"/>), or a person at a terminal. A passphrase
/// file is held to the rule of a key file: its owner's alone.
/// </summary>
public static class KeyPassphrase
{
    public const string Variable = "LEDGER_KEY_PASSPHRASE";

    // A passphrase is typed or pasted; a longer "passphrase file" is the wrong file.
    private const int FileBytesMax = 4096;

    /// <summary>
    /// The passphrase source of an existing key file; asked only if the file is encrypted, at most once. The
    /// variable is taken out of the environment here, so that processes this one starts do not inherit it and a
    /// node does not list it among the <c>LEDGER_</c> variables that name none of its settings.
    /// </summary>
    public static Func<string, string> ForExisting(string? passphraseFile, bool allowInsecure, TextWriter prompt)
    {
        var fromEnvironment = FromEnvironment();
        Environment.SetEnvironmentVariable(Variable, null);
        string? known = null;
        return keyPath => known ??= FromFile(passphraseFile, keyPath, allowInsecure)
            ?? fromEnvironment
            ?? (CanPrompt ? Prompt(prompt, $"Passphrase of {keyPath}: ") : null)
            ?? throw new KeyFileException(keyPath, $"is encrypted: give its passphrase with --passphrase-file FILE, in {Variable}, or at a terminal");
    }

    /// <summary>The passphrase a new key file is sealed with (asked twice at a terminal), or null if none is given.</summary>
    /// <exception cref="KeyFileException">The passphrase file cannot be used, or the two typed passphrases differ.</exception>
    public static string? ForNew(string? passphraseFile, string keyPath, bool allowInsecure, TextWriter prompt)
    {
        var given = FromFile(passphraseFile, keyPath, allowInsecure) ?? FromEnvironment();
        if (given is not null || !CanPrompt)
        {
            return given;
        }
        var first = Prompt(prompt, $"Passphrase for {keyPath}: ");
        var second = Prompt(prompt, "The same passphrase again: ");
        return first == second ? first : throw new KeyFileException(keyPath, "the two passphrases typed differ; nothing was written");
    }

    private static bool CanPrompt => !Console.IsInputRedirected;

    private static string? FromEnvironment() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private static string? FromFile(string? passphraseFile, string keyPath, bool allowInsecure)
    {
        if (passphraseFile is null)
        {
            return null;
        }
        try
        {
            if (!allowInsecure && KeyFileMode.Problem(passphraseFile) is { } problem)
            {
                throw new KeyFileException(keyPath, $"its passphrase file '{passphraseFile}' {problem}");
            }
            if (new FileInfo(passphraseFile).Length > FileBytesMax)
            {
                throw new KeyFileException(keyPath, $"its passphrase file '{passphraseFile}' has more than {FileBytesMax} bytes; it holds one line");
            }
            // One line: the newline an editor or `echo` adds is not part of the passphrase.
            var text = File.ReadAllText(passphraseFile, Encoding.UTF8).TrimEnd('\r', '\n');
            return text.Length > 0 ? text : throw new KeyFileException(keyPath, $"its passphrase file '{passphraseFile}' is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException(keyPath, $"its passphrase file '{passphraseFile}' cannot be read: {e.Message}", e);
        }
    }

    // Reads a line without echoing it.
    private static string? Prompt(TextWriter prompt, string question)
    {
        prompt.Write(question);
        prompt.Flush();
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                typed.Length = Math.Max(0, typed.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
        prompt.WriteLine();
        return typed.Length > 0 ? typed.ToString() : null;
    }
}
