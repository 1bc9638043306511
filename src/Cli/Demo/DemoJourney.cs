using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Passport.Cli.Api;
using Passport.Cli.Wallet;
using Spectre.Console;

namespace Passport.Cli.Demo;

/// <summary>
/// The journey of DESIGN.md, step by step, against a development host seeded with the demo organisations: HR at the
/// home trust issues a passport and offers it; the member of staff's wallet receives it (OpenID4VCI); the host trust asks
/// for a presentation for a role under its agreement (OpenID4VP); the wallet presents only what was asked; the decision
/// and its reasons are shown; a deployment starts; HR withdraws a credential; the deployment is flagged. Every step checks
/// what it got and throws <see cref="CommandFailedException"/> when the service does not behave as stated.
/// </summary>
internal sealed class DemoJourney(IAnsiConsole console, ServiceClient service, WalletHttp walletHttp, TimeProvider time, TimeSpan wait)
{
    public const string Home = "RHQ";
    public const string Host = "RXH";
    public const string Role = "registered_nurse";

    private int _step;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var wallet = Directory.CreateTempSubdirectory("passport-demo-wallet-");
        try
        {
            await RunAsync(new WalletStore(wallet.FullName), cancellationToken);
        }
        finally
        {
            wallet.Delete(recursive: true);
        }
    }

    private async Task RunAsync(WalletStore store, CancellationToken ct)
    {
        console.Write(new Rule("[bold]Passport: the whole journey[/]").LeftJustified());
        console.MarkupLineInterpolated($"Service: {service.BaseAddress}");
        var hr = service.As(await DevelopmentToken.MintAsync(service, Home, "hr_issuer", ct));
        var verifier = service.As(await DevelopmentToken.MintAsync(service, Host, "verifier", ct));
        var agreement = await FindAgreementAsync(verifier, ct);
        console.MarkupLineInterpolated($"Agreement at {Host}: [bold]{agreement["title"]}[/] ({agreement["id"]})");

        // 1. HR issues a passport.
        Step($"HR at {Home} issues a passport");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var staff = await hr.PostAsync("api/staff", DemoPassport.Staff(today), "Adding the member of staff", ct, HttpStatusCode.Created);
        var staffId = Guid.Parse(staff["id"]!.GetValue<string>());
        var issued = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var table = new Table().AddColumns("Credential", "Id", "Expires");
        foreach (var (type, claims) in DemoPassport.Credentials(today))
        {
            var credential = await hr.PostAsync($"api/staff/{staffId}/credentials", new JsonObject { ["type"] = type, ["claims"] = claims },
                $"Issuing the {type} credential", ct, HttpStatusCode.Created);
            issued[type] = Guid.Parse(credential["id"]!.GetValue<string>());
            table.AddRow(type, issued[type].ToString(), DateTimeOffset.TryParse(credential["expiresAt"]?.ToString(), CultureInfo.InvariantCulture, out var expires)
                ? expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "");
        }
        console.MarkupLineInterpolated($"{staff["givenName"]} {staff["familyName"]}, {staff["jobTitle"]} (staff id {staffId})");
        console.Write(table);
        Passed($"{issued.Count} credentials issued, each signed and on a status list.");

        // 2. The wallet receives it through OpenID4VCI.
        Step("The member of staff's wallet receives it through OpenID4VCI");
        var offer = await hr.PostAsync($"api/staff/{staffId}/offers", new JsonObject(), "Offering the credentials", ct, HttpStatusCode.Created);
        var offerUri = offer["offerUri"]!.GetValue<string>();
        console.MarkupLineInterpolated($"Offer (the QR code's text): [dim]{offerUri}[/]");
        console.MarkupLineInterpolated($"Transaction code, given to the member of staff separately: [bold]{offer["txCode"]}[/]");
        var receiver = new ReceiveCredentials(walletHttp, store, time);
        var received = await receiver.RedeemAsync(await receiver.ResolveAsync(offerUri, ct), offer["txCode"]!.GetValue<string>(), ct);
        Expect(received.Count == issued.Count, $"The wallet received {received.Count} credentials; {issued.Count} were offered.");
        Passed($"{received.Count} credentials received, each checked against {Home}'s published keys and bound to the wallet's key; the issuer was told they were accepted.");

        // 3. The receiving organisation asks for a presentation for a role under the agreement.
        Step($"{Host} asks for what the agreement requires of a {Role}");
        var start = today.AddDays(1);
        var end = today.AddDays(28);
        var request = await verifier.PostAsync("api/presentation-requests", new JsonObject
        {
            ["agreementId"] = agreement["id"]!.GetValue<string>(), ["role"] = Role, ["start"] = Day(start), ["end"] = Day(end),
        }, "Creating the presentation request", ct, HttpStatusCode.Created);
        var requestId = request["id"]!.GetValue<string>();
        console.MarkupLineInterpolated($"Request for {start:yyyy-MM-dd} to {end:yyyy-MM-dd} (the QR code's text): [dim]{request["deepLink"]}[/]");

        // 4. The wallet presents only what was asked.
        Step("The wallet presents only what was asked");
        var presenter = new PresentCredentials(walletHttp, store, time);
        var plan = await presenter.PlanAsync(request["deepLink"]!.GetValue<string>(), ct);
        WalletCommands.ShowPlan(console, plan);
        Expect(plan.Unanswered.Count == 0, $"The wallet could not answer: {string.Join(", ", plan.Unanswered)}. It holds {string.Join(", ", received.Select(r => r.Parse().Vct).Distinct())}; "
            + $"the request asks for {string.Join(", ", plan.Query["credentials"]!.AsArray().SelectMany(q => q!["meta"]?["vct_values"]?.AsArray() ?? []).Select(v => v?.ToString()).Distinct())}. "
            + "If the host's public URL changed since its data was seeded, start it with the first URL again, or with an empty data folder.");
        CheckOnlyWhatWasAsked(plan);
        await presenter.SubmitAsync(plan, ct);
        Passed($"Presented {plan.Answers.Count} credentials; of their selectively disclosable claims only those asked for were disclosed (no identity credential, no immunisations).");

        // 5. The decision and its reasons.
        Step("The decision, with a reason for every requirement");
        var decision = await verifier.GetAsync($"api/presentation-requests/{requestId}/decision", "Reading the decision", ct);
        var reasons = new Table().AddColumns("Requirement", "Outcome", "Reason");
        foreach (var requirement in decision["requirements"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var outcome = requirement["outcome"]?.GetValue<string>() ?? "";
            reasons.AddRow(Markup.Escape(requirement["id"]?.ToString() ?? ""), outcome == "met" ? "[green]met[/]" : $"[red]{Markup.Escape(outcome)}[/]",
                Markup.Escape(requirement["reason"]?.ToString() ?? ""));
        }
        console.Write(reasons);
        Expect(decision["accepted"]?.GetValue<bool>() == true, $"The decision is '{decision["decision"]}', not accepted.");
        Passed("Accepted: every requirement is met.");

        // 6. A deployment starts.
        Step($"{Host} starts a deployment");
        var deployment = await verifier.PostAsync("api/deployments", new JsonObject
        {
            ["decisionId"] = decision["id"]!.GetValue<string>(), ["homeOdsCode"] = Home, ["staffId"] = staffId.ToString(),
            ["hostSite"] = "Eastbrook Community Hospital, Ward 3", ["start"] = Day(start), ["end"] = Day(end),
        }, "Starting the deployment", ct, HttpStatusCode.Created);
        var deploymentId = deployment["id"]!.GetValue<string>();
        Expect(deployment["state"]?.GetValue<string>() == "active", $"The deployment is '{deployment["state"]}', not active.");
        Passed($"Deployment {deploymentId} is active at {deployment["hostSite"]} from {start:yyyy-MM-dd} to {end:yyyy-MM-dd}.");

        // 7. HR withdraws a credential.
        Step($"HR at {Home} withdraws the DBS credential");
        var revoked = await hr.PostAsync($"api/credentials/{issued["dbs"]}/revoke", new JsonObject { ["reason"] = "no_longer_valid", ["note"] = "New information from the DBS Update Service" },
            "Withdrawing the DBS credential", ct, HttpStatusCode.OK);
        Passed($"The DBS credential is {revoked["status"]} ({revoked["reason"]}); its status list entry is set.");

        // 8. The deployment is flagged.
        Step($"{Host} is told: the deployment is flagged");
        var flagged = await PollAsync(async () =>
        {
            var current = await verifier.GetAsync($"api/deployments/{deploymentId}", "Reading the deployment", ct);
            return current["flagged"]?.GetValue<bool>() == true ? current : null;
        }, ct) ?? throw new CommandFailedException($"The deployment was not flagged within {wait.TotalSeconds:0} s of the withdrawal.");
        foreach (var flag in flagged["flags"]?.AsArray().OfType<JsonObject>() ?? [])
            console.MarkupLineInterpolated($"[red]⚑[/] {flag["kind"]}: {flag["reason"]} at {flag["flaggedAt"]}");
        var dbs = received.First(r => r.ConfigurationId == "dbs");
        var status = await new CredentialStatusCheck(walletHttp, time).StatusAsync(dbs, ct);
        Expect(status == "withdrawn", $"The wallet reads the DBS credential's status as '{status}', not withdrawn.");
        Passed("The deployment is flagged, and the wallet's copy of the DBS credential reads as withdrawn on its status list.");

        console.Write(new Rule($"[green]All {_step} steps behaved as stated.[/]").LeftJustified());
    }

    private async Task<JsonObject> FindAgreementAsync(ServiceClient verifier, CancellationToken ct)
    {
        var found = await PollAsync(async () =>
        {
            var list = await verifier.GetAsync("api/agreements", $"Listing {Host}'s agreements", ct);
            foreach (var summary in list["items"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                var agreement = await verifier.GetAsync($"api/agreements/{summary["id"]}", "Reading an agreement", ct);
                var document = agreement["document"];
                var parties = document?["parties"]?.AsArray().Select(p => p?.ToString()) ?? [];
                var roles = document?["roles"]?.AsArray().Select(r => r?["role"]?.ToString()) ?? [];
                if (parties.Contains(Home) && roles.Contains(Role))
                    return agreement;
            }
            return null;
        }, ct);
        return found ?? throw new CommandFailedException(
            $"{Host} has no agreement with {Home} covering {Role}. The embedded host seeds one on its first run in Development: start it with an empty data folder.");
    }

    private async Task<JsonObject?> PollAsync(Func<Task<JsonObject?>> attempt, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            if (await attempt() is { } result)
                return result;
            if (time.GetUtcNow() >= deadline)
                return null;
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, ct);
        }
    }

    /// <summary>Every disclosed claim lies on a path the verifier's query asked for; nothing else was revealed.</summary>
    private static void CheckOnlyWhatWasAsked(PresentationPlan plan)
    {
        foreach (var answer in plan.Answers)
        {
            var query = plan.Query["credentials"]!.AsArray().OfType<JsonObject>().First(q => q["id"]?.GetValue<string>() == answer.QueryId);
            var asked = (query["claims"]?.AsArray().OfType<JsonObject>() ?? []).Select(c => DcqlMatch.PathOf(c).Segments is [var first, ..] ? first?.ToString() : null).ToHashSet(StringComparer.Ordinal);
            foreach (var disclosure in answer.Held.Select(answer.Paths))
            {
                var top = answer.Held.PathOf(disclosure)[0].ToString();
                Expect(asked.Contains(top), $"The wallet would disclose '{top}' of the {answer.QueryId} credential, which the verifier did not ask for.");
            }
        }
    }

    private void Step(string title)
    {
        _step++;
        console.WriteLine();
        console.Write(new Rule($"[bold]{_step}. {Markup.Escape(title)}[/]").LeftJustified());
    }

    private void Passed(string what) => console.MarkupLineInterpolated($"[green]✓[/] {what}");

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
            throw new CommandFailedException(failure);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
