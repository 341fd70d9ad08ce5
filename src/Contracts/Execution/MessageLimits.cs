using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Ledger.Contracts.Rules;
using Ledger.Wire;

namespace Ledger.Contracts.Execution;

/// <summary>
/// Puts a limit on every string and list of a transaction, whatever its kind, by walking the message
/// through its descriptor: a new transaction kind is limited without anyone remembering to. A string's
/// limit counts characters (Unicode scalar values), a bytes field's the same number of bytes.
/// </summary>
/// <remarks>
/// Every transaction a node admits is walked, so the walk allocates nothing while the message is within its
/// limits: the path to a field is kept as a stack of (field, index) and spelt out only for a refusal, and
/// scalar fields, which cannot break a limit, are not read (reading one through reflection boxes it).
/// </remarks>
public static class MessageLimits
{
    public static Refusal? Check(IMessage message, Limits limits) => Walk(message, new List<(string Field, int Index)>(), limits);

    private static Refusal? Walk(IMessage message, List<(string Field, int Index)> path, Limits limits)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (!field.IsRepeated && !CanBreakLimit(field))
            {
                continue;
            }
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = (IList)value;
                var max = IsGoodsList(field) ? limits.GoodsLinesMax : limits.ListItemsMax;
                if (list.Count > max)
                {
                    path.Add((field.Name, -1));
                    return new Refusal(RuleCatalog.TooManyItems, $"{Spell(path)} has {list.Count} items; at most {max} are accepted");
                }
                if (!CanBreakLimit(field))
                {
                    continue;
                }
                for (var i = 0; i < list.Count; i++)
                {
                    path.Add((field.Name, i));
                    var refusal = Item(field, list[i], path, limits);
                    if (refusal is not null)
                    {
                        return refusal;
                    }
                    path.RemoveAt(path.Count - 1);
                }
            }
            else if (value is not null)
            {
                path.Add((field.Name, -1));
                var refusal = Item(field, value, path, limits);
                if (refusal is not null)
                {
                    return refusal;
                }
                path.RemoveAt(path.Count - 1);
            }
        }
        return null;
    }

    private static Refusal? Item(FieldDescriptor field, object? value, List<(string Field, int Index)> path, Limits limits) => field.FieldType switch
    {
        // A string is never more characters than UTF-16 units, so only a long one is counted.
        FieldType.String when value is string s && s.Length > limits.StringCharsMax && TextLength.Characters(s) > limits.StringCharsMax =>
            new Refusal(RuleCatalog.FieldTooLong, $"{Spell(path)} has {TextLength.Characters(s)} characters; at most {limits.StringCharsMax} are accepted"),
        FieldType.Bytes when value is ByteString b && b.Length > limits.StringCharsMax =>
            new Refusal(RuleCatalog.FieldTooLong, $"{Spell(path)} has {b.Length} bytes; at most {limits.StringCharsMax} are accepted"),
        FieldType.Message when value is IMessage m => Walk(m, path, limits),
        _ => null,
    };

    private static bool CanBreakLimit(FieldDescriptor field) =>
        field.FieldType is FieldType.String or FieldType.Bytes or FieldType.Message;

    /// <summary>The path as the refusal names it: <c>issue.certificate.goods[3].description</c>.</summary>
    private static string Spell(List<(string Field, int Index)> path) =>
        string.Join('.', path.Select(step => step.Index < 0 ? step.Field : $"{step.Field}[{step.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}]"));

    private static bool IsGoodsList(FieldDescriptor field) =>
        field.FieldType == FieldType.Message && (field.MessageType.ClrType == typeof(GoodsLine) || field.MessageType.ClrType == typeof(UseLine));
}
