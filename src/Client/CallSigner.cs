using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Ledger.Contracts.Crypto;

namespace Ledger.Client;

/// <summary>
/// Signs gRPC calls with one key, as a member reading commercial content or as a validator calling
/// another node: the headers of <see cref="CallIdentityHeaders"/> over the method, the request and the time.
/// </summary>
public sealed class CallSigner
{
    private readonly KeyPair _keys;
    private readonly TimeProvider _time;
    private readonly Func<string, long, byte[], byte[]> _signedBytes;
    private readonly string _keyText;

    private CallSigner(string caller, KeyPair keys, TimeProvider? time, Func<string, long, byte[], byte[]> signedBytes)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Caller = caller;
        _keys = keys;
        _time = time ?? TimeProvider.System;
        _signedBytes = signedBytes;
        _keyText = PublicKeyText.Format(keys.Public);
    }

    /// <summary>The organisation id or validator index the calls are signed as.</summary>
    public string Caller { get; }

    /// <summary>A member's reads (<see cref="SignedBytes.ForRead"/>).</summary>
    public static CallSigner ForMember(string chainId, string organisationId, KeyPair keys, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chainId);
        ArgumentException.ThrowIfNullOrWhiteSpace(organisationId);
        return new CallSigner(organisationId, keys, time,
            (method, timeMs, request) => SignedBytes.ForRead(chainId, method, organisationId, timeMs, request));
    }

    /// <summary>A validator's node-to-node calls (<see cref="SignedBytes.ForPeerCall"/>).</summary>
    public static CallSigner ForValidator(string chainId, int validatorIndex, KeyPair keys, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chainId);
        ArgumentOutOfRangeException.ThrowIfNegative(validatorIndex);
        return new CallSigner(validatorIndex.ToString(CultureInfo.InvariantCulture), keys, time,
            (method, timeMs, request) => SignedBytes.ForPeerCall(chainId, method, validatorIndex, timeMs, request));
    }

    /// <summary>The identity headers for one call of <paramref name="method"/> (full gRPC name) with this request, signed now.</summary>
    public Metadata Headers(string method, IMessage? request)
    {
        var timeMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var signature = SignatureSuites.Sign(_keys.Private, _signedBytes(method, timeMs, request?.ToByteArray() ?? []));
        return new Metadata
        {
            { CallIdentityHeaders.Caller, Caller },
            { CallIdentityHeaders.Key, _keyText },
            { CallIdentityHeaders.TimeMs, timeMs.ToString(CultureInfo.InvariantCulture) },
            { CallIdentityHeaders.Signature, signature },
        };
    }
}
