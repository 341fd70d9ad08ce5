using System.Globalization;
using System.Text.RegularExpressions;
using Ledger.Contracts.Tests.Support;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;

namespace Ledger.Contracts.Tests.Crypto;

/// <summary>
/// The curve parameters docs/PROTOCOL.md prints for a foreign implementation are the ones the suites sign
/// with: a typo in the document fails here, not in someone else's verifier.
/// </summary>
public sealed partial class PrintedCurveTests
{
    [Fact]
    public void The_sm2_parameters_printed_in_the_protocol_are_the_curve_the_suite_uses()
    {
        var printed = Parameters("### sm2 ");
        var curve = CustomNamedCurves.GetByName("sm2p256v1");

        Check(printed, curve, "xG", "yG", "n");
        curve.H.Should().Be(BigInteger.One, "the document says cofactor 1");
    }

    [Fact]
    public void The_gost_parameters_printed_in_the_protocol_are_the_curve_the_suite_uses()
    {
        var printed = Parameters("### gost2012 ");
        var curve = Org.BouncyCastle.Asn1.CryptoPro.ECGost3410NamedCurves.GetByName("Tc26-Gost-3410-12-256-paramSetA");

        Check(printed, curve, "xP", "yP", "q");
        curve.H.Should().Be(BigInteger.ValueOf(4), "the document says cofactor 4");
    }

    private static void Check(IReadOnlyDictionary<string, string> printed, X9ECParameters curve, string x, string y, string order)
    {
        printed.Keys.Should().BeEquivalentTo(["p", "a", "b", x, y, order]);
        Hex(curve.Curve.Field.Characteristic).Should().Be(printed["p"]);
        Hex(curve.Curve.A.ToBigInteger()).Should().Be(printed["a"]);
        Hex(curve.Curve.B.ToBigInteger()).Should().Be(printed["b"]);
        Hex(curve.G.AffineXCoord.ToBigInteger()).Should().Be(printed[x]);
        Hex(curve.G.AffineYCoord.ToBigInteger()).Should().Be(printed[y]);
        Hex(curve.N).Should().Be(printed[order]);
    }

    private static string Hex(BigInteger value) => value.ToString(16).PadLeft(64, '0');

    /// <summary>The <c>- `name = hex`</c> lines of the section whose heading starts with <paramref name="heading"/>.</summary>
    private static Dictionary<string, string> Parameters(string heading)
    {
        var protocol = RepositoryFiles.Read("docs/PROTOCOL.md");
        var start = protocol.IndexOf("\n" + heading, StringComparison.Ordinal);
        start.Should().BePositive($"PROTOCOL.md has a section '{heading.Trim()}'");
        var end = protocol.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var section = protocol[start..(end < 0 ? protocol.Length : end)];
        return ParameterLine().Matches(section).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.ToLower(CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^\s*- `(\w+)\s*=\s*([0-9a-fA-F]{64})`", RegexOptions.Multiline)]
    private static partial Regex ParameterLine();
}
