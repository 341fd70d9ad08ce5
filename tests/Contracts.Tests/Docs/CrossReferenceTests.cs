using System.Text.RegularExpressions;
using Ledger.Contracts.Tests.Support;

namespace Ledger.Contracts.Tests.Docs;

/// <summary>
/// The protocol is meant to be followed from its documents alone, so every reference in them must lead
/// somewhere: a section named by its heading (<c>docs/PROTOCOL.md, "Signed calls"</c>, or
/// <c>section "State"</c> within a document), a document (<c>docs/GENESIS.md</c>, a Markdown link), or a
/// file or folder of the repository (<c>src/Contracts/Rules/RuleCatalog.cs</c>). Scans protos/**/*.proto,
/// docs/*.md and README.md.
/// </summary>
public sealed partial class CrossReferenceTests
{
    [Fact]
    public void Every_section_document_and_path_named_in_the_protos_and_docs_exists()
    {
        var broken = Sources().SelectMany(source => Check(source.Path, source.Text)).ToArray();

        string.Join('\n', broken).Should().BeEmpty("every reference must resolve");
    }

    [Fact]
    public void The_checker_finds_a_missing_section_a_missing_document_and_a_missing_path()
    {
        const string text = """
            See docs/PROTOCOL.md, "No such section", and docs/PROTOCOL.md, "Signed calls".
            The tree is in docs/protocol-parts/state-tree.md; its code in src/Contracts/StateTree/Nowhere.cs.
            Read [the rules](RULES.md) and [nothing](NOTHING.md), and section "Receipts" of this document.
            """;

        var broken = Check("docs/PROTOCOL.md", text).ToArray();

        broken.Should().HaveCount(4);
        broken.Should().Contain(b => b.Contains("\"No such section\"", StringComparison.Ordinal))
            .And.Contain(b => b.Contains("docs/protocol-parts/state-tree.md", StringComparison.Ordinal))
            .And.Contain(b => b.Contains("src/Contracts/StateTree/Nowhere.cs", StringComparison.Ordinal))
            .And.Contain(b => b.Contains("NOTHING.md", StringComparison.Ordinal));
    }

    private static IEnumerable<(string Path, string Text)> Sources()
    {
        var root = RepositoryFiles.Root;
        var protos = Directory.GetFiles(Path.Combine(root, "protos"), "*.proto", SearchOption.AllDirectories);
        var docs = Directory.GetFiles(Path.Combine(root, "docs"), "*.md");
        var files = protos.Concat(docs).Append(Path.Combine(root, "README.md")).Order(StringComparer.Ordinal).ToArray();
        files.Should().Contain(f => f.EndsWith("PROTOCOL.md", StringComparison.Ordinal));
        return files.Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)));
    }

    /// <summary>Every broken reference of one file, as "file:line: reference: why".</summary>
    private static IEnumerable<string> Check(string path, string text)
    {
        // A proto's comments are read as one text, so that a reference broken over two lines is still one.
        var readable = path.EndsWith(".proto", StringComparison.Ordinal) ? CommentMarker().Replace(text, "") : text;
        var directory = Path.GetDirectoryName(path)!.Replace('\\', '/');
        var named = new List<(int Start, int End)>();
        foreach (Match m in SectionOfFile().Matches(readable))
        {
            named.Add((m.Index, m.Index + m.Length));
            var file = ResolveDocument(m.Groups["file"].Value, directory);
            if (file is null)
            {
                yield return Where(path, readable, m.Index, m.Value, "no such document");
            }
            else if (!HasSection(file, m.Groups["name"].Value))
            {
                yield return Where(path, readable, m.Index, m.Value, $"{file} has no section \"{m.Groups["name"].Value}\"");
            }
        }
        foreach (Match m in SectionOfThisFile().Matches(readable))
        {
            if (named.Any(n => m.Index >= n.Start && m.Index < n.End) || !path.EndsWith(".md", StringComparison.Ordinal))
            {
                continue;
            }
            if (!HasSection(path, m.Groups["name"].Value))
            {
                yield return Where(path, readable, m.Index, m.Value, $"{path} has no section \"{m.Groups["name"].Value}\"");
            }
        }
        foreach (Match m in MarkdownLink().Matches(readable))
        {
            var target = m.Groups["target"].Value;
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            if (!Exists(Normalise(directory + "/" + target)))
            {
                yield return Where(path, readable, m.Index, m.Value, "the link leads nowhere");
            }
        }
        foreach (Match m in DocumentName().Matches(readable))
        {
            if (ResolveDocument(m.Value, directory) is null)
            {
                yield return Where(path, readable, m.Index, m.Value, "no such document");
            }
        }
        foreach (Match m in RepositoryPath().Matches(readable))
        {
            // A test class may be named by its path without ".cs".
            if (!Exists(m.Value.TrimEnd('.')) && !Exists(m.Value + ".cs"))
            {
                yield return Where(path, readable, m.Index, m.Value, "no such file or folder");
            }
        }
    }

    /// <summary>A document by the name a text gives it: relative to the text's folder, to docs/, or to the root.</summary>
    private static string? ResolveDocument(string name, string directory)
    {
        string[] candidates = name.Contains('/', StringComparison.Ordinal)
            ? [Normalise(directory + "/" + name), Normalise(name)]
            : [Normalise(directory + "/" + name), "docs/" + name, name];
        return candidates.FirstOrDefault(c => File.Exists(Path.Combine(RepositoryFiles.Root, c)));
    }

    private static bool HasSection(string document, string name)
    {
        var headings = Headings(RepositoryFiles.Read(document));
        return headings.Any(h => h == name || h.StartsWith(name + " (", StringComparison.Ordinal) || h.StartsWith(name + " —", StringComparison.Ordinal));
    }

    /// <summary>The Markdown headings of a document, outside fenced code blocks.</summary>
    private static List<string> Headings(string text)
    {
        var headings = new List<string>();
        var fenced = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
            }
            else if (!fenced && Heading().Match(line) is { Success: true } heading)
            {
                headings.Add(heading.Groups[1].Value.Trim());
            }
        }
        return headings;
    }

    private static bool Exists(string relative)
    {
        var full = Path.Combine(RepositoryFiles.Root, relative);
        return File.Exists(full) || Directory.Exists(full);
    }

    private static string Normalise(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == ".." && parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }
        return string.Join('/', parts);
    }

    private static string Where(string path, string text, int index, string reference, string why)
    {
        var line = text.AsSpan(0, index).Count('\n') + 1;
        return $"{path}:{line}: {Regex.Replace(reference, @"\s+", " ")}: {why}";
    }

    // docs/PROTOCOL.md, "Signed calls" / PROTOCOL.md ("Consensus") / docs/PROTOCOL.md, section "Signed bytes"
    [GeneratedRegex(@"(?<file>(?:[\w.-]+/)*[\w-]+\.md)\)?,?\s+(?:section\s+)?\(?""(?<name>[^""\n]+)""")]
    private static partial Regex SectionOfFile();

    // section "State", within the same document
    [GeneratedRegex(@"\bsection\s+""(?<name>[^""\n]+)""")]
    private static partial Regex SectionOfThisFile();

    [GeneratedRegex(@"\]\((?<target>[^)#\s]+)(?:#[^)]*)?\)")]
    private static partial Regex MarkdownLink();

    // A document named in the text: ARCHITECTURE.md, docs/GENESIS.md (not inside a longer path; a link's target is checked as a link).
    [GeneratedRegex(@"(?<![\w./-]|\]\()(?:[\w-]+/)*[A-Z][\w-]*\.md\b")]
    private static partial Regex DocumentName();

    // A file or folder of the repository: src/..., tests/..., docs/..., protos/..., bench/...
    [GeneratedRegex(@"(?<![\w./-])(?:src|tests|docs|protos|bench)/[\w./+-]*[\w/+]")]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"^#{1,6}\s+(.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"(?<=\n)[ \t]*//[ \t]?")]
    private static partial Regex CommentMarker();
}
