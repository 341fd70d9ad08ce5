namespace Ledger.Client;

/// <summary>
/// The certificates that carry a number, at every issuer. When <see cref="Trust"/> is <see cref="AnswerTrust.Proven"/>, the
/// list is complete: every organisation's entry for the number was proven present or absent under <see cref="ProvenAt"/>.
/// </summary>
/// <param name="CertificateIds">"&lt;issuer&gt;/&lt;number&gt;" of each, sorted; empty when no issuer has that number.</param>
public sealed record CertificateSearch(string Number, IReadOnlyList<string> CertificateIds, AnswerTrust Trust, ProvenHeader? ProvenAt);
