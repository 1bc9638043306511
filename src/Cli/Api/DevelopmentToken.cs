using System.Net;
using System.Text.Json.Nodes;

namespace Passport.Cli.Api;

/// <summary>Access tokens from the embedded host's development token issuer, which exists only in the Development environment.</summary>
internal static class DevelopmentToken
{
    public const string NotDevelopment =
        "The service has no development token issuer (POST /dev/token answered 404). It exists only on the embedded host "
        + "(dotnet run --project src/Host) running in the Development environment; elsewhere, get a token from your organisation's identity provider.";

    public static async Task<string> MintAsync(ServiceClient service, string organisation, string role, CancellationToken cancellationToken, Guid? staffId = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        var body = new JsonObject { ["organisation"] = organisation, ["roles"] = new JsonArray(role) };
        if (staffId is { } id)
            body["staffId"] = id.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "dev/token") { Content = System.Net.Http.Json.JsonContent.Create(body) };
        JsonObject answer;
        try
        {
            answer = await service.SendAsync(request, $"A development token for {role} at {organisation}", cancellationToken, HttpStatusCode.OK);
        }
        catch (CommandFailedException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            throw new CommandFailedException(NotDevelopment);
        }
        return answer["accessToken"]?.GetValue<string>() ?? throw new CommandFailedException(NotDevelopment);
    }
}
