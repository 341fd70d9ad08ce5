using System.Text;
using Ledger.Contracts.Crypto;
using Ledger.Contracts.Tests.Support;

namespace Ledger.Contracts.Tests.Crypto;

/// <summary>The exact bytes of a signed read and of a signed node-to-node call (docs/PROTOCOL.md, "Signed calls").</summary>
public sealed class SignedCallBytesTests
{
    [Fact]
    public void A_read_signs_tag_chain_method_organisation_big_endian_time_and_the_request_bytes()
    {
        var bytes = SignedBytes.ForRead("corridor", "/ledger.v1.Ledger/GetCertificate", "kz-customs", 0x0102030405060708, [0xAA, 0xBB]);

        var expected = Encoding.UTF8.GetBytes("ledger.v1/read\0corridor\0/ledger.v1.Ledger/GetCertificate\0kz-customs\0")
            .Concat(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 0xAA, 0xBB }).ToArray();
        bytes.Should().Equal(expected);
    }

    [Fact]
    public void A_peer_call_signs_the_validator_index_in_decimal_under_its_own_tag()
    {
        var bytes = SignedBytes.ForPeerCall("corridor", "/ledger.v1.Consensus/Push", 12, 1, []);

        var expected = Encoding.UTF8.GetBytes("ledger.v1/peer\0corridor\0/ledger.v1.Consensus/Push\012\0")
            .Concat(new byte[] { 0, 0, 0, 0, 0, 0, 0, 1 }).ToArray();
        bytes.Should().Equal(expected);
    }

    [Fact]
    public void A_read_and_a_peer_call_of_the_same_fields_never_sign_the_same_bytes()
    {
        SignedBytes.ForRead("c", "/m", "0", 5, [1]).Should().NotEqual(SignedBytes.ForPeerCall("c", "/m", 0, 5, [1]));
    }

    [Fact]
    public void The_worked_example_of_a_read_in_the_protocol_is_what_the_code_signs()
    {
        var protocol = RepositoryFiles.Read("docs/PROTOCOL.md");
        var start = protocol.IndexOf("Worked example of a read", StringComparison.Ordinal);
        start.Should().BePositive("PROTOCOL.md, section \"Signed calls\", has the worked example");
        var block = protocol[(protocol.IndexOf("```\n", start, StringComparison.Ordinal) + 4)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];
        // Each line: hex columns, then a comment that starts with something that is not hex.
        var hex = string.Concat(block.Split('\n').SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .TakeWhile(token => token.All(Uri.IsHexDigit))));
        byte[] request = [0x0A, 0x0D, .. "cn-ccpit/CN-1"u8];

        var signed = SignedBytes.ForRead("silk-road-devnet", "/ledger.v1.Ledger/GetCertificate", "kz-customs", 1_764_547_200_000, request);

        Convert.FromHexString(hex).Should().Equal(signed);
        signed.Should().HaveCount(99, "the document says 99 bytes");
    }
}
