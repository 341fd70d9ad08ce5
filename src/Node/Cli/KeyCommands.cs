using System.CommandLine;
using System.Text.Json;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>
/// `ledger keys new`: a key pair in a member's suite, written to a file only its owner can read, its private key
/// sealed under a passphrase unless asked for a plain test key. `ledger keys encrypt`: the same seal for an existing
/// plain key file, such as those `ledger init` writes.
/// </summary>
public static class KeyCommands
{
    public static Command Keys() => new("keys", "Member and validator keys") { New(), Encrypt() };

    private static Command New()
    {
        var suite = new Option<string>("--suite") { Description = $"Signature suite: {string.Join(", ", KeySuiteNames.All)}", DefaultValueFactory = _ => "ed25519" };
        var output = new Option<FileInfo>("--out") { Description = "Key file to write (mode 0600; never overwritten)", Required = true };
        var organisation = new Option<string?>("--organisation") { Description = "The organisation the key belongs to" };
        var plain = new Option<bool>("--plain") { Description = "Write the private key unencrypted, in hex: for tests and devnets only" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var create = new Command("new", "Create a key pair; the private key stays in the file, sealed under a passphrase") { suite, output, organisation, plain, json };
        var keyFile = KeyFileCliOptions.AddTo(create);
        create.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!KeySuiteNames.TryParse(parse.GetValue(suite), out var chosen, out var suiteError))
            {
                await error.WriteLineAsync(suiteError);
                return ExitCodes.BadInput;
            }
            var path = parse.GetValue(output)!.FullName;
            try
            {
                var passphrase = parse.GetValue(plain) ? null
                    : KeyPassphrase.ForNew(keyFile.PassphraseFile(parse), path, keyFile.AllowInsecure(parse), error)
                        ?? throw new KeyFileException(path, $"needs a passphrase: give --passphrase-file FILE or set {KeyPassphrase.Variable} (or type it at a terminal); --plain writes an unencrypted test key");
                var pair = SignatureSuites.Generate(chosen);
                var file = new KeyFile(pair, parse.GetValue(organisation));
                await (passphrase is null ? file.SaveAsync(path, overwrite: false, ct) : file.SaveEncryptedAsync(path, passphrase, overwrite: false, ct));
                var text = PublicKeyText.Format(pair.Public);
                var address = chosen == KeySuite.EcdsaSecp256K1 ? EthereumAddress.Of(pair.Public) : null;
                var change = KeyProposal.AddKey(parse.GetValue(organisation), text);
                await parse.InvocationConfiguration.Output.WriteLineAsync(parse.GetValue(json)
                    ? JsonSerializer.Serialize(new { file = path, suite = KeySuiteNames.Format(chosen), publicKey = text, ethereumAddress = address, encrypted = passphrase is not null, proposal = change })
                    : $"Wrote {path}{(passphrase is null ? " (not encrypted)" : "")}\npublic key: {text}{(address is null ? "" : $"\nEthereum address: {address}")}\n{KeyProposal.Text(parse.GetValue(organisation), change)}");
                return ExitCodes.Ok;
            }
            catch (KeyFileException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.BadInput;
            }
        });
        return create;
    }

    private static Command Encrypt()
    {
        var input = new Option<FileInfo>("--key") { HelpName = "FILE", Description = "The plain key file to seal", Required = true };
        var output = new Option<FileInfo>("--out") { HelpName = "FILE", Description = "The encrypted key file to write (mode 0600; never overwritten)", Required = true };
        var command = new Command("encrypt", "Write a copy of a plain key file with its private key sealed under a passphrase; then delete the plain one") { input, output };
        var keyFile = KeyFileCliOptions.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var source = parse.GetValue(input)!.FullName;
            var target = parse.GetValue(output)!.FullName;
            try
            {
                // The passphrase of the file being written; the source must be plain, so it is never asked for one.
                var file = await KeyFile.LoadAsync(source, new KeyFileOptions(
                    path => throw new KeyFileException(path, "is encrypted already"),
                    keyFile.AllowInsecure(parse),
                    warning => error.WriteLine($"warning: {warning}")), ct);
                var passphrase = KeyPassphrase.ForNew(keyFile.PassphraseFile(parse), target, keyFile.AllowInsecure(parse), error)
                    ?? throw new KeyFileException(target, $"needs a passphrase: give --passphrase-file FILE or set {KeyPassphrase.Variable} (or type it at a terminal)");
                await file.SaveEncryptedAsync(target, passphrase, overwrite: false, ct);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"Wrote {target}, sealed under the passphrase; remove {source} once the new file is in use (shred -u {source})");
                return ExitCodes.Ok;
            }
            catch (KeyFileException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.BadInput;
            }
        });
        return command;
    }
}
