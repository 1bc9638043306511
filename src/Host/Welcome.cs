namespace Passport.Host;

internal static class Welcome
{
    public static void Print(WebApplication app, bool devTokens)
    {
        var url = app.Urls.FirstOrDefault() ?? "http://localhost:5000";
        Console.WriteLine($"""

            Passport is running (Issuer and Verifier in one process) at {url}
              API reference:  {url}/reference
              OpenAPI:        {url}/openapi/v1.json
              Health:         {url}/health/ready
            """);
        if (devTokens)
        {
            Console.WriteLine($$"""
              Get a development token, for example for HR at the demo trust RHQ:
                curl -s -X POST {{url}}/dev/token -H 'content-type: application/json' \
                  -d '{"organisation":"RHQ","roles":["hr_issuer"]}'
              Roles: hr_issuer, org_admin, staff (with staffId), verifier.
            """);
        }
    }
}
