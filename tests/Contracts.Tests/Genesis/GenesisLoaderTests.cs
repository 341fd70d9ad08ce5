using Ledger.Contracts.Crypto;
using Ledger.Contracts.Genesis;
using Ledger.Wire;

namespace Ledger.Contracts.Tests.Genesis;

public sealed class GenesisLoaderTests
{
    private static readonly string ChamberKey = PublicKeyText.Format(SignatureSuites.Generate(KeySuite.Ed25519).Public);
    private static readonly string PostKey = PublicKeyText.Format(SignatureSuites.Generate(KeySuite.Gost2012256).Public);

    private static GenesisDocument Document() => new(
        ChainId: "silk-road-test",
        GenesisTime: "2026-11-25T00:00:00Z",
        Organisations:
        [
            new GenesisOrganisation("kz-chamber", "Atameken", "KZ", ["chamber", "validator"], [ChamberKey]),
            new GenesisOrganisation("kz-post-dostyk", "Dostyk post", "KZ", ["customs-post"], [PostKey], ["KZ-DOSTYK"]),
        ],
        Checkpoints: [new GenesisCheckpoint("KZ-DOSTYK", "Dostyk", "KZ", 1520, "rail-border")],
        Validators: [new GenesisValidator("kz-chamber", ChamberKey)],
        Forms: [new GenesisForm("CT-1", true, ["WO", "RVC*"], ["producer"])],
        Units: ["KGM"]);

    [Fact]
    public void A_written_genesis_reads_back_to_the_same_configuration()
    {
        var json = GenesisLoader.Write(Document());

        var (config, organisations) = GenesisLoader.Load(GenesisLoader.Parse(json));

        config.ChainId.Should().Be("silk-road-test");
        config.GenesisTimeMs.Should().Be(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        config.Checkpoints.Single().Kind.Should().Be(CheckpointKind.RailBorder);
        config.Forms.Single().Criteria.Should().Equal("WO", "RVC*");
        config.Validators.Single().Key.Suite.Should().Be(KeySuite.Ed25519);
        organisations[1].Roles.Should().Equal(Role.CustomsPost);
        organisations[1].Keys.Single().Suite.Should().Be(KeySuite.Gost2012256);
        organisations[1].Checkpoints.Should().Equal("KZ-DOSTYK");
    }

    [Fact]
    public void A_misspelt_field_is_an_error_not_a_silently_missing_rule()
    {
        var json = GenesisLoader.Write(Document()).Replace("\"retroactiveWindowDays\"", "\"retroactiveWindowDay\"", StringComparison.Ordinal);

        var act = () => GenesisLoader.Parse(json);

        act.Should().Throw<GenesisException>().WithMessage("*retroactiveWindowDay*");
    }

    [Fact]
    public void An_unknown_role_is_named()
    {
        var doc = Document() with { Organisations = [new GenesisOrganisation("kz-chamber", "Atameken", "KZ", ["chamber", "king"], [ChamberKey])] };

        var act = () => GenesisLoader.Load(doc);

        act.Should().Throw<GenesisException>().WithMessage("*unknown role 'king'*");
    }

    [Fact]
    public void A_validator_without_the_validator_role_is_refused()
    {
        var doc = Document() with { Validators = [new GenesisValidator("kz-post-dostyk", PostKey)] };

        var act = () => GenesisLoader.Load(doc);

        act.Should().Throw<GenesisException>().WithMessage("*validator 'kz-post-dostyk'*validator role*");
    }

    [Fact]
    public void A_post_registered_for_an_unknown_checkpoint_is_refused()
    {
        var doc = Document() with { Checkpoints = [new GenesisCheckpoint("KZ-ALTYNKOL", "Altynkol", "KZ", 1520, "rail-border")] };

        var act = () => GenesisLoader.Load(doc);

        act.Should().Throw<GenesisException>().WithMessage("*unknown checkpoint 'KZ-DOSTYK'*");
    }

    [Fact]
    public void A_form_requiring_an_unknown_field_is_refused()
    {
        var doc = Document() with { Forms = [new GenesisForm("CT-1", true, ["WO"], ["colour"])] };

        var act = () => GenesisLoader.Load(doc);

        act.Should().Throw<GenesisException>().WithMessage("*unknown field 'colour'*");
    }

    [Fact]
    public void A_malformed_key_is_named_with_its_owner()
    {
        var doc = Document() with { Validators = [new GenesisValidator("kz-chamber", "ed25519:zz")] };

        var act = () => GenesisLoader.Load(doc);

        act.Should().Throw<GenesisException>().WithMessage("*validator 'kz-chamber'*");
    }
}
