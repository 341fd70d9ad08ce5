using System.CommandLine;
using Ledger.Contracts.Crypto;

namespace Ledger.Node.Cli;

/// <summary>The options of every command that opens a key file: where its passphrase is, and whether a key file others can read is used.</summary>
public sealed class KeyFileCliOptions
{
    private readonly Option<FileInfo?> _passphraseFile = new("--passphrase-file")
    {
        HelpName = "FILE",
        Description = $"File whose first line is the key file's passphrase (mode 0600); else ${KeyPassphrase.Variable}, else asked at a terminal",
    };

    private readonly Option<bool> _allowInsecure = new("--allow-insecure-key")
    {
        Description = "Use a key or passphrase file that its group or other users can read or change (refused otherwise)",
    };

    public static KeyFileCliOptions AddTo(Command command)
    {
        var options = new KeyFileCliOptions();
        command.Options.Add(options._passphraseFile);
        command.Options.Add(options._allowInsecure);
        return options;
    }

    public string? PassphraseFile(ParseResult parse) => parse.GetValue(_passphraseFile)?.FullName;

    public bool AllowInsecure(ParseResult parse) => parse.GetValue(_allowInsecure);

    /// <summary>How to open an existing key file; prompts and warnings go to <paramref name="error"/>.</summary>
    public KeyFileOptions Read(ParseResult parse, TextWriter error)
    {
        var allowInsecure = AllowInsecure(parse);
        return new KeyFileOptions(
            KeyPassphrase.ForExisting(PassphraseFile(parse), allowInsecure, error),
            allowInsecure,
            warning => error.WriteLine($"warning: {warning}"));
    }
}
