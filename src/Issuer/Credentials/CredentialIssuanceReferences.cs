using System.Linq.Expressions;

namespace Passport.Issuer.Credentials;

/// <summary>
/// The filter that finds a batch's credentials already issued: per type, that type and its references, OR'd together. It
/// follows the unique index (organisation, type, reference) one probe per reference; without the type PostgreSQL reads every
/// credential of the organisation, and with the types and the references as two lists it probes every type with every reference.
/// </summary>
internal static class CredentialIssuanceReferences
{
    public static Expression<Func<IssuedCredential, bool>>? Filter(string odsCode, IEnumerable<(string Type, string Reference)> wanted)
    {
        var credential = Expression.Parameter(typeof(IssuedCredential), "c");
        Expression? any = null;
        foreach (var group in wanted.GroupBy(w => w.Type, w => w.Reference))
        {
            var type = group.Key;
            var references = group.Distinct().ToList();
            Expression<Func<IssuedCredential, bool>> one = c => c.Type == type && references.Contains(c.SourceReference!);
            var body = new Rebind(one.Parameters[0], credential).Visit(one.Body);
            any = any is null ? body : Expression.OrElse(any, body);
        }
        if (any is null)
            return null;
        Expression<Func<IssuedCredential, bool>> organisation = c => c.OdsCode == odsCode;
        var all = Expression.AndAlso(new Rebind(organisation.Parameters[0], credential).Visit(organisation.Body), any);
        return Expression.Lambda<Func<IssuedCredential, bool>>(all, credential);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
