using System.Globalization;
using Ledger.Node.Tests.Network;
using PuppeteerSharp;
using Xunit.Abstractions;

namespace Ledger.Node.Tests.Verification;

/// <summary>
/// The public verification page in a real headless chromium against real node processes: the page checks every proof
/// itself, so a node that lies gets a red verdict, and nothing is green that the browser did not check.
/// </summary>
[Trait("Category", "Processes")]
[Trait("Category", "Browser")]
[Collection(ProcessesCollection.Name)]
public sealed class VerificationPageTests : IClassFixture<VerificationPageFixture>
{
    private readonly VerificationPageFixture _fixture;
    private readonly ITestOutputHelper _output;

    public VerificationPageTests(VerificationPageFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task A_number_typed_as_printed_is_found_and_shown_proven_by_the_browser()
    {
        await using var page = await Chromium.NewPhonePageAsync(_fixture.Browser);
        // The network pinned as a QR link would pin it; the number typed alone, without its issuer.
        await page.GoToAsync(_fixture.PageUrl + "#genesis=" + _fixture.GenesisHash);
        await page.TypeAsync("#query", VerificationPageFixture.IssuedNumber);
        await page.Keyboard.PressAsync("Enter");

        var verdict = await PageVerdict.WaitAsync(page);

        verdict.Verdict.Should().Be("valid", verdict.Text + verdict.Details);
        verdict.Status.Should().Be("ISSUED");
        verdict.Text.Should().Contain("Valid certificate, proven").And.Contain("证书有效").And.Contain("Сертификат действителен");
        verdict.Details.Should().Contain(CertificateTransactions.IdOf(VerificationPageFixture.IssuedNumber))
            .And.Contain("China Council for the Promotion of International Trade (CN)")
            .And.MatchRegex("signed by [34] of 4 validators: Validator node");
        await page.ScreenshotAsync(Path.Combine(VerificationPageFixture.ScreenshotFolder, "verify-valid-phone.png"), new ScreenshotOptions { FullPage = true });
        await PrintProofCheckTimingAsync(page, CertificateTransactions.IdOf(VerificationPageFixture.IssuedNumber));
    }

    [Fact]
    public async Task The_printed_page_is_a_check_sheet_with_the_verdict_and_the_QR_code_of_the_link()
    {
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.LinkTo(VerificationPageFixture.IssuedNumber));
        (await PageVerdict.WaitAsync(page)).Verdict.Should().Be("valid");
        await page.WaitForExpressionAsync("document.getElementById('qr').complete && document.getElementById('qr').naturalWidth > 0");

        await page.EmulateMediaTypeAsync(PuppeteerSharp.Media.MediaType.Print);
        Task<bool> Shown(string id) => page.EvaluateExpressionAsync<bool>($"getComputedStyle(document.getElementById('{id}')).display !== 'none'");

        (await Shown("verdict")).Should().BeTrue();
        (await Shown("qr")).Should().BeTrue();
        (await Shown("lookup")).Should().BeFalse("the form is not printed");
        (await Shown("document-check")).Should().BeFalse();
        (await page.EvaluateExpressionAsync<string>("document.getElementById('link').textContent")).Should().Be(_fixture.LinkTo(VerificationPageFixture.IssuedNumber));
        var pdf = await page.PdfDataAsync();
        pdf.Length.Should().BeGreaterThan(1000);
    }

    [Fact]
    public async Task A_replaced_certificate_shows_its_successor_and_the_successor_is_valid()
    {
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.LinkTo(VerificationPageFixture.ReplacedNumber));

        var replaced = await PageVerdict.WaitAsync(page);

        replaced.Verdict.Should().Be("not-valid", replaced.Text + replaced.Details);
        replaced.Status.Should().Be("REPLACED");
        replaced.Text.Should().Contain(VerificationPageFixture.ReplaceReason).And.Contain("已被替换").And.Contain("Заменён")
            .And.Contain("in force in its place is " + CertificateTransactions.IdOf(VerificationPageFixture.SuccessorNumber));
        replaced.Details.Should().Contain("Replaced by\n" + CertificateTransactions.IdOf(VerificationPageFixture.SuccessorNumber));
        await page.ScreenshotAsync(Path.Combine(VerificationPageFixture.ScreenshotFolder, "verify-replaced.png"), new ScreenshotOptions { FullPage = true });

        await PageVerdict.ClearAsync(page);
        await page.ClickAsync($"button[data-certificate='{CertificateTransactions.IdOf(VerificationPageFixture.SuccessorNumber)}']");
        var successor = await PageVerdict.WaitAsync(page);

        successor.Verdict.Should().Be("valid", successor.Text + successor.Details);
        successor.Details.Should().Contain("Replaces\n" + CertificateTransactions.IdOf(VerificationPageFixture.ReplacedNumber));
    }

    [Fact]
    public async Task A_revoked_certificate_is_shown_revoked_with_its_reason()
    {
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.LinkTo(VerificationPageFixture.RevokedNumber));

        var verdict = await PageVerdict.WaitAsync(page);

        verdict.Verdict.Should().Be("not-valid", verdict.Text + verdict.Details);
        verdict.Status.Should().Be("REVOKED");
        verdict.Text.Should().Contain(VerificationPageFixture.RevokeReason).And.Contain("已撤销").And.Contain("Отозван");
    }

    [Fact]
    public async Task A_number_no_issuer_has_is_proven_absent()
    {
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.PageUrl + "#genesis=" + _fixture.GenesisHash + "&number=NO-SUCH-NUMBER");

        var verdict = await PageVerdict.WaitAsync(page);

        verdict.Verdict.Should().Be("not-valid", verdict.Text + verdict.Details);
        verdict.Status.Should().Be("ABSENT");
        verdict.Text.Should().Contain("No such certificate, proven").And.Contain("its absence is proven for every issuer");
    }

    [Theory]
    [InlineData(Tampering.ChangedRecord, "RECORD_ALTERED", "cert-status/")]
    [InlineData(Tampering.ForgedSignature, "SIGNATURE_INVALID", "is not valid: the certificate is forged")]
    [InlineData(Tampering.ChangedHeader, "CERTIFICATE_NOT_FOR_HEADER", "the header was altered")]
    [InlineData(Tampering.ChangedRoster, "VALIDATOR_SET_UNPROVEN", "is not the one its certified header names")]
    [InlineData(Tampering.DroppedRoster, "VALIDATOR_SET_UNPROVEN", "names a validator roster the proof does not lead to")]
    public async Task A_node_that_changes_its_answer_gets_a_red_verdict_naming_what_failed(Tampering tampering, string failure, string named)
    {
        await using var proxy = new TamperingProxy(_fixture.PageUrl, tampering);
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.LinkTo(VerificationPageFixture.RevokedNumber, proxy.Url));

        var verdict = await PageVerdict.WaitAsync(page);

        verdict.Verdict.Should().Be("failed", verdict.Text);
        verdict.Failure.Should().Be(failure);
        verdict.Text.Should().Contain("Verification failed").And.Contain("验证失败").And.Contain("Проверка не пройдена").And.Contain(named);
        verdict.Details.Should().NotContain("Valid certificate");
        if (tampering == Tampering.ChangedRecord)
        {
            await page.ScreenshotAsync(Path.Combine(VerificationPageFixture.ScreenshotFolder, "verify-tampered.png"), new ScreenshotOptions { FullPage = true });
        }
    }

    [Fact]
    public async Task A_node_that_serves_an_older_answer_than_one_the_browser_has_seen_gets_a_red_verdict()
    {
        await using var proxy = new TamperingProxy(_fixture.PageUrl, Tampering.StaleAnswer);
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.LinkTo(VerificationPageFixture.IssuedNumber, proxy.Url));
        var first = await PageVerdict.WaitAsync(page);
        first.Verdict.Should().Be("valid", first.Text);
        var firstHeight = ProvenHeight(first);
        // Empty blocks keep coming; a later answer the proxy passes through (a search by number) raises the height the page has seen.
        await VerificationPageFixture.WaitUntilAsync($"the page proves an answer above height {firstHeight}", async () =>
        {
            await PageVerdict.ClearAsync(page);
            await page.EvaluateExpressionAsync("document.getElementById('query').value = 'NO-SUCH-NUMBER'");
            await page.ClickAsync("#check");
            var later = await PageVerdict.WaitAsync(page);
            return later.Status == "ABSENT" && ProvenHeight(later) > firstHeight;
        });

        await PageVerdict.ClearAsync(page);
        await page.EvaluateExpressionAsync($"document.getElementById('query').value = '{CertificateTransactions.IdOf(VerificationPageFixture.IssuedNumber)}'");
        await page.ClickAsync("#check");
        var stale = await PageVerdict.WaitAsync(page);

        stale.Verdict.Should().Be("failed", stale.Text);
        stale.Failure.Should().Be("STALE");
        stale.Text.Should().Contain($"proven at block {firstHeight}").And.Contain("the node serves an old state");
    }

    private static ulong ProvenHeight(PageVerdict verdict) =>
        ulong.Parse(System.Text.RegularExpressions.Regex.Match(verdict.Details, @"block (\d+) of").Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_document_check_matches_the_certified_document_and_not_another()
    {
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.LinkTo(VerificationPageFixture.IssuedNumber));
        (await PageVerdict.WaitAsync(page)).Verdict.Should().Be("valid");
        var certified = Path.Combine(_fixture.Folder, "certified.pdf");
        var other = Path.Combine(_fixture.Folder, "other.pdf");
        await File.WriteAllBytesAsync(certified, VerificationPageFixture.DocumentOf(VerificationPageFixture.IssuedNumber));
        await File.WriteAllBytesAsync(other, VerificationPageFixture.DocumentOf(VerificationPageFixture.RevokedNumber));

        var input = await page.QuerySelectorAsync("#document-file");
        await input.UploadFileAsync(certified);
        await page.WaitForSelectorAsync("#document-verdict[data-match]");
        (await DocumentVerdictAsync(page)).Should().StartWith("match:").And.Contain("The document is the one certified").And.Contain("文件与认证文件一致");

        await page.EvaluateExpressionAsync("delete document.getElementById('document-verdict').dataset.match");
        await input.UploadFileAsync(other);
        await page.WaitForSelectorAsync("#document-verdict[data-match]");
        (await DocumentVerdictAsync(page)).Should().StartWith("mismatch:").And.Contain("The document is NOT the one certified");
    }

    [Fact]
    public async Task A_bundle_saved_by_the_page_is_verified_by_the_page_opened_from_disk_with_the_network_off()
    {
        var downloads = Directory.CreateDirectory(Path.Combine(_fixture.Folder, "downloads")).FullName;
        string bundle;
        await using (var online = await _fixture.Browser.NewPageAsync())
        {
            await online.Client.SendAsync("Page.setDownloadBehavior", new { behavior = "allow", downloadPath = downloads });
            await online.GoToAsync(_fixture.LinkTo(VerificationPageFixture.ReplacedNumber));
            (await PageVerdict.WaitAsync(online)).Status.Should().Be("REPLACED");
            await online.ClickAsync("#save-bundle");
            // Closing the tab before the download is written would cancel it.
            bundle = await WaitForFileAsync(downloads, "*.proof.json");
        }
        using var http = new HttpClient();
        var offlinePage = Path.Combine(_fixture.Folder, "certificate-check.html");
        await File.WriteAllBytesAsync(offlinePage, await http.GetByteArrayAsync(_fixture.PageUrl + "offline.html"));

        await using var page = await _fixture.Browser.NewPageAsync();
        await page.SetOfflineModeAsync(true);
        await page.GoToAsync(new Uri(offlinePage).AbsoluteUri + "#genesis=" + _fixture.GenesisHash);
        await (await page.QuerySelectorAsync("#bundle-file")).UploadFileAsync(bundle);
        var verdict = await PageVerdict.WaitAsync(page);

        verdict.Verdict.Should().Be("not-valid", verdict.Text + verdict.Details);
        verdict.Status.Should().Be("REPLACED");
        verdict.Details.Should().Contain(CertificateTransactions.IdOf(VerificationPageFixture.SuccessorNumber));
        await page.ScreenshotAsync(Path.Combine(VerificationPageFixture.ScreenshotFolder, "verify-offline-bundle.png"), new ScreenshotOptions { FullPage = true });
    }

    [Fact]
    public async Task A_bundle_for_another_network_is_refused_offline()
    {
        var bundle = Path.Combine(_fixture.Folder, "bundle-other-network.proof.json");
        using var http = new HttpClient();
        var answer = await http.GetStringAsync(_fixture.PageUrl + "api/v1/certificates/" + CertificateTransactions.IdOf(VerificationPageFixture.IssuedNumber));
        var genesis = Convert.ToBase64String(await http.GetByteArrayAsync(_fixture.PageUrl + "api/v1/genesis"));
        await File.WriteAllTextAsync(bundle,
            $"{{\"format\":\"ledger.v1/certificate-bundle\",\"certificateId\":\"{CertificateTransactions.IdOf(VerificationPageFixture.IssuedNumber)}\",\"genesisDocument\":\"{genesis}\",\"answer\":{answer}}}");
        var offlinePage = Path.Combine(_fixture.Folder, "certificate-check-other.html");
        await File.WriteAllBytesAsync(offlinePage, await http.GetByteArrayAsync(_fixture.PageUrl + "offline.html"));

        await using var page = await _fixture.Browser.NewPageAsync();
        await page.SetOfflineModeAsync(true);
        await page.GoToAsync(new Uri(offlinePage).AbsoluteUri + "#genesis=" + new string('a', 64));
        await (await page.QuerySelectorAsync("#bundle-file")).UploadFileAsync(bundle);
        var verdict = await PageVerdict.WaitAsync(page);

        verdict.Verdict.Should().Be("failed", verdict.Text);
        verdict.Failure.Should().Be("GENESIS_MISMATCH");
    }

    [Fact]
    public async Task The_API_answers_bad_requests_with_a_status_and_a_sentence_describes_itself_and_serves_any_host_name()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_fixture.PageUrl) };

        var noNumber = await http.GetAsync("api/v1/certificates");
        var tooLong = await http.GetAsync("api/v1/certificates?number=" + new string('7', 257));
        var unknown = await http.GetAsync("api/v1/no-such-thing");
        var openApi = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("api/v1/openapi.json"))!;
        // As a reverse proxy in front would send it: another host name, no port.
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "api/v1/genesis") { Headers = { Host = "verify.ccpit.example" } };
        using var throughProxy = await http.SendAsync(proxied);

        noNumber.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        (await noNumber.Content.ReadAsStringAsync()).Should().Be("{\"error\":\"number is required\"}");
        tooLong.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        (await tooLong.Content.ReadAsStringAsync()).Should().Contain("at most 256 characters");
        unknown.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("/api/v1/openapi.json");
        throughProxy.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "the page is served by its port, whatever host name the visitor used");
        openApi["openapi"]!.GetValue<string>().Should().StartWith("3.");
        openApi["paths"]!.AsObject().Select(p => p.Key).Should().Contain(["/api/v1/genesis", "/api/v1/certificates", "/api/v1/certificates/{issuer}/{number}"]);
    }

    [Fact]
    public async Task The_page_checks_the_worked_example_of_a_state_proof_in_PROTOCOL_md()
    {
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.PageUrl);

        // docs/PROTOCOL.md, "Worked example": tree a→1, b→2, c→3; the proof of b = 2.
        var verdicts = await page.EvaluateFunctionAsync<bool[]>(@"async () => {
            const V = window.LedgerVerify, utf8 = (t) => new TextEncoder().encode(t), b64 = (h) => V.toBase64(V.fromHex(h));
            const root = V.fromHex('8e2a164a410203f51300d7c6645b7a37f549768457be109acc126c63573a9e0a');
            const proof = { depth: 4, siblingBitmap: b64('90'),
              siblings: [b64('565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3'), b64('6dc4a0fe4285844b9c64ba063f6a8b808a07eb2e8c124cda2babd55a2a7f3d24')],
              leaf: { path: b64('3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d'), valueHash: b64('d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35') } };
            const flipped = { ...proof, siblings: [b64('665388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3'), proof.siblings[1]] };
            return [
              await V.checkStateProof(root, 'b', utf8('2'), proof),
              await V.checkStateProof(root, 'b', utf8('3'), proof),
              await V.checkStateProof(root, 'a', utf8('2'), proof),
              await V.checkStateProof(root, 'b', null, proof),
              await V.checkStateProof(root, 'b', utf8('2'), flipped),
            ];
          }");

        verdicts.Should().Equal([true, false, false, false, false], "only b = 2 under that root verifies: not another value, key, absence or sibling");
    }

    [Fact]
    public async Task Signatures_of_a_suite_the_browser_cannot_check_never_make_a_quorum()
    {
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.PageUrl);
        var id = CertificateTransactions.IdOf(VerificationPageFixture.IssuedNumber);

        // The same network, but validators 1-3 given SM2 keys, which WebCrypto lacks: only validator 0 is checked.
        var failure = await page.EvaluateFunctionAsync<string>(@"async (id) => {
            const V = window.LedgerVerify;
            const genesis = JSON.parse(await (await fetch('api/v1/genesis')).text());
            genesis.validators.slice(1).forEach((v) => v.key = 'sm2:04' + 'ab'.repeat(64));
            const altered = await V.loadGenesis(new TextEncoder().encode(JSON.stringify(genesis)), null);
            const answer = await (await fetch('api/v1/certificates/' + id)).json();
            try { await V.checkCertificateAnswer(altered, id, answer); return 'checked'; } catch (e) { return e.code + ': ' + e.message; }
          }", id);

        failure.Should().StartWith("SUITE_NOT_CHECKED: this browser cannot check the sm2 signatures of");
    }

    [Fact]
    public async Task A_p256_signature_is_checked_with_its_low_s_rule()
    {
        await using var page = await _fixture.Browser.NewPageAsync();
        await page.GoToAsync(_fixture.PageUrl);

        // A key made in the browser; WebCrypto may sign with either s, so both forms are built from its signature.
        var verdicts = await page.EvaluateFunctionAsync<bool[]>(@"async () => {
            const V = window.LedgerVerify, n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
            const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
            const validator = { suite: 'p256', key: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)), power: 1n };
            const message = new TextEncoder().encode('ledger.v1/vote');
            const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, message));
            const s = BigInt('0x' + V.toHex(signature.subarray(32)));
            const withS = (value) => { const out = signature.slice(); out.set(V.fromHex(value.toString(16).padStart(64, '0')), 32); return out; };
            const low = withS(s <= n / 2n ? s : n - s), high = withS(s <= n / 2n ? n - s : s);
            return [
              await V.verifySignature(validator, message, low),
              await V.verifySignature(validator, message, high),
              await V.verifySignature(validator, new TextEncoder().encode('ledger.v1/votf'), low),
            ];
          }");

        verdicts.Should().Equal([true, false, false], "the low-s form verifies; the high-s form of the same signature and another message do not");
    }

    /// <summary>Times the page's own check of one certificate's answer (genesis loaded, answer fetched), 20 runs in the page.</summary>
    private async Task PrintProofCheckTimingAsync(IPage page, string certificateId)
    {
        var timings = await page.EvaluateFunctionAsync<double[]>(@"async (id, pin) => {
            const V = window.LedgerVerify;
            const genesis = await V.loadGenesis(new Uint8Array(await (await fetch('api/v1/genesis')).arrayBuffer()), pin);
            const answer = await (await fetch('api/v1/certificates/' + id)).json();
            const runs = [];
            for (let i = 0; i < 20; i++) {
              const started = performance.now();
              const result = await V.checkCertificateAnswer(genesis, id, answer);
              runs.push(performance.now() - started);
              if (!result.found) throw new Error('not found');
            }
            return runs;
          }", certificateId, _fixture.GenesisHash);
        var sorted = timings.Order().ToArray();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"page proof check of one certificate in headless chromium: first {timings[0]:F1} ms, median {sorted[sorted.Length / 2]:F1} ms, max {sorted[^1]:F1} ms ({timings.Length} runs)");
        _output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static Task<string> DocumentVerdictAsync(IPage page) =>
        page.EvaluateExpressionAsync<string>("(() => { const e = document.getElementById('document-verdict'); return e.dataset.match + ': ' + e.textContent; })()");

    private static async Task<string> WaitForFileAsync(string folder, string pattern)
    {
        var until = DateTime.UtcNow + PageVerdict.Deadline;
        while (DateTime.UtcNow < until)
        {
            // Chromium writes a .crdownload first and renames it when the download is complete.
            if (Directory.GetFiles(folder, pattern).FirstOrDefault() is { } file)
            {
                return file;
            }
            await Task.Delay(VerificationPageFixture.PollInterval);
        }
        throw new TimeoutException($"no file {pattern} in {folder} within {PageVerdict.Deadline.TotalSeconds} s");
    }
}
