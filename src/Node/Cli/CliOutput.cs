using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Spectre.Console;

namespace Ledger.Node.Cli;

/// <summary>
/// Where a command writes: people get Spectre.Console text on the invocation's output, scripts get one JSON
/// document with --json. Notes and errors always go to the error writer, so stdout stays parseable.
/// </summary>
public sealed class CliOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonFormatter Proto = new(JsonFormatter.Settings.Default.WithIndentation());

    public CliOutput(TextWriter output, TextWriter error, bool json)
    {
        Out = output;
        Error = error;
        Json = json;
        var interactive = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = interactive
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
        if (!interactive)
        {
            // Captured or piped output is read by programs and people alike: do not wrap it at 80 columns.
            Console.Profile.Width = 200;
        }
        Interactive = interactive && !json;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public bool Json { get; }

    /// <summary>A live display (progress bars) makes sense: a terminal, and no JSON asked for.</summary>
    public bool Interactive { get; }

    public IAnsiConsole Console { get; }

    public static CliOutput For(ParseResult parse, bool json) =>
        new(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, json);

    /// <summary>A line for people, with Spectre markup; nothing in JSON mode.</summary>
    public void Line(string markup)
    {
        if (!Json)
        {
            Console.MarkupLine(markup);
        }
    }

    /// <summary>A "name: value" line, the value escaped; nothing in JSON mode.</summary>
    public void Field(string name, string? value, int indent = 0)
    {
        if (!Json)
        {
            Console.MarkupLine($"{new string(' ', indent)}[grey]{Markup.Escape(name)}:[/] {Markup.Escape(value ?? "")}");
        }
    }

    public void Write(Spectre.Console.Rendering.IRenderable renderable)
    {
        if (!Json)
        {
            Console.Write(renderable);
        }
    }

    /// <summary>A note for the person running the command, on the error writer so JSON output stays clean.</summary>
    public void Note(string text) => Error.WriteLine(text);

    public void WriteJson(JsonNode node) => Out.WriteLine(node.ToJsonString(Indented));

    /// <summary>A protobuf message as its proto3 JSON mapping, as a node to embed in a JSON answer.</summary>
    public static JsonNode? ProtoJson(IMessage? message) => message is null ? null : JsonNode.Parse(Proto.Format(message));
}
