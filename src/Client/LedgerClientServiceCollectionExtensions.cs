using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ledger.Client;

/// <summary>Registers the client: <c>services.AddLedgerClient(o => { o.Endpoints.Add(...); o.ChainId = ...; o.GenesisPath = ...; })</c>.</summary>
public static class LedgerClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LedgerConnection"/>, <see cref="TrustedValidators"/> (from the genesis document),
    /// <see cref="LedgerNodeClient"/>, the role clients and, when a key file is configured, <see cref="MemberSigner"/>;
    /// all singletons. Replace <see cref="ILedgerChannelFactory"/> or <see cref="TimeProvider"/> by registering
    /// your own before or after this call.
    /// </summary>
    public static IServiceCollection AddLedgerClient(this IServiceCollection services, Action<LedgerClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.TryAddSingleton(TimeProvider.System);
        // The member that signs transactions also signs reads, unless the caller chose another reader.
        services.AddOptions<LedgerClientOptions>().Configure(configure).PostConfigure<TimeProvider>((o, time) =>
        {
            if (o.Reader is null && o.KeyFilePath is not null)
            {
                o.Reader = Signer(o, time);
            }
        });
        services.TryAddSingleton<ILedgerChannelFactory>(sp => new GrpcChannelFactory(sp.GetRequiredService<IOptions<LedgerClientOptions>>().Value.CaFilePath));
        services.TryAddSingleton(sp => new LedgerConnection(
            sp.GetRequiredService<IOptions<LedgerClientOptions>>(),
            sp.GetRequiredService<ILedgerChannelFactory>(),
            Logger<LedgerConnection>(sp),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => Validators(sp.GetRequiredService<IOptions<LedgerClientOptions>>().Value));
        services.TryAddSingleton(sp => new LedgerNodeClient(
            sp.GetRequiredService<LedgerConnection>(),
            sp.GetRequiredService<TrustedValidators>(),
            Logger<LedgerNodeClient>(sp),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => Signer(sp.GetRequiredService<IOptions<LedgerClientOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ChamberClient(sp.GetRequiredService<LedgerNodeClient>(), sp.GetRequiredService<MemberSigner>()));
        services.TryAddSingleton(sp => new ExportCustomsClient(sp.GetRequiredService<LedgerNodeClient>(), sp.GetRequiredService<MemberSigner>()));
        services.TryAddSingleton(sp => new CustomsPostClient(sp.GetRequiredService<LedgerNodeClient>(), sp.GetRequiredService<MemberSigner>()));
        services.TryAddSingleton(sp => new ImportCustomsClient(sp.GetRequiredService<LedgerNodeClient>(), sp.GetRequiredService<MemberSigner>()));
        services.TryAddSingleton(sp => new AuditorClient(sp.GetRequiredService<LedgerNodeClient>()));
        return services;
    }

    // Logging is optional for a library: without AddLogging the client stays silent instead of failing to resolve.
    private static ILogger<T> Logger<T>(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger<T>() ?? NullLogger<T>.Instance;

    private static TrustedValidators Validators(LedgerClientOptions options)
    {
        if (options.Genesis is { } genesis)
        {
            return TrustedValidators.FromGenesis(genesis);
        }
        return options.GenesisPath is { } path
            ? TrustedValidators.FromGenesisFile(path)
            : throw new OptionsValidationException(nameof(LedgerClientOptions), typeof(LedgerClientOptions),
                ["Genesis or GenesisPath: the client needs the genesis document to know which validators to trust"]);
    }

    // Read synchronously: DI factories cannot await, and a key file is a few hundred bytes.
    private static MemberSigner Signer(LedgerClientOptions options, TimeProvider time)
    {
        var path = options.KeyFilePath ?? throw new OptionsValidationException(nameof(LedgerClientOptions), typeof(LedgerClientOptions),
            ["KeyFilePath: this role signs transactions and needs the member's key file"]);
        return MemberSigner.FromKeyFile(KeyFile.Load(path, options.KeyFile), path, options.ChainId, options.Organisation, time);
    }
}
