using Grpc.Core;
using Ledger.Client.Tests.Support;
using Ledger.Wire;

namespace Ledger.Client.Tests;

/// <summary>One call, several nodes: failures move the call to the next endpoint, within a bound.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private readonly FakeNetwork _network = new();

    public Task InitializeAsync()
    {
        _network.Chain.SubmitOk(_network.Corridor.Signer(Corridor.CnChamber),
            b => b.IssueCertificate = new IssueCertificate { Certificate = Corridor.Certificate("CN-1", _network.Chain.NextTimeMs) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task An_unavailable_node_is_skipped_for_the_next_endpoint()
    {
        var down = _network.Node("down");
        down.FailWith = StatusCode.Unavailable;
        var up = _network.Node("up");

        var result = await _network.Client("down", "up").VerifyCertificateAsync("cn-ccpit/CN-1");

        result.Found.Should().BeTrue();
        down.Calls.Should().Be(1);
        up.Calls.Should().Be(1);
    }

    [Fact]
    public async Task A_node_that_refuses_connections_is_skipped_for_the_next_endpoint()
    {
        // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
        var result = await _network.Client("http://127.0.0.1:1", "up").VerifyCertificateAsync("cn-ccpit/CN-1");

        result.Found.Should().BeTrue();
    }

    [Fact]
    public async Task A_node_slower_than_the_deadline_is_skipped_for_the_next_endpoint()
    {
        _network.Node("slow").Delay = TimeSpan.FromSeconds(30);
        var options = _network.Options("slow", "up");
        options.CallTimeout = TimeSpan.FromMilliseconds(500);

        var result = await _network.Client(options).VerifyCertificateAsync("cn-ccpit/CN-1");

        result.Found.Should().BeTrue();
    }

    [Fact]
    public async Task When_every_node_is_down_the_attempts_are_bounded()
    {
        var down = _network.Node("down");
        down.FailWith = StatusCode.Unavailable;
        var options = _network.Options("down");
        options.RetryCount = 2;

        var act = () => _network.Client(options).VerifyCertificateAsync("cn-ccpit/CN-1");

        (await act.Should().ThrowAsync<LedgerUnavailableException>()).Which.Failures.Should().HaveCount(3);
        down.Calls.Should().Be(3);
    }

    [Fact]
    public async Task After_a_failure_the_node_that_answered_is_asked_first()
    {
        var down = _network.Node("down");
        down.FailWith = StatusCode.Unavailable;
        var client = _network.Client("down", "up");

        await client.VerifyCertificateAsync("cn-ccpit/CN-1");
        await client.VerifyCertificateAsync("cn-ccpit/CN-1");

        down.Calls.Should().Be(1);
        _network.Node("up").Calls.Should().Be(2);
    }

    [Fact]
    public async Task A_server_that_implements_no_ledger_method_is_skipped_and_named_not_a_ledger_node()
    {
        var other = _network.Node("other");
        other.FailWith = StatusCode.Unimplemented;

        var result = await _network.Client("other", "up").VerifyCertificateAsync("cn-ccpit/CN-1");
        var alone = () => _network.Client("other").VerifyCertificateAsync("cn-ccpit/CN-1");

        result.Found.Should().BeTrue();
        var failures = (await alone.Should().ThrowAsync<LedgerUnavailableException>()).Which.Failures;
        failures.Should().AllBeOfType<NodeFailureException>().And.AllSatisfy(f => ((NodeFailureException)f).Kind.Should().Be(NodeFailureKind.NotALedgerNode));
    }

    [Fact]
    public async Task A_ledger_node_s_not_found_without_a_rule_code_stays_a_refusal()
    {
        // GetBlock past the head answers NotFound without a rule code: a ledger's answer, not a sign of another server.
        var act = () => _network.Client("up").GetBlockAsync(999);

        (await act.Should().ThrowAsync<LedgerRefusedException>()).Which.Code.Should().Be("UNKNOWN");
        _network.Node("up").Calls.Should().Be(1);
    }

    [Fact]
    public async Task A_not_found_answer_to_an_unproven_consignment_read_is_not_found_not_an_error()
    {
        var result = await _network.Client("up").GetConsignmentAsync("CIM-404", requireProof: false);

        result.Found.Should().BeFalse();
        result.Trust.Should().Be(AnswerTrust.Unverified);
    }
}
