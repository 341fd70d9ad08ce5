using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using Ledger.Contracts.Execution;

namespace Ledger.Contracts.Tests.Determinism;

/// <summary>
/// The contracts may read no clock but the block's time and draw no random numbers: this reads every
/// member the compiled Contracts assembly references and fails on any that would.
/// </summary>
public sealed class NoClockNoRandomnessTests
{
    private static readonly (string Type, string Member)[] Forbidden =
    [
        ("System.DateTime", "get_Now"), ("System.DateTime", "get_UtcNow"), ("System.DateTime", "get_Today"),
        ("System.DateTimeOffset", "get_Now"), ("System.DateTimeOffset", "get_UtcNow"),
        ("System.Diagnostics.Stopwatch", "*"), ("System.Environment", "get_TickCount"), ("System.Environment", "get_TickCount64"),
        ("System.TimeProvider", "*"), ("System.Random", "*"), ("System.Guid", "NewGuid"),
        ("System.Security.Cryptography.RandomNumberGenerator", "*"), ("System.Threading.Thread", "*"),
        ("System.Threading.Tasks.Task", "*"), ("System.IO.File", "*"), ("System.Single", "*"), ("System.Double", "*"),
    ];

    /// <summary>Folders of the Contracts project whose code runs inside a block; crypto and genesis loading run outside.</summary>
    private static readonly string[] BlockNamespaces =
    [
        "Ledger.Contracts.Execution", "Ledger.Contracts.Certificates", "Ledger.Contracts.Routes",
        "Ledger.Contracts.Membership", "Ledger.Contracts.State", "Ledger.Contracts.Rules", "Ledger.Contracts.Blocks",
    ];

    [Fact]
    public void Code_that_runs_in_a_block_references_no_clock_randomness_thread_file_or_floating_point()
    {
        var offenders = ReferencesFromBlockCode()
            .Where(r => Forbidden.Any(f => f.Type == r.Type && (f.Member == "*" || f.Member == r.Member)))
            .Select(r => $"{r.From} uses {r.Type}.{r.Member}")
            .Distinct()
            .ToArray();

        offenders.Should().BeEmpty();
    }

    [Fact]
    public void The_scan_sees_the_members_the_contracts_do_use()
    {
        // Guards the test above against scanning nothing.
        ReferencesFromBlockCode().Should().Contain(r => r.Type == "System.String" && r.Member == "Join");
    }

    private static IEnumerable<(string From, string Type, string Member)> ReferencesFromBlockCode()
    {
        var path = typeof(BlockExecutor).Assembly.Location;
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            var ns = OuterNamespace(md, type);
            if (!BlockNamespaces.Contains(ns))
            {
                continue;
            }
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                foreach (var token in MemberTokens(il))
                {
                    var reference = Describe(md, token);
                    if (reference is { } r)
                    {
                        yield return ($"{ns}.{md.GetString(type.Name)}", r.Type, r.Member);
                    }
                }
            }
        }
    }

    private static string OuterNamespace(MetadataReader md, TypeDefinition type)
    {
        while (type.GetDeclaringType() is { IsNil: false } outer)
        {
            type = md.GetTypeDefinition(outer);
        }
        return md.GetString(type.Namespace);
    }

    /// <summary>Every metadata token operand of call, callvirt, newobj, ldftn, ldfld and similar in a method body.</summary>
    private static List<int> MemberTokens(BlobReader il)
    {
        var tokens = new List<int>();
        while (il.RemainingBytes > 0)
        {
            int opcode = il.ReadByte();
            if (opcode == 0xFE)
            {
                opcode = 0xFE00 | il.ReadByte();
            }
            var size = OperandSize(opcode);
            if (size == -1)
            {
                var count = il.ReadInt32();
                il.Offset += count * 4;
                continue;
            }
            if (size == 4 && IsTokenOpcode(opcode))
            {
                tokens.Add(il.ReadInt32());
                continue;
            }
            il.Offset += size;
        }
        return tokens;
    }

    private static bool IsTokenOpcode(int op) => op is 0x28 or 0x6F or 0x73 or 0x7B or 0x7C or 0x7D or 0x7E or 0x7F or 0x80 or 0xFE06 or 0xFE07 or 0xD0;

    private static int OperandSize(int op) => op switch
    {
        0x45 => -1, // switch
        0x20 or 0x22 or 0x28 or 0x29 or 0x38 or 0x39 or 0x3A or 0x3B or 0x3C or 0x3D or 0x3E or 0x3F or 0x40 or 0x41 or 0x42 or 0x43 or 0x44
            or 0x6F or 0x70 or 0x71 or 0x72 or 0x73 or 0x74 or 0x75 or 0x79 or 0x7B or 0x7C or 0x7D or 0x7E or 0x7F or 0x80 or 0x81
            or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5 or 0xC2 or 0xC6 or 0xD0 or 0xDD or 0xFE06 or 0xFE07 or 0xFE15 or 0xFE16 or 0xFE1C => 4,
        0x21 or 0x23 => 8,
        0x0E or 0x0F or 0x10 or 0x11 or 0x12 or 0x13 or 0x1F or 0x2B or 0x2C or 0x2D or 0x2E or 0x2F or 0x30 or 0x31 or 0x32 or 0x33
            or 0x34 or 0x35 or 0x36 or 0x37 or 0xDE or 0xFE12 => 1,
        0xFE09 or 0xFE0A or 0xFE0B or 0xFE0C or 0xFE0D or 0xFE0E => 2,
        _ => 0,
    };

    private static (string Type, string Member)? Describe(MetadataReader md, int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        switch (handle.Kind)
        {
            case HandleKind.MemberReference:
                var member = md.GetMemberReference((MemberReferenceHandle)handle);
                return (TypeName(md, member.Parent), md.GetString(member.Name));
            case HandleKind.MethodSpecification:
                var spec = md.GetMethodSpecification((MethodSpecificationHandle)handle);
                return spec.Method.Kind == HandleKind.MemberReference ? Describe(md, MetadataTokens.GetToken(spec.Method)) : null;
            case HandleKind.TypeReference:
                return (TypeName(md, handle), "*");
            default:
                return null;
        }
    }

    private static string TypeName(MetadataReader md, EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeReference => Qualified(md, md.GetTypeReference((TypeReferenceHandle)handle)),
        HandleKind.TypeSpecification => "generic",
        _ => "local",
    };

    private static string Qualified(MetadataReader md, TypeReference type) =>
        md.GetString(type.Namespace) is { Length: > 0 } ns ? $"{ns}.{md.GetString(type.Name)}" : md.GetString(type.Name);
}
