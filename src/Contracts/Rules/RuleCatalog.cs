namespace Ledger.Contracts.Rules;

/// <summary>
/// Every rule code the ledger can answer with, and the kind of refusal it is. Codes are stable:
/// clients match on them. Route breaches are not refusals: they are recorded on the consignment.
/// </summary>
public static class RuleCatalog
{
    public const string Ok = "OK";

    // Envelope and decoding
    public const string TxMalformed = "TX_MALFORMED";
    public const string TxKindUnknown = "TX_KIND_UNKNOWN";
    public const string TxTooLarge = "TX_TOO_LARGE";
    public const string TxNotCanonical = "TX_NOT_CANONICAL";
    public const string FieldTooLong = "FIELD_TOO_LONG";
    public const string TooManyItems = "TOO_MANY_ITEMS";
    public const string TimeInFuture = "TIME_IN_FUTURE";

    // A node's capacity
    public const string MempoolFull = "MEMPOOL_FULL";

    // Identity and signatures
    public const string SignerUnknown = "SIGNER_UNKNOWN";
    public const string SignatureInvalid = "SIGNATURE_INVALID";
    public const string KeyNotValidAtTime = "KEY_NOT_VALID_AT_TIME";
    public const string RoleNotAllowed = "ROLE_NOT_ALLOWED";
    public const string OrganisationSuspended = "ORGANISATION_SUSPENDED";
    public const string TxDuplicate = "TX_DUPLICATE";
    public const string WrongChain = "WRONG_CHAIN";

    // Membership
    public const string MembershipChangeInvalid = "MEMBERSHIP_CHANGE_INVALID";
    public const string ProposalUnknown = "PROPOSAL_UNKNOWN";
    public const string ProposalAlreadyApproved = "PROPOSAL_ALREADY_APPROVED";
    public const string ProposalAlreadyApplied = "PROPOSAL_ALREADY_APPLIED";
    public const string ValidatorSetTooSmall = "VALIDATOR_SET_TOO_SMALL";
    public const string ValidatorChangeTooLarge = "VALIDATOR_CHANGE_TOO_LARGE";
    public const string ValidatorRosterFull = "VALIDATOR_ROSTER_FULL";

    // Certificates of origin
    public const string IssuerNotAccredited = "ISSUER_NOT_ACCREDITED";
    public const string CertNumberExists = "CERT_NUMBER_EXISTS";
    public const string CertUnknown = "CERT_UNKNOWN";
    public const string FormTypeUnknown = "FORM_TYPE_UNKNOWN";
    public const string RequiredFieldMissing = "REQUIRED_FIELD_MISSING";
    public const string HsCodeInvalid = "HS_CODE_INVALID";
    public const string OriginCriterionInvalid = "ORIGIN_CRITERION_INVALID";
    public const string QuantityInvalid = "QUANTITY_INVALID";
    public const string GoodsLineUnknown = "GOODS_LINE_UNKNOWN";
    public const string IssueBeforeInvoice = "ISSUE_BEFORE_INVOICE";
    public const string RetroactiveNotMarked = "RETROACTIVE_NOT_MARKED";
    public const string RetroactiveWindowExceeded = "RETROACTIVE_WINDOW_EXCEEDED";
    public const string CountryMismatch = "COUNTRY_MISMATCH";
    public const string ReplacementTargetInvalid = "REPLACEMENT_TARGET_INVALID";
    public const string DuplicateInvalid = "DUPLICATE_INVALID";
    public const string CertNotActive = "CERT_NOT_ACTIVE";
    public const string CertAlreadyUsed = "CERT_ALREADY_USED";
    public const string RevokerNotIssuer = "REVOKER_NOT_ISSUER";
    public const string UseExceedsBalance = "USE_EXCEEDS_BALANCE";
    public const string ImportCountryMismatch = "IMPORT_COUNTRY_MISMATCH";
    public const string VerificationRequestInvalid = "VERIFICATION_REQUEST_INVALID";
    public const string ContentHashMismatch = "CONTENT_HASH_MISMATCH";
    public const string VerificationAnswerRequired = "VERIFICATION_ANSWER_REQUIRED";

    // Route verification: refusals
    public const string ConsignmentExists = "CONSIGNMENT_EXISTS";
    public const string ConsignmentUnknown = "CONSIGNMENT_UNKNOWN";
    public const string CertNotLinkable = "CERT_NOT_LINKABLE";
    public const string CheckpointUnknown = "CHECKPOINT_UNKNOWN";
    public const string ItineraryInvalid = "ITINERARY_INVALID";
    public const string RecorderNotAuthorised = "RECORDER_NOT_AUTHORISED";
    public const string EventDuplicate = "EVENT_DUPLICATE";
    public const string ConsignmentClosed = "CONSIGNMENT_CLOSED";
    public const string CheckpointClosed = "CHECKPOINT_CLOSED";

    // Route verification: breaches (recorded, never refused)
    public const string CheckpointNotOnRoute = "CHECKPOINT_NOT_ON_ROUTE";
    public const string CheckpointOutOfSequence = "CHECKPOINT_OUT_OF_SEQUENCE";
    public const string TimeWindowViolation = "TIME_WINDOW_VIOLATION";
    public const string SealMismatch = "SEAL_MISMATCH";
    public const string SealBroken = "SEAL_BROKEN";
    public const string GaugeChangeMissing = "GAUGE_CHANGE_MISSING";
    public const string RouteIncomplete = "ROUTE_INCOMPLETE";

    // Changes a block makes by rule, with no transaction: codes of its automatic receipts, never refusals
    public const string VerificationDeadlinePassed = "VERIFICATION_DEADLINE_PASSED";

    private static readonly IReadOnlyDictionary<string, RefusalKind> Kinds = new Dictionary<string, RefusalKind>(StringComparer.Ordinal)
    {
        [TxMalformed] = RefusalKind.InvalidArgument,
        [TxKindUnknown] = RefusalKind.InvalidArgument,
        [TxTooLarge] = RefusalKind.ResourceExhausted,
        [TxNotCanonical] = RefusalKind.InvalidArgument,
        [FieldTooLong] = RefusalKind.InvalidArgument,
        [TooManyItems] = RefusalKind.InvalidArgument,
        [TimeInFuture] = RefusalKind.InvalidArgument,
        [MempoolFull] = RefusalKind.ResourceExhausted,
        [SignerUnknown] = RefusalKind.PermissionDenied,
        [SignatureInvalid] = RefusalKind.InvalidArgument,
        [KeyNotValidAtTime] = RefusalKind.PermissionDenied,
        [RoleNotAllowed] = RefusalKind.PermissionDenied,
        [OrganisationSuspended] = RefusalKind.PermissionDenied,
        [TxDuplicate] = RefusalKind.AlreadyExists,
        [WrongChain] = RefusalKind.InvalidArgument,
        [MembershipChangeInvalid] = RefusalKind.FailedPrecondition,
        [ProposalUnknown] = RefusalKind.NotFound,
        [ProposalAlreadyApproved] = RefusalKind.AlreadyExists,
        [ProposalAlreadyApplied] = RefusalKind.FailedPrecondition,
        [ValidatorSetTooSmall] = RefusalKind.FailedPrecondition,
        [ValidatorChangeTooLarge] = RefusalKind.FailedPrecondition,
        [ValidatorRosterFull] = RefusalKind.FailedPrecondition,
        [IssuerNotAccredited] = RefusalKind.PermissionDenied,
        [CertNumberExists] = RefusalKind.AlreadyExists,
        [CertUnknown] = RefusalKind.NotFound,
        [FormTypeUnknown] = RefusalKind.InvalidArgument,
        [RequiredFieldMissing] = RefusalKind.InvalidArgument,
        [HsCodeInvalid] = RefusalKind.InvalidArgument,
        [OriginCriterionInvalid] = RefusalKind.InvalidArgument,
        [QuantityInvalid] = RefusalKind.InvalidArgument,
        [GoodsLineUnknown] = RefusalKind.InvalidArgument,
        [IssueBeforeInvoice] = RefusalKind.InvalidArgument,
        [RetroactiveNotMarked] = RefusalKind.InvalidArgument,
        [RetroactiveWindowExceeded] = RefusalKind.FailedPrecondition,
        [CountryMismatch] = RefusalKind.InvalidArgument,
        [ReplacementTargetInvalid] = RefusalKind.FailedPrecondition,
        [DuplicateInvalid] = RefusalKind.FailedPrecondition,
        [CertNotActive] = RefusalKind.FailedPrecondition,
        [CertAlreadyUsed] = RefusalKind.FailedPrecondition,
        [RevokerNotIssuer] = RefusalKind.PermissionDenied,
        [UseExceedsBalance] = RefusalKind.FailedPrecondition,
        [ImportCountryMismatch] = RefusalKind.PermissionDenied,
        [VerificationRequestInvalid] = RefusalKind.FailedPrecondition,
        [ContentHashMismatch] = RefusalKind.FailedPrecondition,
        [VerificationAnswerRequired] = RefusalKind.FailedPrecondition,
        [ConsignmentExists] = RefusalKind.AlreadyExists,
        [ConsignmentUnknown] = RefusalKind.NotFound,
        [CertNotLinkable] = RefusalKind.FailedPrecondition,
        [CheckpointUnknown] = RefusalKind.InvalidArgument,
        [ItineraryInvalid] = RefusalKind.InvalidArgument,
        [RecorderNotAuthorised] = RefusalKind.PermissionDenied,
        [EventDuplicate] = RefusalKind.AlreadyExists,
        [ConsignmentClosed] = RefusalKind.FailedPrecondition,
        [CheckpointClosed] = RefusalKind.FailedPrecondition,
    };

    private static readonly string[] BreachCodes =
    [
        CheckpointNotOnRoute, CheckpointOutOfSequence, TimeWindowViolation, SealMismatch, SealBroken,
        GaugeChangeMissing, RouteIncomplete,
    ];

    private static readonly string[] AutomaticCodes = [VerificationDeadlinePassed];

    /// <summary>Every refusal code, sorted.</summary>
    public static IReadOnlyList<string> RefusalCodes { get; } = Kinds.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every breach code, sorted.</summary>
    public static IReadOnlyList<string> Breaches { get; } = BreachCodes.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Every code of an automatic change (a block's automatic receipts), sorted.</summary>
    public static IReadOnlyList<string> Automatic { get; } = AutomaticCodes.Order(StringComparer.Ordinal).ToArray();

    public static RefusalKind KindOf(string code) =>
        Kinds.TryGetValue(code, out var kind) ? kind : throw new ArgumentException($"'{code}' is not a refusal code", nameof(code));
}
