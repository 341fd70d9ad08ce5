using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Ledger.Contracts.Rules;
using Ledger.Node.Services;
using Ledger.Node.Telemetry;

namespace Ledger.Node.Hosting;

/// <summary>
/// Answers a <c>Submit</c> whose request is larger than the public service receives by rule: TX_TOO_LARGE,
/// ResourceExhausted, with the code in the <c>ledger-rule-code</c> trailer, as the decoder answers an envelope
/// just over the limit. Only the 5-byte gRPC frame header is read, so an oversized body is never buffered.
/// </summary>
/// <remarks>
/// Without it, gRPC's own receive limit answers ResourceExhausted with no rule code, and above Kestrel's body
/// limit (30 MB) the call fails as Unknown. The answer is a trailers-only gRPC response, as gRPC's own early
/// refusals are.
/// </remarks>
public sealed class SubmitSizeGate(RequestDelegate next, int requestBytesMax, uint txBytesMax)
{
    public const string SubmitPath = "/ledger.v1.Ledger/Submit";
    private const int FrameHeaderBytes = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!string.Equals(context.Request.Path.Value, SubmitPath, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }
        var reader = context.Request.BodyReader;
        var read = await reader.ReadAtLeastAsync(FrameHeaderBytes, context.RequestAborted);
        var header = read.Buffer;
        long length = -1;
        if (header.Length >= FrameHeaderBytes)
        {
            Span<byte> bytes = stackalloc byte[FrameHeaderBytes];
            header.Slice(0, FrameHeaderBytes).CopyTo(bytes);
            length = BinaryPrimitives.ReadUInt32BigEndian(bytes[1..]);
        }
        // Nothing is consumed: gRPC reads the request from the start.
        reader.AdvanceTo(header.Start);
        if (length <= requestBytesMax)
        {
            await next(context);
            return;
        }
        var refusal = new Refusal(RuleCatalog.TxTooLarge, string.Create(CultureInfo.InvariantCulture,
            $"the request carries {length} bytes; a transaction has at most {txBytesMax} (limits.tx_bytes_max)"));
        context.RequestServices.GetService<NodeMetrics>()?.Refused(refusal.Code, "admission");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)RefusalStatus.ToStatusCode(refusal.Kind)).ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = PercentEncode($"{refusal.Code}: {refusal.Message}");
        context.Response.Headers[RefusalStatus.RuleCodeTrailer] = refusal.Code;
    }

    /// <summary>grpc-message as the gRPC protocol encodes it: bytes outside printable ASCII, and '%', as %XX.</summary>
    private static string PercentEncode(string message)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            text.Append(b is >= 0x20 and <= 0x7E and not (byte)'%' ? ((char)b).ToString() : string.Create(CultureInfo.InvariantCulture, $"%{b:X2}"));
        }
        return text.ToString();
    }
}
