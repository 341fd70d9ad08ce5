using System.Net;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Ledger.Node.Devnet;
using Ledger.Wire;

namespace Ledger.Node.Tests.Verification;

/// <summary>
/// A node that lies: serves the verification page and API of a real node, and rewrites each certificate answer as
/// <see cref="Tampering"/> says. The page it serves is the real one; only the answers are changed.
/// </summary>
public sealed class TamperingProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _upstream;
    private readonly Tampering _tampering;
    private readonly Task _loop;
    private readonly Dictionary<string, byte[]> _firstAnswers = new(StringComparer.Ordinal);

    public TamperingProxy(string upstreamUrl, Tampering tampering)
    {
        _upstream = new HttpClient { BaseAddress = new Uri(upstreamUrl) };
        _tampering = tampering;
        var port = FreePorts.FindRange(1);
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = ServeAsync();
    }

    public string Url { get; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var path = context.Request.RawUrl!;
            using var answer = await _upstream.GetAsync(path.TrimStart('/'));
            var body = await answer.Content.ReadAsByteArrayAsync();
            if (answer.IsSuccessStatusCode && context.Request.Url!.AbsolutePath.StartsWith("/api/v1/certificates/", StringComparison.Ordinal))
            {
                body = _tampering == Tampering.StaleAnswer
                    ? _firstAnswers.TryGetValue(path, out var first) ? first : _firstAnswers[path] = body
                    : System.Text.Encoding.UTF8.GetBytes(Tamper(JsonNode.Parse(body)!.AsObject()).ToJsonString());
            }
            context.Response.StatusCode = (int)answer.StatusCode;
            context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private JsonObject Tamper(JsonObject answer)
    {
        var proof = answer["proof"]!.AsObject();
        switch (_tampering)
        {
            case Tampering.ChangedRecord:
                foreach (var entry in proof["entries"]!.AsArray().Select(e => e!.AsObject()))
                {
                    if (entry["key"]!.GetValue<string>().StartsWith("cert-status/", StringComparison.Ordinal))
                    {
                        var record = CertificateStatusRecord.Parser.ParseFrom(Convert.FromBase64String(entry["value"]!.GetValue<string>()));
                        record.Status = CertificateStatus.Issued;
                        record.StatusReason = "";
                        entry["value"] = Convert.ToBase64String(record.ToByteArray());
                    }
                }
                answer["status"] = "CERTIFICATE_STATUS_ISSUED";
                answer.Remove("statusReason");
                break;
            case Tampering.ForgedSignature:
                var signature = proof["certificate"]!["signatures"]![0]!.AsObject();
                var bytes = Convert.FromBase64String(signature["signature"]!.GetValue<string>());
                bytes[10] ^= 0x01;
                signature["signature"] = Convert.ToBase64String(bytes);
                break;
            case Tampering.ChangedHeader:
                proof["header"]!["stateRoot"] = Convert.ToBase64String(new byte[32]);
                break;
            case Tampering.ChangedRoster:
                proof["validatorSets"]![0]!["validators"]![0]!["power"] = "3";
                break;
            case Tampering.DroppedRoster:
                proof.Remove("validatorSets");
                break;
            default:
                throw new InvalidOperationException($"{_tampering} does not rewrite an answer");
        }
        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
        _upstream.Dispose();
    }
}
