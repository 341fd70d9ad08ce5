using Ledger.Node.Hosting;

namespace Ledger.Node.Tests.Tls;

public sealed class ListenAddressTests
{
    private static NodeConfig Config(string listen, TlsConfig? tls) => new("n", listen, "data", "genesis.json", null, [], Tls: tls);

    private static readonly TlsConfig Tls = new("node.pem", "node.key.pem");

    [Fact]
    public void Plain_http_is_served_on_loopback_only() =>
        ListenAddress.Of(Config("http://127.0.0.1:7101", null)).Port.Should().Be(7101);

    [Theory]
    [InlineData("http://0.0.0.0:7101", "loopback")]
    [InlineData("http://10.1.2.3:7101", "loopback")]
    [InlineData("https://127.0.0.1:7101", "loopback")]
    public void Without_tls_another_address_or_https_is_refused_at_start(string listen, string said)
    {
        var act = () => ListenAddress.Of(Config(listen, null));
        act.Should().Throw<InvalidDataException>().WithMessage($"*{said}*\"tls\"*");
    }

    [Fact]
    public void With_tls_any_address_is_served_over_https_and_http_is_refused()
    {
        ListenAddress.Of(Config("https://0.0.0.0:7443", Tls)).Port.Should().Be(7443);
        var act = () => ListenAddress.Of(Config("http://0.0.0.0:7443", Tls));
        act.Should().Throw<InvalidDataException>().WithMessage("*serves https*");
    }
}
