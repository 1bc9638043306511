using Passport.Issuer.Credentials;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Status;

internal static class StatusEndpoints
{
    public static IHostApplicationBuilder AddIssuerStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<StatusLists>();
        return builder;
    }

    public static IEndpointRouteBuilder MapIssuerStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status/{ods}/{listId:int}", GetStatusList.Handle)
            .AllowAnonymous()
            .WithTags("Status")
            .WithSummary("The organisation's Token Status List (application/statuslist+jwt)");

        var credentials = app.MapGroup("/api/credentials").RequireAuthorization(PassportPolicies.Hr).WithTags("Credentials");
        credentials.MapPost("/{id:guid}/revoke", ChangeCredentialStatus.Revoke).WithSummary("Withdraw a credential for good, with a reason");
        credentials.MapPost("/{id:guid}/suspend", ChangeCredentialStatus.Suspend).WithSummary("Suspend a credential, with a reason");
        credentials.MapPost("/{id:guid}/reinstate", ChangeCredentialStatus.Reinstate).WithSummary("Reinstate a suspended credential");
        return app;
    }
}
