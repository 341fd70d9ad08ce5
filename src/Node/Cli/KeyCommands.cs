using System.CommandLine;
using System.Text.Json;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>`ledger keys new`: a key pair in a member's suite, written to a file only its owner can read.</summary>
public static class KeyCommands
{
    public static Command Keys()
    {
        var suite = new Option<string>("--suite") { Description = $"Signature suite: {string.Join(", ", KeySuiteNames.All)}", DefaultValueFactory = _ => "ed25519" };
        var output = new Option<FileInfo>("--out") { Description = "Key file to write (mode 0600; never overwritten)", Required = true };
        var organisation = new Option<string?>("--organisation") { Description = "The organisation the key belongs to" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var create = new Command("new", "Create a key pair; the private key stays in the file") { suite, output, organisation, json };
        create.SetAction(async (parse, ct) =>
        {
            if (!KeySuiteNames.TryParse(parse.GetValue(suite), out var chosen, out var error))
            {
                await Console.Error.WriteLineAsync(error);
                return ExitCodes.BadInput;
            }
            var path = parse.GetValue(output)!.FullName;
            try
            {
                var pair = SignatureSuites.Generate(chosen);
                await new KeyFile(pair, parse.GetValue(organisation)).SaveAsync(path, overwrite: false, ct);
                var text = PublicKeyText.Format(pair.Public);
                var address = chosen == KeySuite.EcdsaSecp256K1 ? EthereumAddress.Of(pair.Public) : null;
                Console.WriteLine(parse.GetValue(json)
                    ? JsonSerializer.Serialize(new { file = path, suite = KeySuiteNames.Format(chosen), publicKey = text, ethereumAddress = address })
                    : $"Wrote {path}\npublic key: {text}{(address is null ? "" : $"\nEthereum address: {address}")}");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is KeyFileException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return ExitCodes.BadInput;
            }
        });
        return new Command("keys", "Member keys") { create };
    }
}
