using Ledger.Node.Hosting;
using Ledger.Node.Tests.Storage;

namespace Ledger.Node.Tests.Hosting;

public sealed class VerificationPageConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_node_config_has_no_verification_page_unless_it_names_one()
    {
        NodeConfig.Load(NodeConfigFiles.Write(_folder)).VerificationPage.Should().BeNull();
    }

    [Fact]
    public void A_page_address_is_an_IP_address_and_port_and_anything_else_is_an_error_naming_the_key()
    {
        var path = NodeConfigFiles.Write(_folder);

        var config = NodeConfig.Load(path, Set("VerificationPage:Listen=0.0.0.0:8443"));
        var load = () => NodeConfig.Load(path, Set("VerificationPage:Listen=verify.example:443"));

        config.VerificationPage!.EndPoint().Port.Should().Be(8443);
        load.Should().Throw<InvalidDataException>().WithMessage("node config '*config.json': VerificationPage:Listen 'verify.example:443' is not an IP address and port*");
    }

    // The command line's settings only: the environment of the test run sets nothing here.
    private static ConfigOverrides Set(string set) =>
        new(ConfigOverrides.Read([set]).Settings.Where(s => s.Source.StartsWith("--set", StringComparison.Ordinal)).ToArray(), []);
}
