using Google.Protobuf;
using Ledger.Client.Tests.Support;
using Ledger.Contracts.Consensus;
using Ledger.Contracts.Crypto;
using Ledger.Wire;

namespace Ledger.Client.Tests;

/// <summary>
/// A client trusts the genesis roster and learns each later one only from a header the roster before it certified
/// (PROTOCOL.md, "Validator sets"): what a lying node offers instead is refused, and never believed afterwards.
/// </summary>
public sealed class ValidatorFollowingTests
{
    private readonly Corridor _corridor = new();
    private readonly TestChain _chain;
    private readonly KeyPair[] _newKeys = [.. Enumerable.Range(0, 5).Select(_ => SignatureSuites.Generate(KeySuite.Ed25519))];

    public ValidatorFollowingTests()
    {
        _chain = new TestChain(_corridor);
        // Any block will do: its header is what the tests alter and certify.
        _chain.Submit(_corridor.Signer(Corridor.CnCustoms).Sign(b => b.DeclareConsignment = Corridor.RailConsignment("VF-1")).Envelope).Receipt.Should().NotBeNull();
    }

    private TrustedValidators Trusted() => TrustedValidators.FromGenesis(_corridor.Genesis);

    /// <summary>A roster of five under keys the genesis never named.</summary>
    private Validator[] NewRoster() =>
        [.. _newKeys.Select((k, i) => new Validator { OrganisationId = $"new-{i}", Key = k.Public, Power = 1 })];

    private BlockHeader HeaderNaming(IReadOnlyList<Validator> next, ulong height = 1)
    {
        var header = _chain.Block(1).Header.Clone();
        header.Height = height;
        header.NextValidatorsHash = ByteString.CopyFrom(ValidatorSetHashing.Hash(Corridor.ChainId, next).Span);
        return header;
    }

    private (int, KeyPair)[] Genesis(int count) => [.. _corridor.ValidatorKeys.Take(count).Select((k, i) => (i, k))];

    [Fact]
    public void A_roster_named_by_a_header_the_genesis_roster_certified_is_learnt()
    {
        var trusted = Trusted();
        var header = HeaderNaming(NewRoster());

        trusted.Learn(header, _chain.Certify(header, Genesis(3)), NewRoster()).Should().BeNull();

        trusted.Known.Should().HaveCount(2);
        trusted.At(2).Hash.Should().Be(ValidatorSetHashing.Hash(Corridor.ChainId, NewRoster()));
        trusted.At(1).Should().BeSameAs(trusted.Genesis, "the header's own height is still the old roster's");
    }

    [Fact]
    public void A_roster_certified_by_too_few_of_the_roster_before_it_is_refused()
    {
        var trusted = Trusted();
        var header = HeaderNaming(NewRoster());

        trusted.Learn(header, _chain.Certify(header, Genesis(2)), NewRoster()).Should().Contain("InsufficientPower");
        trusted.Known.Should().HaveCount(1);
    }

    [Fact]
    public void A_roster_certified_only_by_its_own_keys_is_refused()
    {
        var trusted = Trusted();
        var header = HeaderNaming(NewRoster());
        var forged = _chain.Certify(header, [.. _newKeys.Take(4).Select((k, i) => (i, k))]);

        trusted.Learn(header, forged, NewRoster()).Should().Contain("not valid for the validators of that height");
        trusted.Known.Should().HaveCount(1);
    }

    [Fact]
    public void A_roster_other_than_the_one_the_certified_header_names_is_refused()
    {
        var trusted = Trusted();
        var honest = _chain.Block(1);

        trusted.Learn(honest.Header, honest.Certificate, NewRoster()).Should().Contain("not the one the certified header");
        trusted.Known.Should().HaveCount(1);
    }

    [Fact]
    public void A_header_naming_a_roster_the_client_has_not_learnt_is_untrusted_until_it_learns_it()
    {
        var trusted = Trusted();
        var roster = NewRoster();
        var later = _chain.Block(1).Header.Clone();
        later.Height = 3;
        later.ValidatorsHash = ByteString.CopyFrom(ValidatorSetHashing.Hash(Corridor.ChainId, roster).Span);
        var certificate = _chain.Certify(later, [.. _newKeys.Take(4).Select((k, i) => (i, k))]);
        var verifier = new ProofBundleVerifier(trusted);

        var before = () => verifier.VerifyHeader(later, certificate, requireFresh: false);

        before.Should().Throw<UntrustedAnswerException>().Which.Reason.Should().Be(UntrustedReason.ValidatorSetUnknown);
        var naming = HeaderNaming(roster, height: 1);
        trusted.Learn(naming, _chain.Certify(naming, Genesis(3)), roster).Should().BeNull();
        verifier.VerifyHeader(later, certificate, requireFresh: false).Height.Should().Be(3);
    }
}
