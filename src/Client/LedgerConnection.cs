using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WireLedger = Ledger.Wire.Ledger;

namespace Ledger.Client;

/// <summary>
/// Several nodes behind one call: each call goes to one node; when that node is down, slow, or gives an
/// answer that fails verification, the call moves on to the next endpoint, at most
/// <see cref="LedgerClientOptions.RetryCount"/> times. A refusal (a rule's code) is final: every honest
/// node would give the same. Safe for concurrent use.
/// </summary>
public sealed class LedgerConnection : IDisposable
{
    public const string RuleCodeTrailer = "ledger-rule-code";
    private static readonly TimeSpan BackoffFirst = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan BackoffMax = TimeSpan.FromSeconds(2);

    private readonly LedgerClientOptions _options;
    private readonly ILedgerChannelFactory _channels;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ChannelBase?[] _open;
    private readonly CallInvoker?[] _invokers;
    private readonly CallSigningInterceptor? _readSigning;
    private readonly Lock _openLock = new();
    // The node that answered last is asked first next time, so a dead node costs one failed attempt, not one per call.
    private int _preferred;

    public LedgerConnection(
        IOptions<LedgerClientOptions> options,
        ILedgerChannelFactory? channels = null,
        ILogger<LedgerConnection>? logger = null,
        TimeProvider? time = null)
    {
        _options = Validated(options.Value);
        _channels = channels ?? new GrpcChannelFactory(_options.CaFilePath);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        Endpoints = [.. _options.Endpoints];
        _open = new ChannelBase?[Endpoints.Count];
        _invokers = new CallInvoker?[Endpoints.Count];
        _readSigning = _options.Reader is { } reader ? new CallSigningInterceptor(reader.ReadSigner()) : null;
    }

    public IReadOnlyList<string> Endpoints { get; }

    public LedgerClientOptions Options => _options;

    /// <summary>
    /// Runs <paramref name="call"/> against one node after another until one gives an answer that
    /// <paramref name="call"/> accepts. <paramref name="call"/> throws <see cref="UntrustedAnswerException"/>
    /// to reject an answer and move on.
    /// </summary>
    /// <exception cref="LedgerRefusedException">A node refused the request with a status other than Unavailable or DeadlineExceeded.</exception>
    /// <exception cref="UntrustedAnswerException">Every attempt failed and at least one answer failed verification.</exception>
    /// <exception cref="LedgerUnavailableException">Every attempt failed to reach a node or timed out.</exception>
    public async Task<T> CallAsync<T>(
        string operation,
        Func<WireLedger.LedgerClient, CallOptions, string, Task<T>> call,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null)
    {
        var failures = new List<Exception>();
        var attempts = _options.RetryCount + 1;
        var start = Volatile.Read(ref _preferred);
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var index = (start + attempt) % Endpoints.Count;
            if (attempt > 0 && index == start % Endpoints.Count)
            {
                // Every endpoint failed once: pause before going round again, so a restarting network is not hammered.
                var round = attempt / Endpoints.Count;
                var pause = TimeSpan.FromTicks(Math.Min(BackoffMax.Ticks, BackoffFirst.Ticks << Math.Min(round - 1, 5)));
                await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
            }
            var endpoint = Endpoints[index];
            var callOptions = new CallOptions(
                deadline: _time.GetUtcNow().UtcDateTime + (timeout ?? _options.CallTimeout),
                cancellationToken: cancellationToken);
            try
            {
                var result = await call(new WireLedger.LedgerClient(Channel(index)), callOptions, endpoint).ConfigureAwait(false);
                Volatile.Write(ref _preferred, index);
                return result;
            }
            catch (RpcException ex) when ((IsTransient(ex.StatusCode) || NodeFailureException.IsNotALedgerNode(ex)) && !cancellationToken.IsCancellationRequested)
            {
                // What answered there may be no ledger node at all (a 404 of another server): the next address may be one.
                _logger.LogWarning("{Operation} on {Endpoint} failed with {Status}: {Detail}; trying the next node",
                    operation, endpoint, ex.StatusCode, ex.Status.Detail);
                failures.Add(NodeFailureException.Of(endpoint, ex));
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"{operation} was cancelled", ex, cancellationToken);
            }
            catch (RpcException ex)
            {
                throw Refusal(ex);
            }
            catch (UntrustedAnswerException ex)
            {
                var attributed = ex.Endpoint is null ? ex.From(endpoint) : ex;
                _logger.LogWarning("{Operation} on {Endpoint}: answer rejected, {Reason}: {Detail}; trying the next node",
                    operation, endpoint, attributed.Reason, attributed.Detail);
                failures.Add(attributed);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("{Operation} on {Endpoint} could not connect: {Detail}; trying the next node", operation, endpoint, ex.Message);
                failures.Add(NodeFailureException.Of(endpoint, ex));
            }
        }
        // A node that lied is the news worth reporting, even if others were merely down.
        if (failures.OfType<UntrustedAnswerException>().LastOrDefault() is { } untrusted)
        {
            throw untrusted;
        }
        throw new LedgerUnavailableException(operation, failures);
    }

    /// <summary>The rule code a refusal carries, or "UNKNOWN" with the gRPC status when a node sent none.</summary>
    public static LedgerRefusedException Refusal(RpcException ex)
    {
        var code = ex.Trailers.GetValue(RuleCodeTrailer);
        var detail = ex.Status.Detail ?? "";
        // Nodes write the code into the detail too, for plain gRPC tools; the exception carries it once, in Code.
        if (!string.IsNullOrEmpty(code) && detail.StartsWith(code + ": ", StringComparison.Ordinal))
        {
            detail = detail[(code.Length + 2)..];
        }
        return new LedgerRefusedException(string.IsNullOrEmpty(code) ? "UNKNOWN" : code,
            detail.Length == 0 ? ex.StatusCode.ToString() : detail, inner: ex);
    }

    /// <summary>A raw client of one endpoint, for streams that manage their own resumption.</summary>
    internal WireLedger.LedgerClient ClientFor(int index) => new(Channel(index));

    public void Dispose()
    {
        lock (_openLock)
        {
            for (var i = 0; i < _open.Length; i++)
            {
                (_open[i] as IDisposable)?.Dispose();
                _open[i] = null;
                _invokers[i] = null;
            }
        }
    }

    // Unavailable covers refused connections and nodes shutting down; DeadlineExceeded a node too slow.
    // Internal is what a reset HTTP/2 stream becomes: the next node may well answer.
    internal static bool IsTransient(StatusCode status) =>
        status is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown;

    // With a reader every call is signed: the node checks the identity only where content needs it.
    private CallInvoker Channel(int index)
    {
        lock (_openLock)
        {
            if (_invokers[index] is { } invoker)
            {
                return invoker;
            }
            var channel = _open[index] ??= _channels.Create(Endpoints[index]);
            return _invokers[index] = _readSigning is null ? channel.CreateCallInvoker() : channel.Intercept(_readSigning);
        }
    }

    private static LedgerClientOptions Validated(LedgerClientOptions options)
    {
        if (options.Endpoints.Count == 0 || options.Endpoints.Any(string.IsNullOrWhiteSpace))
        {
            throw new OptionsValidationException(nameof(LedgerClientOptions), typeof(LedgerClientOptions), ["Endpoints: at least one node address is needed, none blank"]);
        }
        if (string.IsNullOrWhiteSpace(options.ChainId))
        {
            throw new OptionsValidationException(nameof(LedgerClientOptions), typeof(LedgerClientOptions), ["ChainId: the network's chain id is required"]);
        }
        if (options.RetryCount is < 0 or > LedgerClientOptions.RetryCountMax)
        {
            throw new OptionsValidationException(nameof(LedgerClientOptions), typeof(LedgerClientOptions),
                [$"RetryCount: {options.RetryCount} is outside 0..{LedgerClientOptions.RetryCountMax}"]);
        }
        if (options.CallTimeout <= TimeSpan.Zero || options.CommitWait <= TimeSpan.Zero || options.SubmitTimeout <= TimeSpan.Zero)
        {
            throw new OptionsValidationException(nameof(LedgerClientOptions), typeof(LedgerClientOptions), ["CallTimeout, CommitWait and SubmitTimeout must be positive"]);
        }
        return options;
    }
}
