namespace Passport.Credentials.SdJwt;

/// <summary>
/// The pieces of <c>&lt;Issuer-signed JWT&gt;~&lt;D.1&gt;~...~&lt;D.N&gt;~[KB-JWT]</c> (RFC 9901 §4),
/// as raw strings: hashes are computed over exactly what was sent.
/// </summary>
public sealed class SdJwtParts
{
    private readonly string _text;
    private readonly int _withoutKeyBindingLength;
    private string? _withoutKeyBinding;

    private SdJwtParts(string text, string issuerJwt, IReadOnlyList<string> disclosures, string? keyBindingJwt, int withoutKeyBindingLength)
    {
        _text = text;
        IssuerJwt = issuerJwt;
        Disclosures = disclosures;
        KeyBindingJwt = keyBindingJwt;
        _withoutKeyBindingLength = withoutKeyBindingLength;
    }

    public string IssuerJwt { get; }
    public IReadOnlyList<string> Disclosures { get; }
    public string? KeyBindingJwt { get; }

    /// <summary>Everything up to and including the last <c>~</c>: the input of <c>sd_hash</c>.</summary>
    public string WithoutKeyBinding => _withoutKeyBinding ??= _text[.._withoutKeyBindingLength];

    /// <summary>The same characters as <see cref="WithoutKeyBinding"/>, without copying them out of the presentation.</summary>
    internal ReadOnlySpan<char> WithoutKeyBindingSpan => _text.AsSpan(0, _withoutKeyBindingLength);

    public static bool TryParse(string text, SdJwtLimits limits, out SdJwtParts parts, out CredentialError? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        parts = null!;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = CredentialError.Of(ErrorCodes.MalformedSdJwt, "The SD-JWT is empty.");
            return false;
        }
        if (text.Length > limits.MaxTotalLength)
        {
            error = CredentialError.Of(ErrorCodes.TooLarge, $"The SD-JWT is {text.Length} characters; at most {limits.MaxTotalLength} are accepted.");
            return false;
        }
        var lastTilde = text.LastIndexOf('~');
        if (lastTilde < 0)
        {
            error = CredentialError.Of(ErrorCodes.MalformedSdJwt, "An SD-JWT separates its parts with '~' and ends with '~' when there is no key binding JWT.");
            return false;
        }
        var segments = text.Split('~');
        if (segments.Length - 2 > limits.MaxDisclosures)
        {
            error = CredentialError.Of(ErrorCodes.TooLarge, $"The SD-JWT carries {segments.Length - 2} disclosures; at most {limits.MaxDisclosures} are accepted.");
            return false;
        }
        foreach (var segment in segments)
        {
            if (segment.Length > limits.MaxPartLength)
            {
                error = CredentialError.Of(ErrorCodes.TooLarge, $"A part of the SD-JWT is {segment.Length} characters; at most {limits.MaxPartLength} are accepted.");
                return false;
            }
        }
        var disclosures = new string[segments.Length - 2];
        for (var i = 1; i < segments.Length - 1; i++)
        {
            if (segments[i].Length == 0)
            {
                error = CredentialError.Of(ErrorCodes.MalformedSdJwt, "The SD-JWT has an empty disclosure ('~~').");
                return false;
            }
            disclosures[i - 1] = segments[i];
        }
        var kb = segments[^1];
        parts = new SdJwtParts(text, segments[0], disclosures, kb.Length == 0 ? null : kb, lastTilde + 1);
        return true;
    }
}

/// <summary>Size limits applied before anything is decoded.</summary>
public sealed record SdJwtLimits
{
    public int MaxTotalLength { get; init; } = 64 * 1024;
    public int MaxPartLength { get; init; } = 16 * 1024;
    public int MaxDisclosures { get; init; } = 256;

    public static SdJwtLimits Default { get; } = new();
}
