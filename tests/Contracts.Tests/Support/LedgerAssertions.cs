using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Support;

/// <summary>
/// Submits a transaction and checks its receipt. A refusal must leave every record as it was: the only
/// write a refused transaction makes is the mark that it was committed (key "tx/...").
/// </summary>
public static class LedgerAssertions
{
    public static Receipt SubmitOk(this TestLedger ledger, string signer, Action<TxBody> kind, int keyGeneration = 0)
    {
        var receipt = ledger.Submit(signer, kind, keyGeneration);
        receipt.Code.Should().Be(RuleCatalog.Ok, "the transaction is valid, but it was refused: {0}", receipt.Message);
        return receipt;
    }

    public static Receipt SubmitRefused(this TestLedger ledger, string signer, Action<TxBody> kind, string code, params string[] messageNames) =>
        ledger.ExecuteRefused(TestLedger.Body(signer, kind), code, messageNames);

    /// <summary>Executes a body in a block of its own and asserts it is refused with the code, naming each of messageNames, changing nothing.</summary>
    public static Receipt ExecuteRefused(this TestLedger ledger, TxBody body, string code, params string[] messageNames)
    {
        var before = Records(ledger);
        var receipt = ledger.Execute([ledger.Decode(body)])[0];
        receipt.Code.Should().Be(code, "the message was: {0}", receipt.Message);
        foreach (var name in messageNames)
        {
            receipt.Message.Should().Contain(name);
        }
        receipt.Breaches.Should().BeEmpty();
        Records(ledger).Should().Equal(before, "a refused transaction changes no record");
        return receipt;
    }

    /// <summary>Every record of the state as "key=hex", without the committed-transaction marks.</summary>
    public static IReadOnlyList<string> Records(TestLedger ledger) =>
        ((InMemoryState)ledger.Reader).Entries
            .Where(e => !e.Key.StartsWith("tx/", StringComparison.Ordinal))
            .Select(e => $"{e.Key}={Convert.ToHexString(e.Value)}")
            .ToArray();

    /// <summary>The stored bytes of one record, to compare before and after.</summary>
    public static string? RecordBytes(this TestLedger ledger, string key) =>
        ledger.Reader.Get(key) is { } bytes ? Convert.ToHexString(bytes) : null;
}
