using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Ledger.Client;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>How values read on the command line: times in UTC, hashes in hex, verdicts in words.</summary>
public static class Texts
{
    public static string Time(long unixMs) => unixMs <= 0
        ? "-"
        : DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Hex(ByteString bytes) => bytes.IsEmpty ? "-" : Convert.ToHexStringLower(bytes.Span);

    public static string Verdict(RouteVerdictKind kind) => kind switch
    {
        RouteVerdictKind.InTransit => "in transit",
        RouteVerdictKind.DirectTransportVerified => "direct transport verified",
        RouteVerdictKind.Breached => "breached",
        _ => "unknown",
    };

    public static string HashCheck(ContentHashCheck check) => check switch
    {
        ContentHashCheck.Match => "match",
        ContentHashCheck.Mismatch => "MISMATCH: the document differs from the one certified",
        _ => "not checked",
    };

    public static string Proof(ProvenHeader? at) => at is null
        ? "not proven"
        : $"proven against block {at.Height} ({at.BlockHash}, {Time(at.TimeMs)}), signed by more than two thirds of its validators (followed from the genesis)";

    public static JsonObject? ProofJson(ProvenHeader? at) => at is null
        ? null
        : new JsonObject { ["height"] = at.Height, ["blockHash"] = at.BlockHash.ToString(), ["stateRoot"] = at.StateRoot.ToString(), ["timeMs"] = at.TimeMs };

    public static string Trust(AnswerTrust trust) => trust == AnswerTrust.Proven ? "proven" : "unverified";
}
