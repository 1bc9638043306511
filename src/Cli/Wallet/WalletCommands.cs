using System.CommandLine;
using Spectre.Console;

namespace Passport.Cli.Wallet;

/// <summary>
/// <c>passport wallet</c>: a wallet for staff without a smartphone app, and for testing. It receives credential offers
/// (OpenID4VCI), lists what it holds with each credential's status and expiry, and answers presentation requests
/// (OpenID4VP) showing exactly which claims will be disclosed before asking for consent.
/// </summary>
internal static class WalletCommands
{
    public static Command Create(IAnsiConsole console)
    {
        var folder = new Option<string>("--wallet-dir")
        {
            Description = "The wallet's folder (holder key and credentials, readable only by you)",
            DefaultValueFactory = _ => WalletStore.DefaultFolder,
            Recursive = true,
        };
        var wallet = new Command("wallet", "A command-line wallet: receive, list and present credentials") { folder };

        var offer = new Argument<string>("offer") { Description = "The credential offer: the openid-credential-offer:// link (the QR code's text) or its credential_offer_uri" };
        var txCode = new Option<string?>("--tx-code") { Description = "The transaction code HR gave you; asked for when left out" };
        var receive = new Command("receive", "Receive the credentials of an offer (OpenID4VCI)") { offer, txCode };
        receive.SetRun(console, async (parse, ct) =>
        {
            using var client = WalletHttp.CreateClient();
            var flow = new ReceiveCredentials(new WalletHttp(client), new WalletStore(parse.GetValue(folder)!), TimeProvider.System);
            var resolved = await flow.ResolveAsync(parse.GetValue(offer)!, ct);
            console.MarkupLineInterpolated($"Offer from [bold]{resolved.CredentialIssuer}[/]: {string.Join(", ", resolved.ConfigurationIds)}");
            var code = parse.GetValue(txCode);
            if (code is null && resolved.TxCodeLength is not null)
                code = console.Prompt(new TextPrompt<string>($"{resolved.TxCodeDescription ?? "Transaction code"}").Secret());
            var received = await flow.RedeemAsync(resolved, code, ct);
            console.MarkupLineInterpolated($"[green]✓[/] Received {received.Count} credential(s): {string.Join(", ", received.Select(r => r.Name))}");
            return 0;
        });

        var list = new Command("list", "List held credentials with their status and expiry");
        list.SetRun(console, async (parse, ct) =>
        {
            var store = new WalletStore(parse.GetValue(folder)!);
            using var client = WalletHttp.CreateClient();
            var status = new CredentialStatusCheck(new WalletHttp(client), TimeProvider.System);
            var table = new Table().AddColumns("Credential", "Issuer", "Status", "Expires", "Id");
            foreach (var credential in store.List())
            {
                var held = credential.Parse();
                var expires = held.Jwt.Payload["exp"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<long>(out var exp)
                    ? DateTimeOffset.FromUnixTimeSeconds(exp).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                    : "-";
                var state = await status.StatusAsync(credential, ct);
                table.AddRow(Markup.Escape(Title(credential, held)), Markup.Escape(credential.Issuer), StatusMarkup(state), expires, credential.Id.ToString());
            }
            console.Write(table);
            console.MarkupLineInterpolated($"Wallet: {store.Folder}");
            return 0;
        });

        var link = new Argument<string>("request") { Description = "The presentation request: the openid4vp:// link (the QR code's text)" };
        var yes = new Option<bool>("--yes") { Description = "Consent without asking (after showing what is disclosed)" };
        var present = new Command("present", "Answer a presentation request (OpenID4VP), disclosing only what is asked") { link, yes };
        present.SetRun(console, async (parse, ct) =>
        {
            using var client = WalletHttp.CreateClient();
            var flow = new PresentCredentials(new WalletHttp(client), new WalletStore(parse.GetValue(folder)!), TimeProvider.System);
            var plan = await flow.PlanAsync(parse.GetValue(link)!, ct);
            ShowPlan(console, plan);
            if (plan.Answers.Count == 0)
                throw new Api.CommandFailedException("This wallet holds nothing the verifier asked for.");
            if (!parse.GetValue(yes) && !console.Confirm("Share exactly these claims with this verifier?", defaultValue: false))
            {
                await flow.DeclineAsync(plan, ct);
                console.MarkupLine("Declined; the verifier has been told.");
                return 2;
            }
            await flow.SubmitAsync(plan, ct);
            console.MarkupLine("[green]✓[/] Presented. The verifier now decides.");
            return 0;
        });

        wallet.Add(receive);
        wallet.Add(list);
        wallet.Add(present);
        return wallet;
    }

    public static void ShowPlan(IAnsiConsole console, PresentationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(plan);
        // The name is the organisation's own claim; the certificate it signed with and its identifier are shown beside it to check.
        console.MarkupLineInterpolated($"Asked by: [bold]{plan.ClientName ?? "(the verifier gives no name)"}[/]");
        console.MarkupLineInterpolated($"Certificate: {plan.CertificateSubject} ({plan.ClientId})");
        console.MarkupLine("The verifier will see these claims, and nothing else from your wallet:");
        var table = new Table().AddColumns("Asked for", "From credential", "Claim", "Value", "Why it is seen");
        foreach (var claim in PresentCredentials.Disclosed(plan))
            table.AddRow(Markup.Escape(claim.QueryId), Markup.Escape(claim.Credential), Markup.Escape(claim.Path), Markup.Escape(claim.Value), Markup.Escape(claim.How));
        console.Write(table);
        foreach (var missing in plan.Unanswered)
            console.MarkupLineInterpolated($"[yellow]! Nothing held answers '{missing}'; the verifier will see it as not met.[/]");
    }

    private static string Title(StoredCredential credential, Credentials.SdJwt.HeldCredential held) =>
        held.Claims["subject"] is { } subject ? $"{credential.Name} ({subject})" : credential.Name;

    private static string StatusMarkup(string status) => status switch
    {
        "valid" => "[green]valid[/]",
        "withdrawn" or "expired" => $"[red]{status}[/]",
        _ => $"[yellow]{Markup.Escape(status)}[/]",
    };
}
