using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;

namespace Passport.Verifier.Decisions;

internal static class DecisionRecorder
{
    /// <summary>Adds the decision and its <see cref="PresentationVerified"/> event; they commit together with the caller's SaveChanges.</summary>
    public static Decision Add(
        VerifierDbContext db, LoadedAgreement agreement, string role, DateOnly start, DateOnly end, Evaluation evaluation,
        string nonce, Guid? requestId, string source, string decidedBy, DateTimeOffset now)
    {
        var decision = new Decision
        {
            OdsCode = agreement.OdsCode, RequestId = requestId, AgreementId = agreement.Id, AgreementVersion = agreement.Version, Role = role,
            Start = start, End = end, Accepted = evaluation.Accepted, Nonce = nonce, Source = source, DecidedBy = decidedBy, DecidedAt = now,
            Requirements = DecisionJson.Write(evaluation.Requirements),
        };
        db.Set<Decision>().Add(decision);
        db.AddOutboxMessage(new PresentationVerified
        {
            DecisionId = decision.Id,
            VerifierOdsCode = agreement.OdsCode,
            AgreementId = agreement.Id,
            AgreementVersion = agreement.Version,
            Accepted = evaluation.Accepted,
            VerifiedAt = now,
        }, now);
        return decision;
    }
}
