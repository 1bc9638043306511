using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Settings;

/// <summary>The organisation's signing keys, in words, and their rotation after a confirmation.</summary>
public sealed class KeysModel(IssuerApi issuer, TimeProvider time) : FormPage
{
    public IReadOnlyList<SigningKey> Keys { get; private set; } = [];

    [BindProperty] public string? Confirm { get; set; }

    public bool Confirming { get; private set; }

    public async Task OnGetAsync([FromQuery] bool rotate, CancellationToken cancellationToken)
    {
        Confirming = rotate;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Confirm != "yes")
        {
            if (Confirm != "no")
                AddError("confirm", "Select yes if you want to rotate the signing key");
            Confirming = HasErrors;
            await LoadAsync(cancellationToken);
            return HasErrors ? Page() : Redirect("/settings/keys");
        }
        var result = await issuer.RotateKeyAsync(cancellationToken);
        if (result.Problem is { } problem)
        {
            Confirming = true;
            AddError("confirm", problem.Code switch
            {
                "organisation_not_found" => "Register your organisation in its settings before it can have a signing key",
                "rotation_in_progress" => "Someone else rotated the key at the same moment. The new key is shown below",
                _ => "The key could not be rotated. Try again in a moment",
            });
            await LoadAsync(cancellationToken);
            return Page();
        }
        TempData["Banner"] = "A new signing key is in use. The previous key still checks what it signed until that expires";
        return Redirect("/settings/keys");
    }

    public string State(SigningKey key) =>
        key.RetiredAt is null ? "In use"
        : key.PublishUntil is { } until && until > time.GetUtcNow() ? "Retired, still checks what it signed"
        : "Retired";

    public static string Colour(SigningKey key) => key.RetiredAt is null ? "green" : "grey";

    private async Task LoadAsync(CancellationToken cancellationToken) => Keys = (await issuer.KeysAsync(cancellationToken)).Value ?? [];
}
