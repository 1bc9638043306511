using Passport.ServiceDefaults;

namespace Passport.Verifier.Presentations;

/// <summary>Where a wallet fetches a request (request_uri) and posts its answer (response_uri), and the deep link that names both.</summary>
internal sealed record PresentationLinks(VerifierOptions Options, string OdsCode, Guid RequestId)
{
    public string RequestUri => new Uri(Options.PublicBaseUrl, $"verifiers/{OdsCode}/requests/{RequestId}").ToString();

    public string ResponseUri => new Uri(Options.PublicBaseUrl, $"verifiers/{OdsCode}/responses").ToString();

    public string QrPng => new Uri(Options.PublicBaseUrl, $"api/presentation-requests/{RequestId}/qr.png").ToString();

    public string QrSvg => new Uri(Options.PublicBaseUrl, $"api/presentation-requests/{RequestId}/qr.svg").ToString();

    /// <summary>OpenID4VP 1.0 §5.7: client_id and request_uri only; the wallet fetches the rest by reference.</summary>
    public string DeepLink(string clientId) =>
        $"openid4vp://?client_id={Uri.EscapeDataString(clientId)}&request_uri={Uri.EscapeDataString(RequestUri)}";
}

public sealed record PresentationRequestResponse(
    Guid Id, Guid AgreementId, int AgreementVersion, string Role, DateOnly Start, DateOnly End,
    [AllowedValuesFrom(typeof(PresentationRequestState))] string State, string ClientId,
    string RequestUri, string DeepLink, string QrPng, string QrSvg, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, Guid? DecisionId);

internal static class PresentationRequestMapping
{
    public static PresentationRequestResponse ToResponse(this PresentationRequest request, VerifierOptions options, DateTimeOffset now)
    {
        var links = new PresentationLinks(options, request.OdsCode, request.Id);
        return new PresentationRequestResponse(
            request.Id, request.AgreementId, request.AgreementVersion, request.Role, request.Start, request.End,
            request.StateAt(now).ToString().ToLowerInvariant(), request.ClientId, links.RequestUri, links.DeepLink(request.ClientId),
            links.QrPng, links.QrSvg, request.CreatedAt, request.ExpiresAt, request.DecisionId);
    }
}
