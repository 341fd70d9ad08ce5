using Ledger.Contracts.Certificates;
using Ledger.Contracts.Execution;
using Ledger.Contracts.Genesis;
using Ledger.Contracts.Rules;
using Ledger.Contracts.State;
using Ledger.Contracts.Tests.Support;
using Ledger.Wire;
using static Ledger.Contracts.Tests.Support.CertificateSteps;
using static Ledger.Contracts.Tests.Support.TestNetwork;

namespace Ledger.Contracts.Tests.Rules;

/// <summary>
/// The sweep of verification deadlines (docs/PROTOCOL.md, "Verification deadlines"): a request unanswered when a
/// block's time passes its deadline suspends the certificate, with an automatic receipt; NOT_CONFIRMED annuls.
/// </summary>
public sealed class VerificationDeadlineTests
{
    private const long DeadlineLengthMs = 2 * TestLedger.BlockIntervalMs;
    private const string Number = "CN-2026-0600";
    private const string CertId = CnChamber + "/" + Number;

    private static TestLedger WithDeadline() => new(c => c.VerificationDeadlineMs = DeadlineLengthMs);

    private static Action<TxBody> Request(string certId = CertId) =>
        b => b.RequestVerification = new RequestVerification { CertificateId = certId, Reasons = "cotton origin doubtful" };

    private static Action<TxBody> Answer(string requestId, VerificationOutcome outcome) =>
        b => b.AnswerVerification = new AnswerVerification { CertificateId = CertId, RequestId = requestId, Outcome = outcome, Remarks = "gin records checked" };

    /// <summary>Issues the certificate, asks to verify it; returns the request id and its deadline.</summary>
    private static (string RequestId, long DeadlineMs) Requested(TestLedger ledger)
    {
        Issue(ledger, Number);
        var requestedAtMs = ledger.TimeMs;
        var requestId = Convert.ToHexStringLower(ledger.SubmitOk(KzCustoms, Request()).TxId.Span);
        return (requestId, requestedAtMs + DeadlineLengthMs);
    }

    private static CertificateRecord Cert(TestLedger ledger) => ledger.State.Certificate(CertId)!;

    private static void EmptyBlockAt(TestLedger ledger, long timeMs)
    {
        ledger.TimeMs = timeMs;
        ledger.Execute([]);
    }

    [Fact]
    public void A_request_carries_its_deadline_from_the_network_rules()
    {
        var ledger = WithDeadline();
        var (_, deadlineMs) = Requested(ledger);

        var request = Cert(ledger).Verifications.Single();
        request.DeadlineMs.Should().Be(deadlineMs).And.Be(request.RequestedAtMs + DeadlineLengthMs);
        request.LapsedHeight.Should().Be(0UL);
    }

    [Fact]
    public void The_certificate_is_suspended_at_the_first_block_past_the_deadline_not_before_nor_at_it()
    {
        var ledger = WithDeadline();
        var (requestId, deadlineMs) = Requested(ledger);

        EmptyBlockAt(ledger, deadlineMs - 1);
        ledger.LastAutomatic.Should().BeEmpty("one millisecond before the deadline the issuer still has time");
        Cert(ledger).Status.Should().Be(CertificateStatus.Issued);

        EmptyBlockAt(ledger, deadlineMs);
        ledger.LastAutomatic.Should().BeEmpty("an answer in a block at the deadline itself is in time");
        Cert(ledger).Status.Should().Be(CertificateStatus.Issued);

        EmptyBlockAt(ledger, deadlineMs + 1);
        var receipt = ledger.LastAutomatic.Should().ContainSingle().Subject;
        receipt.Code.Should().Be(RuleCatalog.VerificationDeadlinePassed);
        receipt.Message.Should().Contain(CertId).And.Contain(requestId).And.Contain(KzCustoms).And.Contain("suspended");
        receipt.TxId.Span.ToArray().Should().Equal(VerificationDeadlines.ChangeId(CertId, requestId).ToArray());
        var cert = Cert(ledger);
        cert.Status.Should().Be(CertificateStatus.Suspended);
        cert.SuspendedByRequest.Should().Be(requestId);
        cert.StatusReason.Should().Contain(requestId).And.Contain("deadline");
        cert.Verifications.Single().LapsedHeight.Should().Be(ledger.Height);
        ledger.State.Certificate(CertId)!.Should().NotBeNull();
        AutomaticAt(ledger, ledger.Height).Should().Equal(ledger.LastAutomatic);

        EmptyBlockAt(ledger, deadlineMs + 2);
        ledger.LastAutomatic.Should().BeEmpty("a deadline lapses once");
    }

    [Fact]
    public void The_public_status_shows_the_suspension_by_deadline()
    {
        var ledger = WithDeadline();
        var (requestId, deadlineMs) = Requested(ledger);

        EmptyBlockAt(ledger, deadlineMs + 1);

        var status = CertificateStatusRecord.Parser.ParseFrom(ledger.Reader.Get(StateKeys.CertificateStatus(CertId)));
        status.Status.Should().Be(CertificateStatus.Suspended);
        status.StatusReason.Should().Contain(requestId);
    }

    [Fact]
    public void A_request_answered_in_time_lapses_nothing_and_leaves_the_queue()
    {
        var ledger = WithDeadline();
        var (requestId, deadlineMs) = Requested(ledger);
        ledger.TimeMs = deadlineMs;
        ledger.SubmitOk(CnChamber, Answer(requestId, VerificationOutcome.Confirmed));

        EmptyBlockAt(ledger, deadlineMs + 1);

        ledger.LastAutomatic.Should().BeEmpty();
        Cert(ledger).Status.Should().Be(CertificateStatus.Issued);
        var queue = ledger.State.DeadlineQueue();
        queue.Head.Should().Be(queue.Tail, "the answered request's deadline was swept from the queue");
        ledger.Reader.Get(StateKeys.Deadline(0)).Should().BeNull();
    }

    [Fact]
    public void A_suspended_certificate_cannot_be_used_even_in_the_block_that_passes_the_deadline()
    {
        var ledger = WithDeadline();
        var (_, deadlineMs) = Requested(ledger);
        ledger.TimeMs = deadlineMs + 1;

        var receipt = ledger.Submit(KzCustoms, Use(CertId, "KZ-DECL-1", 1, 1_000));

        receipt.Code.Should().Be(RuleCatalog.CertNotActive);
        receipt.Message.Should().Contain("Suspended");
        ledger.LastAutomatic.Should().ContainSingle();
    }

    [Fact]
    public void The_issuers_late_confirmation_reinstates_the_certificate()
    {
        var ledger = WithDeadline();
        var (requestId, deadlineMs) = Requested(ledger);
        EmptyBlockAt(ledger, deadlineMs + 1);

        ledger.SubmitOk(CnChamber, Answer(requestId, VerificationOutcome.Confirmed));

        var cert = Cert(ledger);
        cert.Status.Should().Be(CertificateStatus.Issued);
        cert.StatusReason.Should().BeEmpty();
        cert.SuspendedByRequest.Should().BeEmpty();
        cert.Verifications.Single().LapsedHeight.Should().BeGreaterThan(0UL, "the lapse stays on record");
        ledger.SubmitOk(KzCustoms, Use(CertId, "KZ-DECL-2", 1, 1_000));
    }

    [Fact]
    public void A_confirmation_leaves_the_suspension_while_another_request_has_lapsed_unanswered()
    {
        var ledger = WithDeadline();
        var (first, _) = Requested(ledger);
        var second = Convert.ToHexStringLower(ledger.SubmitOk(KzCustoms, Request()).TxId.Span);
        var secondDeadlineMs = Cert(ledger).Verifications[1].DeadlineMs;
        EmptyBlockAt(ledger, secondDeadlineMs + 1);
        ledger.LastAutomatic.Should().HaveCount(2, "both deadlines passed in this block, applied in queue order");
        ledger.LastAutomatic[1].Message.Should().Contain("already Suspended");

        ledger.SubmitOk(CnChamber, Answer(first, VerificationOutcome.Confirmed));

        var cert = Cert(ledger);
        cert.Status.Should().Be(CertificateStatus.Suspended);
        cert.SuspendedByRequest.Should().Be(second);
    }

    [Fact]
    public void A_not_confirmed_answer_annuls_the_certificate_and_its_use_is_refused()
    {
        // No deadline: the sweep of the answered request's entry would be a change in the blocks refused below.
        var ledger = new TestLedger();
        var (requestId, _) = Requested(ledger);
        ledger.SubmitOk(KzCustoms, Use(CertId, "KZ-DECL-3", 1, 1_000));

        ledger.SubmitOk(CnChamber, Answer(requestId, VerificationOutcome.NotConfirmed));

        var cert = Cert(ledger);
        cert.Status.Should().Be(CertificateStatus.Annulled);
        cert.StatusReason.Should().Contain("NOT_CONFIRMED").And.Contain(requestId);
        cert.Uses.Should().ContainSingle("the use recorded before stays, under the annulled status");
        ledger.SubmitRefused(KzCustoms, Use(CertId, "KZ-DECL-4", 1, 1_000), RuleCatalog.CertNotActive, "Annulled");
        ledger.SubmitRefused(CnChamber, Reinstate(CertId), RuleCatalog.CertNotActive, "Annulled");
    }

    [Fact]
    public void A_not_confirmed_answer_after_the_deadline_annuls_the_suspended_certificate()
    {
        var ledger = WithDeadline();
        var (requestId, deadlineMs) = Requested(ledger);
        EmptyBlockAt(ledger, deadlineMs + 1);

        ledger.SubmitOk(CnChamber, Answer(requestId, VerificationOutcome.NotConfirmed));

        Cert(ledger).Status.Should().Be(CertificateStatus.Annulled);
        Cert(ledger).SuspendedByRequest.Should().BeEmpty();
    }

    [Fact]
    public void The_issuer_cannot_lift_a_suspension_by_deadline_without_answering()
    {
        var ledger = WithDeadline();
        var (requestId, deadlineMs) = Requested(ledger);
        EmptyBlockAt(ledger, deadlineMs + 1);

        ledger.SubmitRefused(CnChamber, Reinstate(CertId), RuleCatalog.VerificationAnswerRequired, CertId, requestId, "CONFIRMED");

        Cert(ledger).Status.Should().Be(CertificateStatus.Suspended);
    }

    [Fact]
    public void A_deadline_passing_on_a_certificate_its_issuer_suspended_holds_the_suspension_until_the_answer()
    {
        var ledger = WithDeadline();
        var (requestId, deadlineMs) = Requested(ledger);
        ledger.SubmitOk(CnChamber, Suspend(CertId));
        EmptyBlockAt(ledger, deadlineMs + 1);
        ledger.LastAutomatic.Should().ContainSingle().Which.Message.Should().Contain("already Suspended by its issuer");

        ledger.SubmitRefused(CnChamber, Reinstate(CertId), RuleCatalog.VerificationAnswerRequired, requestId);
        ledger.SubmitOk(CnChamber, Answer(requestId, VerificationOutcome.Confirmed));

        Cert(ledger).Status.Should().Be(CertificateStatus.Issued);
    }

    [Fact]
    public void Without_a_deadline_in_the_network_rules_a_request_never_lapses()
    {
        var ledger = new TestLedger();
        Issue(ledger, Number);
        ledger.SubmitOk(KzCustoms, Request());

        EmptyBlockAt(ledger, ledger.TimeMs + (365 * DayMs));

        ledger.LastAutomatic.Should().BeEmpty();
        Cert(ledger).Verifications.Single().DeadlineMs.Should().Be(0);
        Cert(ledger).Status.Should().Be(CertificateStatus.Issued);
    }

    [Fact]
    public void Replaying_the_blocks_on_a_fresh_state_gives_the_same_automatic_receipts_and_state()
    {
        var ledger = WithDeadline();
        var (requestId, deadlineMs) = Requested(ledger);
        ledger.TimeMs = deadlineMs + 1;
        ledger.SubmitOk(KzCustoms, Request());
        ledger.SubmitOk(CnChamber, Answer(requestId, VerificationOutcome.Confirmed));
        EmptyBlockAt(ledger, ledger.TimeMs + DeadlineLengthMs);

        var config = ledger.Config;
        var replay = GenesisState.Create(config, Organisations());
        var automatic = new List<Receipt>();
        foreach (var (block, transactions) in ledger.Blocks)
        {
            var result = BlockExecutor.Execute(replay, block, transactions);
            replay.Apply(result.Changes);
            automatic.AddRange(result.Automatic);
        }

        automatic.Should().HaveCount(2, "the first request lapsed, then the second");
        automatic.Select(a => a.Code).Should().OnlyContain(c => c == RuleCatalog.VerificationDeadlinePassed);
        replay.Entries.Select(e => e.Key + "=" + Convert.ToHexString(e.Value))
            .Should().Equal(((InMemoryState)ledger.Reader).Entries.Select(e => e.Key + "=" + Convert.ToHexString(e.Value)));
    }

    private static IReadOnlyList<Receipt> AutomaticAt(TestLedger ledger, ulong height) =>
        AutomaticChanges.Parser.ParseFrom(ledger.Reader.Get(StateKeys.AutomaticChanges(height))).Receipts;
}
