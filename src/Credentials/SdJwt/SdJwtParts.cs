namespace Passport.Credentials.SdJwt;

/// <summary>
/// The pieces of <c>&lt;Issuer-signed JWT&gt;~&lt;D.1&gt;~...~&lt;D.N&gt;~[KB-JWT]</c> (RFC 9901 §4),
/// as raw strings: hashes are computed over exactly what was sent.
/// </summary>
public sealed class SdJwtParts
{
    private readonly string _text;
    private readonly int _issuerJwtLength;
    private readonly int _withoutKeyBindingLength;
    private string? _issuerJwt;
    private string? _withoutKeyBinding;

    private readonly (int Start, int Length)[] _disclosureRanges;
    private string[]? _disclosures;

    private SdJwtParts(string text, int issuerJwtLength, (int Start, int Length)[] disclosureRanges, string? keyBindingJwt, int withoutKeyBindingLength)
    {
        _text = text;
        _issuerJwtLength = issuerJwtLength;
        _disclosureRanges = disclosureRanges;
        KeyBindingJwt = keyBindingJwt;
        _withoutKeyBindingLength = withoutKeyBindingLength;
    }

    // Made on first use: the verifier reads the issuer JWT where it lies in the presentation.
    public string IssuerJwt => _issuerJwt ??= _text[.._issuerJwtLength];
    // Made on first use: the verifier reads each disclosure where it lies (DisclosureRanges).
    public IReadOnlyList<string> Disclosures => _disclosures ??= [.. _disclosureRanges.Select(r => _text.Substring(r.Start, r.Length))];

    /// <summary>Where each disclosure lies in <see cref="Text"/>, in order.</summary>
    internal ReadOnlySpan<(int Start, int Length)> DisclosureRanges => _disclosureRanges;
    public string? KeyBindingJwt { get; }

    /// <summary>Everything up to and including the last <c>~</c>: the input of <c>sd_hash</c>.</summary>
    public string WithoutKeyBinding => _withoutKeyBinding ??= _text[.._withoutKeyBindingLength];

    /// <summary>The same characters as <see cref="WithoutKeyBinding"/>, without copying them out of the presentation.</summary>
    internal ReadOnlySpan<char> WithoutKeyBindingSpan => _text.AsSpan(0, _withoutKeyBindingLength);

    /// <summary>The presentation and the length of the issuer JWT at its start, for reading it in place.</summary>
    internal string Text => _text;

    internal int IssuerJwtLength => _issuerJwtLength;

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
        // The checks and their order are those of a split on '~': the count, then every part's length, then empty disclosures.
        var span = text.AsSpan();
        var count = span.Count('~') - 1;
        if (count > limits.MaxDisclosures)
        {
            error = CredentialError.Of(ErrorCodes.TooLarge, $"The SD-JWT carries {count} disclosures; at most {limits.MaxDisclosures} are accepted.");
            return false;
        }
        var issuerLength = span.IndexOf('~');
        var longest = Math.Max(issuerLength, text.Length - lastTilde - 1);
        var emptyDisclosure = false;
        for (var start = issuerLength + 1; start <= lastTilde; )
        {
            var length = span[start..].IndexOf('~');
            longest = Math.Max(longest, length);
            emptyDisclosure |= length == 0;
            start += length + 1;
        }
        if (longest > limits.MaxPartLength)
        {
            error = CredentialError.Of(ErrorCodes.TooLarge, $"A part of the SD-JWT is {FirstTooLong(text, limits.MaxPartLength)} characters; at most {limits.MaxPartLength} are accepted.");
            return false;
        }
        if (emptyDisclosure)
        {
            error = CredentialError.Of(ErrorCodes.MalformedSdJwt, "The SD-JWT has an empty disclosure ('~~').");
            return false;
        }
        var disclosures = new (int Start, int Length)[count];
        for (int i = 0, start = issuerLength + 1; i < count; i++)
        {
            var length = span[start..].IndexOf('~');
            disclosures[i] = (start, length);
            start += length + 1;
        }
        var kb = lastTilde + 1 < text.Length ? text[(lastTilde + 1)..] : null;
        parts = new SdJwtParts(text, issuerLength, disclosures, kb, lastTilde + 1);
        return true;
    }

    // Only on the error path: the length of the first part over the limit, as the message has always named it.
    private static int FirstTooLong(string text, int max) => text.Split('~').First(s => s.Length > max).Length;
}

/// <summary>Size limits applied before anything is decoded.</summary>
public sealed record SdJwtLimits
{
    public int MaxTotalLength { get; init; } = 64 * 1024;
    public int MaxPartLength { get; init; } = 16 * 1024;
    public int MaxDisclosures { get; init; } = 256;

    public static SdJwtLimits Default { get; } = new();
}
