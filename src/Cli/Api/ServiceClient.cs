using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Passport.Cli.Api;

/// <summary>A step did not behave as it should: the command stops and says why, and exits non-zero.</summary>
internal sealed class CommandFailedException(string message, HttpStatusCode? status = null) : Exception(message)
{
    /// <summary>The HTTP status that was not the one expected, when that is what went wrong.</summary>
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>The Passport API at one base URL, called as one user (a bearer token). Every call names the status it expects.</summary>
internal sealed class ServiceClient(HttpClient http, string? token = null)
{
    public Uri BaseAddress => http.BaseAddress!;

    public ServiceClient As(string bearerToken) => new(http, bearerToken);

    public static HttpClient CreateHttp(Uri baseUrl) => new()
    {
        BaseAddress = new Uri(baseUrl.ToString().TrimEnd('/') + "/"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    public Task<JsonObject> GetAsync(string path, string what, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, what, cancellationToken, HttpStatusCode.OK);

    public Task<JsonObject> PostAsync(string path, JsonNode? body, string what, CancellationToken cancellationToken, params HttpStatusCode[] expected) =>
        SendAsync(HttpMethod.Post, path, body, what, cancellationToken, expected.Length == 0 ? [HttpStatusCode.OK, HttpStatusCode.Created] : expected);

    public async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonNode? body, string what, CancellationToken cancellationToken, params HttpStatusCode[] expected)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
            request.Content = JsonContent.Create(body);
        return await SendAsync(request, what, cancellationToken, expected);
    }

    public async Task<JsonObject> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken, params HttpStatusCode[] expected)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CommandFailedException($"{what}: could not reach {http.BaseAddress} ({e.Message}). Is the service running?");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!expected.Contains(response.StatusCode))
                throw new CommandFailedException($"{what}: expected {string.Join(" or ", expected.Select(s => (int)s))}, got {(int)response.StatusCode} {response.ReasonPhrase}{Problem(text)}", response.StatusCode);
            if (string.IsNullOrWhiteSpace(text))
                return [];
            try
            {
                return JsonNode.Parse(text) switch
                {
                    JsonObject o => o,
                    JsonArray a => new JsonObject { ["items"] = a },
                    _ => throw new CommandFailedException($"{what}: the answer is not a JSON object."),
                };
            }
            catch (System.Text.Json.JsonException)
            {
                throw new CommandFailedException($"{what}: the answer is not JSON.");
            }
        }
    }

    /// <summary>The problem's code and sentence (RFC 9457), or the start of the body.</summary>
    public static string Problem(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return "";
        try
        {
            if (JsonNode.Parse(body) is JsonObject o)
            {
                var code = o["code"]?.ToString() ?? o["error"]?.ToString();
                var detail = o["detail"]?.ToString() ?? o["error_description"]?.ToString() ?? o["title"]?.ToString();
                var errors = o["errors"] is JsonObject e ? " " + string.Join("; ", e.Select(x => $"{x.Key}: {string.Join(" ", x.Value?.AsArray().Select(v => v?.ToString()) ?? [])}")) : "";
                return $": {code} {detail}{errors}".TrimEnd();
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return ": " + (body.Length > 200 ? body[..200] + "..." : body);
    }
}
