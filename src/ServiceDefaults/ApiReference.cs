using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Passport.ServiceDefaults;

/// <summary>What a service says about itself in its OpenAPI document: its purpose and what each of its tags groups.</summary>
public sealed class ApiReferenceOptions
{
    /// <summary>Each module composed in the host, by name, with a paragraph on what it does.</summary>
    public Dictionary<string, string> Services { get; } = new(StringComparer.Ordinal);

    /// <summary>A description of every tag the service's endpoints use (<c>WithTags</c>).</summary>
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}

/// <summary>An example value of a request or response field, shown in the API reference.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class ExampleAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}

/// <summary>
/// Makes the OpenAPI document explain itself from the endpoints' own metadata: the bearer scheme, who may call each operation
/// (read from its authorization policy, so it cannot drift from what the middleware enforces), the problems it answers with,
/// and allowed values, descriptions and examples of fields. An endpoint needs only a summary, a policy and its own problems.
/// </summary>
public static class ApiReference
{
    public const string BearerScheme = "bearer";

    internal static void AddPassportOpenApi(this IServiceCollection services)
    {
        services.AddOptions<ApiReferenceOptions>();
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<DocumentDescription>();
            o.AddOperationTransformer<OperationDescription>();
            o.AddSchemaTransformer<FieldDescription>();
        });
    }

    /// <summary>Describes a module and its tags in the OpenAPI document.</summary>
    public static IServiceCollection DescribeApi(this IServiceCollection services, string module, string description, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        services.Configure<ApiReferenceOptions>(o =>
        {
            o.Services[module] = description;
            foreach (var (tag, text) in tags)
                o.Tags[tag] = text;
        });
        return services;
    }

    internal static IOpenApiSchema ProblemSchema(OpenApiDocument document) =>
        document.Components?.Schemas?.ContainsKey(nameof(ProblemDetails)) == true
            ? new OpenApiSchemaReference(nameof(ProblemDetails), document)
            : AddProblemSchema(document);

    private static OpenApiSchemaReference AddProblemSchema(OpenApiDocument document)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        };
        FieldDescription.DescribeProblem(schema);
        document.AddComponent(nameof(ProblemDetails), schema);
        return new OpenApiSchemaReference(nameof(ProblemDetails), document);
    }
}

internal sealed class DocumentDescription(IOptions<ApiReferenceOptions> options, IOptions<AuthOptions> auth) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var reference = options.Value;
        if (reference.Services.Count > 0)
        {
            document.Info.Title = "Passport: " + string.Join(" and ", reference.Services.Keys);
            document.Info.Description = string.Join("\n\n", reference.Services.Values) + "\n\n" + Authentication;
        }
        // No licence has been chosen for Passport yet; the document says so rather than guessing one.
        document.Info.License ??= new OpenApiLicense { Name = "UNLICENSED", Identifier = "LicenseRef-UNLICENSED" };
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
                server.Url = url.TrimEnd('/');
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiReference.BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = Authentication + Scopes(),
        };
        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is not null && string.IsNullOrEmpty(tag.Description) && reference.Tags.TryGetValue(tag.Name, out var text))
                tag.Description = text;
        }
        return Task.CompletedTask;
    }

    private const string Authentication =
        "Every call under `/api` needs an access token from your organisation's identity provider (Entra ID, NHS CIS2) in "
        + "`Authorization: Bearer <token>`: a JWT with `org` (your organisation's ODS code), `roles` (`" + PassportRoles.HrIssuer + "`, `"
        + PassportRoles.OrganisationAdmin + "`, `" + PassportRoles.Verifier + "` or `" + PassportRoles.Staff + "`) and, for staff, `sub` and `"
        + PassportClaims.StaffId + "`. Each operation names the roles it accepts. The wallet-facing routes (OpenID4VCI, OpenID4VP), "
        + "the published metadata, keys and status lists need none.";

    private string Scopes() => auth.Value.RequiredScopes is { Length: > 0 } scopes
        ? " This service also requires one of the scopes `" + string.Join("`, `", scopes) + "` in `scp` or `scope`."
        : "";
}

internal sealed partial class OperationDescription(IAuthorizationPolicyProvider policies) : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.OperationId ??= OperationId(metadata, context.Description.HttpMethod, context.Description.RelativePath);
        AddMissingPathParameters(operation, context.Description.RelativePath);
        if (context.Document is not { } document)
            return;
        operation.Responses ??= [];
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            // An explicit empty requirement: anyone may call it, and the document says so rather than leaving it unsaid.
            operation.Security = [new OpenApiSecurityRequirement()];
            Append(operation, "**Who may call:** anyone, without an access token (rate-limited per client address).");
            AddProblem(operation, document, StatusCodes.Status429TooManyRequests, "Too many requests from your address (`rate_limited`); try again after `Retry-After` seconds.");
            return;
        }
        var policy = await AuthorizationPolicy.CombineAsync(policies, metadata.OfType<IAuthorizeData>(), metadata.OfType<AuthorizationPolicy>());
        if (policy is null)
            return;
        var roles = Roles(policy);
        var scheme = new OpenApiSecuritySchemeReference(ApiReference.BearerScheme, document);
        operation.Security = roles is null
            ? [new OpenApiSecurityRequirement { [scheme] = [] }]
            : [.. roles.Select(role => new OpenApiSecurityRequirement { [scheme] = [role] })];
        Append(operation, "**Who may call:** " + WhoMayCall(policy, roles));
        AddProblem(operation, document, StatusCodes.Status401Unauthorized,
            "No access token, or one that was refused (`not_authenticated`, `invalid_token`, `missing_scope`).");
        AddProblem(operation, document, StatusCodes.Status403Forbidden,
            "The access token lacks a role or claim this operation needs (`missing_role`, `missing_claim`); the problem names it.");
    }

    internal static IReadOnlyList<string>? Roles(AuthorizationPolicy policy)
    {
        IEnumerable<string>? roles = null;
        foreach (var requirement in policy.Requirements.OfType<RolesAuthorizationRequirement>())
            roles = roles is null ? requirement.AllowedRoles : roles.Intersect(requirement.AllowedRoles, StringComparer.Ordinal);
        return roles?.ToList();
    }

    internal static string WhoMayCall(AuthorizationPolicy policy, IReadOnlyList<string>? roles)
    {
        var text = new StringBuilder(roles switch
        {
            null => "anyone signed in",
            [] => "nobody (its policies ask for roles that exclude each other)",
            [var one] => $"a signed-in user with the role `{one}`",
            _ => $"a signed-in user with the role `{string.Join("`, `", roles.Take(roles.Count - 1))}` or `{roles[^1]}`",
        });
        var claims = policy.Requirements.OfType<ClaimsAuthorizationRequirement>()
            .Select(c => c.ClaimType).Where(c => c != PassportClaims.Roles).Distinct(StringComparer.Ordinal).ToList();
        if (claims.Count > 0)
            text.Append(", whose access token carries `").AppendJoin("` and `", claims).Append('`');
        return text.Append('.').ToString();
    }

    private static void Append(OpenApiOperation operation, string paragraph) =>
        operation.Description = string.IsNullOrWhiteSpace(operation.Description) ? paragraph : operation.Description + "\n\n" + paragraph;

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
            return;
        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = ApiReference.ProblemSchema(document) },
            },
        };
    }

    // An operation without a name gets one from its handler (IssueCredential.Handle: IssueCredential; DecideDeployment.Approve:
    // DecideDeploymentApprove), or from its method and route for a lambda, so that clients and links have something stable.
    private static string OperationId(IList<object> metadata, string? method, string? path)
    {
        if (metadata.OfType<MethodInfo>().FirstOrDefault() is { DeclaringType: { } type } handler && !type.Name.Contains('<', StringComparison.Ordinal)
            && !handler.Name.Contains('<', StringComparison.Ordinal))
            return handler.Name == "Handle" ? type.Name : type.Name + handler.Name;
        var words = (method ?? "").ToLowerInvariant() + " " + RouteParameter().Replace(path ?? "", "by $1");
        return string.Concat(Word().Matches(words).Select(w => char.ToUpperInvariant(w.Value[0]) + w.Value[1..]));
    }

    private static void AddMissingPathParameters(OpenApiOperation operation, string? path)
    {
        foreach (Match match in RouteParameter().Matches(path ?? ""))
        {
            var name = match.Groups[1].Value;
            operation.Parameters ??= [];
            if (operation.Parameters.Any(p => p.In == ParameterLocation.Path && p.Name == name))
                continue;
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = name == "ods" ? "The organisation's ODS code, such as RHQ." : null,
            });
        }
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("[A-Za-z0-9]+")]
    private static partial Regex Word();
}

/// <summary>Field descriptions, allowed values and examples from attributes on request and response records, and the problems' <c>code</c>.</summary>
internal sealed class FieldDescription : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(ProblemDetails) || context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
            DescribeProblem(schema);
        if (context.JsonPropertyInfo is not { } property)
            return Task.CompletedTask;
        var providers = new[] { property.AttributeProvider, property.AssociatedParameter?.AttributeProvider };
        T? Find<T>() where T : Attribute =>
            providers.SelectMany(p => p?.GetCustomAttributes(typeof(T), true) ?? []).OfType<T>().FirstOrDefault();
        if (string.IsNullOrEmpty(schema.Description) && Find<DescriptionAttribute>() is { } description)
            schema.Description = description.Description;
        if (Find<AllowedValuesAttribute>() is { } allowed)
            schema.Enum = [.. allowed.Values.OfType<object>().Select(v => (JsonNode)JsonValue.Create(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))!)];
        if (Find<AllowedValuesFromAttribute>() is { } from)
            schema.Enum = [.. from.Values().Select(v => (JsonNode)JsonValue.Create(v))];
        if (Find<ExampleAttribute>() is { } example)
            schema.Examples = [JsonValue.Create(example.Value)];
        return Task.CompletedTask;
    }

    internal static void DescribeProblem(OpenApiSchema schema)
    {
        schema.Description = "RFC 9457 problem details: `code` is stable, for programs; `detail` is a sentence for people that says what to fix.";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A stable code for the problem, such as `validation_failed`, `not_found` or `missing_role`.",
            Examples = [JsonValue.Create("validation_failed")],
        };
    }
}
