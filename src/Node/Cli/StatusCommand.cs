using System.CommandLine;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Ledger.Client;
using Ledger.Wire;

namespace Ledger.Node.Cli;

/// <summary>
/// `ledger status`: one node summarised for a person — chain, height, health, validator or replica, peers
/// connected, and how far behind the highest peer it is (each peer is asked its height from here). Exit 0 when
/// the node answers and serves, 3 when it cannot be reached or reports NOT_SERVING: fit for a container's health check.
/// </summary>
public static class StatusCommand
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public static Command Status()
    {
        var node = new Option<string?>("--node") { HelpName = "URL", Description = $"The node, e.g. https://10.0.0.1:7101 (default: the first of ${CommonOptions.NodeVariable})" };
        var ca = new Option<FileInfo?>("--ca") { HelpName = "FILE", Description = $"PEM file of the CA of the nodes' TLS certificates (default: ${CommonOptions.CaVariable}; else the system's roots)" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON" };
        var command = new Command("status", "Summarise a node: height, health, peers and how far behind them it is; exit 3 if it is unreachable or not serving") { node, ca, json };
        CommandRunner.SetAction(command, parse => parse.GetValue(json), async (parse, output, ct) =>
        {
            var endpoint = parse.GetValue(node) ?? FirstOf(Environment.GetEnvironmentVariable(CommonOptions.NodeVariable))
                ?? throw new CliInputException($"no node to ask: give --node URL or set {CommonOptions.NodeVariable}");
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliInputException($"--node '{endpoint}' is not an http:// or https:// address");
            }
            var caPath = parse.GetValue(ca)?.FullName ?? (Environment.GetEnvironmentVariable(CommonOptions.CaVariable) is { Length: > 0 } v ? v : null);
            var status = await AskAsync(endpoint, caPath, ct);
            if (status.Status is null)
            {
                throw new LedgerUnavailableException($"status of {endpoint}", [status.Failure!]);
            }
            var peers = await Task.WhenAll(status.Status.Peers.Select(p => AskAsync(p.Endpoint, caPath, ct)));
            var report = NodeReport.Of(endpoint, status.Status, status.Serving, peers);
            Print(output, report);
            return status.Serving == HealthCheckResponse.Types.ServingStatus.Serving ? ExitCodes.Ok : ExitCodes.Unavailable;
        });
        return command;
    }

    private static void Print(CliOutput output, NodeReport report)
    {
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["node"] = report.Endpoint,
                ["chainId"] = report.ChainId,
                ["height"] = report.Height,
                ["health"] = report.Health,
                ["validatorIndex"] = report.ValidatorIndex,
                ["peersConnected"] = report.PeersConnected,
                ["peers"] = report.Peers,
                ["highestPeerHeight"] = report.HighestPeerHeight,
                ["blocksBehind"] = report.BlocksBehind,
                ["mempoolTransactions"] = report.MempoolTransactions,
                ["round"] = report.Round,
            });
            return;
        }
        output.Field("node", report.Endpoint);
        output.Field("chain", report.ChainId);
        output.Field("role", report.ValidatorIndex >= 0 ? $"validator {report.ValidatorIndex}" : "read replica");
        output.Field("height", $"{report.Height}, round {report.Round}");
        output.Field("health", report.Health);
        output.Field("peers", $"{report.PeersConnected} of {report.Peers} connected");
        output.Field("lag", report.HighestPeerHeight is { } highest
            ? report.BlocksBehind == 0 ? $"none (highest peer answering from here: {highest})" : $"{report.BlocksBehind} blocks behind the highest peer ({highest})"
            : "unknown: no peer answers from here");
        output.Field("mempool", $"{report.MempoolTransactions} transactions");
    }

    private static async Task<Answer> AskAsync(string endpoint, string? caPath, CancellationToken ct)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { HttpHandler = TlsTrust.Handler(caPath), DisposeHttpClient = true });
            var status = await new Wire.Ledger.LedgerClient(channel).GetStatusAsync(new GetStatusRequest(), deadline: DateTime.UtcNow.Add(CallTimeout), cancellationToken: ct);
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(CallTimeout), cancellationToken: ct);
            return new Answer(status, health.Status, null);
        }
        catch (RpcException e)
        {
            return new Answer(null, HealthCheckResponse.Types.ServingStatus.Unknown, e);
        }
        catch (IOException e)
        {
            throw new CliInputException(e.Message, e);
        }
    }

    private static string? FirstOf(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

    private sealed record Answer(NodeStatus? Status, HealthCheckResponse.Types.ServingStatus Serving, RpcException? Failure);

    /// <summary>What `ledger status` shows; lag is measured against the peers that answered from this host.</summary>
    private sealed record NodeReport(
        string Endpoint, string ChainId, ulong Height, string Health, int ValidatorIndex, int PeersConnected, int Peers,
        ulong? HighestPeerHeight, ulong BlocksBehind, uint MempoolTransactions, uint Round)
    {
        public static NodeReport Of(string endpoint, NodeStatus status, HealthCheckResponse.Types.ServingStatus serving, IReadOnlyList<Answer> peers)
        {
            var heights = peers.Where(p => p.Status is not null && p.Status.ChainId == status.ChainId).Select(p => p.Status!.Height).ToList();
            ulong? highest = heights.Count == 0 ? null : heights.Max();
            return new NodeReport(endpoint, status.ChainId, status.Height, serving == HealthCheckResponse.Types.ServingStatus.Serving ? "serving" : serving.ToString().ToLowerInvariant(),
                status.ValidatorIndex, status.Peers.Count(p => p.Connected), status.Peers.Count,
                highest, highest is { } h && h > status.Height ? h - status.Height : 0, status.MempoolSize, status.Round);
        }
    }
}
