using Grpc.Core;
using Ledger.Contracts.Rules;

namespace Ledger.Node.Services;

/// <summary>Turns a rule's refusal into the gRPC status a client expects, with the rule's code in a trailer.</summary>
public static class RefusalStatus
{
    public const string RuleCodeTrailer = "ledger-rule-code";

    public static RpcException ToException(Refusal refusal)
    {
        var trailers = new Metadata { { RuleCodeTrailer, refusal.Code } };
        return new RpcException(new Status(ToStatusCode(refusal.Kind), $"{refusal.Code}: {refusal.Message}"), trailers);
    }

    public static StatusCode ToStatusCode(RefusalKind kind) => kind switch
    {
        RefusalKind.InvalidArgument => StatusCode.InvalidArgument,
        RefusalKind.PermissionDenied => StatusCode.PermissionDenied,
        RefusalKind.NotFound => StatusCode.NotFound,
        RefusalKind.AlreadyExists => StatusCode.AlreadyExists,
        RefusalKind.FailedPrecondition => StatusCode.FailedPrecondition,
        RefusalKind.ResourceExhausted => StatusCode.ResourceExhausted,
        _ => StatusCode.Internal,
    };
}
