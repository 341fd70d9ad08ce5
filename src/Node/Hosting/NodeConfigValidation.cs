using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ledger.Contracts.Genesis;
using Microsoft.Extensions.Options;

namespace Ledger.Node.Hosting;

/// <summary>
/// Checks a node's configuration as a whole before anything starts, and names every problem at once, each with its
/// key (as `--set` spells it) and what to do: an operator fixes the file once instead of once per start. What it
/// checks is what a node would otherwise die of later with a stack trace: the listen address, files that must exist,
/// the TLS pair, peers outside the genesis's validators, limits that are not positive.
/// </summary>
public sealed class NodeConfigValidation : IValidateOptions<NodeConfig>
{
    /// <summary>Validates <paramref name="config"/> (loaded from <paramref name="path"/>, its paths resolved).</summary>
    /// <exception cref="OptionsValidationException">One or more problems; <see cref="OptionsValidationException.Failures"/> names each, the file first.</exception>
    public static void ThrowIfInvalid(NodeConfig config, string path)
    {
        var result = new NodeConfigValidation().Validate(null, config);
        if (result.Failed)
        {
            var failures = result.Failures.ToArray();
            failures[0] = $"node config '{path}': {failures[0]}";
            throw new OptionsValidationException(nameof(NodeConfig), typeof(NodeConfig), failures);
        }
    }

    public ValidateOptionsResult Validate(string? name, NodeConfig options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.NodeId))
        {
            problems.Add("NodeId: missing; name the node, e.g. \"validator-1\"");
        }
        Check(problems, () => ListenAddress.Of(options));
        if (string.IsNullOrEmpty(options.DataDir))
        {
            problems.Add("DataDir: missing; give the folder of the node's database, e.g. \"data\"");
        }
        var validators = GenesisValidators(options.GenesisFile, problems);
        if (options.ValidatorKeyFile is { } validatorKey && !File.Exists(validatorKey))
        {
            problems.Add($"ValidatorKeyFile: '{validatorKey}' does not exist; give this validator's key file (ledger init writes validator.key.json), or leave the setting out to run a read replica");
        }
        if (options.MemberKeyFile is { } memberKey && !File.Exists(memberKey))
        {
            problems.Add($"MemberKeyFile: '{memberKey}' does not exist; give the key file of the member this replica signs as");
        }
        CheckPeers(options.Peers, validators, problems);
        CheckTls(options.Tls, problems);
        CheckLimits(options, problems);
        Check(problems, () => options.Metrics?.EndPoint());
        Check(problems, () => options.Logging?.Levels());
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    // The number of validators the genesis names, to check peers against; null when the file cannot be read.
    private static int? GenesisValidators(string path, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            problems.Add($"GenesisFile: '{path}' does not exist; give the network's genesis.json (the same file on every node)");
            return null;
        }
        try
        {
            return GenesisLoader.Parse(File.ReadAllText(path)).Validators.Count;
        }
        catch (Exception e) when (e is GenesisException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"GenesisFile: '{path}' cannot be used: {e.Message}");
            return null;
        }
    }

    private static void CheckPeers(IReadOnlyList<PeerConfig>? peers, int? validators, List<string> problems)
    {
        if (peers is null)
        {
            problems.Add("Peers: missing; list the other validators, or [] for a network of one");
            return;
        }
        for (var i = 0; i < peers.Count; i++)
        {
            var peer = peers[i];
            // Positions past the genesis's are validators governance adds later: a peer may be listed before it joins.
            if (peer.ValidatorIndex < 0 || peer.ValidatorIndex >= Contracts.Membership.ValidatorChanges.RosterMax)
            {
                var genesis = validators is { } n ? $"; the genesis names {n}, at 0 to {n - 1}, and each validator added later takes the next position" : "";
                problems.Add($"Peers:{i}:ValidatorIndex: {peer.ValidatorIndex} is no validator position (0 to {Contracts.Membership.ValidatorChanges.RosterMax - 1}){genesis}");
            }
            else if (peers.Take(i).Any(p => p.ValidatorIndex == peer.ValidatorIndex))
            {
                problems.Add($"Peers:{i}:ValidatorIndex: {peer.ValidatorIndex} is listed twice; each validator is one peer");
            }
            if (!Uri.TryCreate(peer.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"Peers:{i}:Endpoint: '{peer.Endpoint}' is not an address like https://10.0.0.2:7101 (http:// only without TLS)");
            }
        }
    }

    private static void CheckTls(TlsConfig? tls, List<string> problems)
    {
        if (tls is null)
        {
            return;
        }
        var files = new (string Key, string? File, string What, bool Required)[]
        {
            ("Tls:CertificateFile", tls.CertificateFile, "the node's certificate", true),
            ("Tls:KeyFile", tls.KeyFile, "the certificate's private key", true),
            ("Tls:CaFile", tls.CaFile, "the CA that signs the peers' certificates", false),
        };
        var unusable = files.Where(f => string.IsNullOrEmpty(f.File) ? f.Required : !File.Exists(f.File)).ToArray();
        foreach (var (key, file, what, _) in unusable)
        {
            problems.Add(string.IsNullOrEmpty(file)
                ? $"{key}: missing; give the PEM file of {what}"
                : $"{key}: '{file}' does not exist; give the PEM file of {what}");
        }
        if (unusable.Any(f => f.Required))
        {
            return;
        }
        try
        {
            using var pair = X509Certificate2.CreateFromPemFile(tls.CertificateFile, tls.KeyFile);
        }
        catch (CryptographicException e)
        {
            problems.Add($"Tls: the certificate '{tls.CertificateFile}' and key '{tls.KeyFile}' do not load as a pair ({e.Message.TrimEnd('.')}); "
                + "Tls:CertificateFile is the certificate PEM (BEGIN CERTIFICATE) and Tls:KeyFile its private key PEM: swapped, or from different pairs?");
        }
    }

    private static void CheckLimits(NodeConfig options, List<string> problems)
    {
        var positive = new List<(string Key, long Value)>();
        if (options.Mempool is { } m)
        {
            positive.AddRange([("Mempool:TransactionsMax", m.TransactionsMax), ("Mempool:BytesMax", m.BytesMax)]);
        }
        if (options.Block is { } b)
        {
            positive.AddRange([("Block:TransactionsMax", b.TransactionsMax), ("Block:BytesMax", b.BytesMax)]);
        }
        if (options.Consensus is { } c)
        {
            positive.AddRange([("Consensus:ProposeBaseMs", c.ProposeBaseMs), ("Consensus:PrevoteBaseMs", c.PrevoteBaseMs), ("Consensus:PrecommitBaseMs", c.PrecommitBaseMs),
                ("Consensus:RebroadcastMs", c.RebroadcastMs), ("Consensus:BlockTimeAheadMaxMs", c.BlockTimeAheadMaxMs)]);
            if (c.EmptyBlockIntervalMs < 0)
            {
                // 0 is allowed: no heartbeat, blocks only when there are transactions.
                problems.Add($"Consensus:EmptyBlockIntervalMs: {c.EmptyBlockIntervalMs} must be 0 (no heartbeat) or positive");
            }
        }
        problems.AddRange(positive.Where(p => p.Value <= 0).Select(p => $"{p.Key}: {p.Value} must be positive"));
    }

    private static void Check(List<string> problems, Action check)
    {
        try
        {
            check();
        }
        catch (InvalidDataException e)
        {
            problems.Add(e.Message);
        }
    }
}
