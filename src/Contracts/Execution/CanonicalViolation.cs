namespace Ledger.Contracts.Execution;

/// <summary>
/// The first thing that keeps protobuf bytes from being the canonical encoding of their message: the
/// offending field's path (<c>issue_certificate.certificate.retrospective</c>; an unknown field by its
/// number, <c>issue_certificate.certificate.17</c>) and a sentence naming the field and the rule.
/// </summary>
public sealed record CanonicalViolation(string Field, string Message);
