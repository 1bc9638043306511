using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Passport.Web.Api;

/// <summary>What an API call gave: a value, or the problem it answered with (status, stable code, sentence, field errors).</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Ok => Problem is null;

    public static implicit operator ApiResult<T>(ApiProblem problem) => new(default, problem);
}

public sealed record ApiProblem(int Status, string Code, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(ApiJson.Options, cancellationToken);
            var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            if (body?["errors"] is JsonObject e)
            {
                foreach (var (field, messages) in e)
                    errors[field] = messages is JsonArray a ? [.. a.Select(m => m?.ToString() ?? "")] : [messages?.ToString() ?? ""];
            }
            return new ApiProblem(status, body?["code"]?.ToString() ?? Fallback(response.StatusCode), body?["detail"]?.ToString(), errors);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException)
        {
            return new ApiProblem(status, Fallback(response.StatusCode), null, NoErrors);
        }
    }

    private static string Fallback(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "not_authenticated",
        HttpStatusCode.Forbidden => "forbidden",
        HttpStatusCode.NotFound => "not_found",
        _ => "error",
    };
}

public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

/// <summary>The signed-in person's access token no longer works (expired or refused): they sign in again.</summary>
public sealed class SignInAgainException : Exception
{
    public SignInAgainException()
        : base("The access token was refused; the person signs in again.")
    {
    }

    public SignInAgainException(string message)
        : base(message)
    {
    }

    public SignInAgainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Shared plumbing of the typed API clients: JSON in and out, problems read, a refused token turned into a new sign-in.</summary>
public abstract class ApiClient(HttpClient http)
{
    protected HttpClient Http { get; } = http;

    protected Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    protected Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    protected Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken cancellationToken) => SendAsync<T>(HttpMethod.Put, path, body, cancellationToken);

    protected async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is HttpContent content)
            request.Content = content;
        else if (body is not null)
            request.Content = JsonContent.Create(body, body.GetType(), options: ApiJson.Options);
        using var response = await Http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            throw new SignInAgainException();
        if (!response.IsSuccessStatusCode)
            return await ApiProblem.ReadAsync(response, cancellationToken);
        if (typeof(T) == typeof(byte[]))
            return new ApiResult<T>((T)(object)await response.Content.ReadAsByteArrayAsync(cancellationToken), null);
        var value = await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken);
        return new ApiResult<T>(value, null);
    }
}
