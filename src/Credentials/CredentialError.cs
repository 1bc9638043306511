namespace Passport.Credentials;

/// <summary>Why a credential, presentation or status token was refused: a stable code and a sentence for people.</summary>
public sealed record CredentialError(string Code, string Message)
{
    public static CredentialError Of(string code, string message) => new(code, message);

    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>Stable error codes. They are part of the API: add new ones, never rename.</summary>
public static class ErrorCodes
{
    // Structure and size
    public const string MalformedJwt = "malformed_jwt";
    public const string MalformedSdJwt = "malformed_sd_jwt";
    public const string TooLarge = "too_large";
    public const string JweNotSupported = "jwe_not_supported";
    public const string JsonSerializationNotSupported = "json_serialization_not_supported";
    public const string DuplicateMember = "duplicate_member";
    public const string InvalidUtf8 = "invalid_utf8";

    // Header
    public const string AlgorithmNotAllowed = "alg_not_allowed";
    public const string InvalidType = "invalid_typ";
    public const string ForbiddenHeader = "forbidden_header";
    public const string UnsupportedCritical = "unsupported_crit";
    public const string MissingKeyId = "missing_kid";

    // Issuer and signature
    public const string MissingIssuer = "missing_iss";
    public const string UntrustedIssuer = "untrusted_issuer";
    public const string UnknownKeyId = "unknown_kid";
    public const string MalformedSignature = "malformed_signature";
    public const string InvalidSignature = "invalid_signature";

    // Claims
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string IssuedInFuture = "iat_in_future";
    public const string MissingClaim = "missing_claim";
    public const string InvalidClaim = "invalid_claim";
    public const string UnsupportedSdAlg = "unsupported_sd_alg";
    public const string InvalidConfirmationKey = "invalid_cnf";

    // Disclosures (RFC 9901 §7.1)
    public const string MalformedDisclosure = "malformed_disclosure";
    public const string DuplicateDisclosure = "duplicate_disclosure";
    public const string DuplicateDigest = "duplicate_digest";
    public const string UnreferencedDisclosure = "unreferenced_disclosure";
    public const string ClaimNameCollision = "claim_name_collision";
    public const string ReservedClaimName = "reserved_claim_name";
    public const string NonDisclosableClaim = "non_disclosable_claim";
    public const string DisclosureKindMismatch = "disclosure_kind_mismatch";

    // Key binding
    public const string KeyBindingRequired = "key_binding_required";
    public const string KeyBindingInvalidSignature = "kb_invalid_signature";
    public const string NonceMismatch = "nonce_mismatch";
    public const string AudienceMismatch = "aud_mismatch";
    public const string KeyBindingStale = "kb_iat_stale";
    public const string KeyBindingFuture = "kb_iat_in_future";
    public const string SdHashMismatch = "sd_hash_mismatch";

    // Status lists
    public const string InvalidStatusList = "invalid_status_list";
    public const string StatusListTooLarge = "status_list_too_large";
    public const string StatusIndexOutOfRange = "status_index_out_of_range";
    public const string SubjectMismatch = "sub_mismatch";
}
