namespace Passport.Host;

internal static class Welcome
{
    public static void Print(WebApplication app, bool devTokens, bool seeded)
    {
        var url = FirstRun.LocalAddress(app).ToString().TrimEnd('/');
        var data = app.Configuration[EmbeddedDefaults.DataFolderKey];
        Console.WriteLine($"""

            Passport is running (Issuer, Verifier and the web pages in one process) at {url}
              Open in a browser: {url}/
              Data folder:    {data} (delete it to start again)
              API reference:  {url}/reference
              OpenAPI:        {url}/openapi/v1.json
              Health:         {url}/health/ready
            """);
        if (!devTokens)
            return;
        Console.WriteLine($$"""
              Sign in at {{url}}/sign-in as a demo user: HR at Northgate (the home trust), the staffing team at Eastbrook
                (the host trust), or one of Northgate's staff.

              {{(seeded ? "First run, so demo data was added" : "Demo data")}}: {{FirstRun.HomeOds}} (Northgate, the home trust) with three staff and their credentials;
                {{FirstRun.HostOds}} (Eastbrook, the host trust) with the agreement "{{FirstRun.AgreementTitle}}".

              Get a development token, for example for HR at {{FirstRun.HomeOds}}:
                curl -s -X POST {{url}}/dev/token -H 'content-type: application/json' \
                  -d '{"organisation":"{{FirstRun.HomeOds}}","roles":["hr_issuer"]}'
              or: dotnet run --project src/Cli -- token --url {{url}} --org {{FirstRun.HomeOds}} --role hr_issuer
              Roles: hr_issuer, org_admin, staff (with staffId), verifier.

              Run the whole journey against it:
                dotnet run --project src/Cli -- demo --url {{url}}
            """);
    }
}
