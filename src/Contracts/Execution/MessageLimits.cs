using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>
/// Puts a limit on every string and list of a transaction, whatever its kind, by walking the message
/// through its descriptor: a new transaction kind is limited without anyone remembering to.
/// </summary>
public static class MessageLimits
{
    public static Refusal? Check(IMessage message, Limits limits) => Walk(message, "", limits);

    private static Refusal? Walk(IMessage message, string path, Limits limits)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var name = path.Length == 0 ? field.Name : path + "." + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = (IList)value;
                var max = IsGoodsList(field) ? limits.GoodsLinesMax : limits.ListItemsMax;
                if (list.Count > max)
                {
                    return new Refusal(RuleCatalog.TooManyItems, $"{name} has {list.Count} items; at most {max} are accepted");
                }
                for (var i = 0; i < list.Count; i++)
                {
                    var refusal = Item(field, list[i], $"{name}[{i}]", limits);
                    if (refusal is not null)
                    {
                        return refusal;
                    }
                }
            }
            else if (value is not null)
            {
                var refusal = Item(field, value, name, limits);
                if (refusal is not null)
                {
                    return refusal;
                }
            }
        }
        return null;
    }

    private static Refusal? Item(FieldDescriptor field, object? value, string name, Limits limits) => field.FieldType switch
    {
        FieldType.String when value is string s && s.Length > limits.StringCharsMax =>
            new Refusal(RuleCatalog.FieldTooLong, $"{name} has {s.Length} characters; at most {limits.StringCharsMax} are accepted"),
        FieldType.Bytes when value is ByteString b && b.Length > limits.StringCharsMax =>
            new Refusal(RuleCatalog.FieldTooLong, $"{name} has {b.Length} bytes; at most {limits.StringCharsMax} are accepted"),
        FieldType.Message when value is IMessage m => Walk(m, name, limits),
        _ => null,
    };

    private static bool IsGoodsList(FieldDescriptor field) =>
        field.FieldType == FieldType.Message && (field.MessageType.ClrType == typeof(GoodsLine) || field.MessageType.ClrType == typeof(UseLine));
}
