using System.Reflection;

namespace Passport.ServiceDefaults;

/// <summary>
/// The values a string field can take, for the API reference, read from where the code keeps them so that the two cannot
/// drift: a static list (<c>Reasons</c>), the string constants of a class, an enum mapped by a static method
/// (<c>Name(Outcome)</c>), or an enum's names in lower case.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class AllowedValuesFromAttribute(Type source, string? member = null) : Attribute
{
    private const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;

    public Type Source { get; } = source;

    public string? Member { get; } = member;

    public IReadOnlyList<string> Values()
    {
        if (Member is null)
        {
            return Source.IsEnum
                ? [.. Enum.GetNames(Source).Select(n => n.ToLowerInvariant())]
                : [.. Source.GetFields(Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)];
        }
        // A method overloaded for an entity and for an enum (StatusName) is read through its enum overload.
        var found = Source.GetMember(Member, Static).OrderBy(m => m is MethodInfo method && method.GetParameters() is [{ ParameterType.IsEnum: true }] ? 0 : 1).FirstOrDefault()
            ?? throw new InvalidOperationException($"{Source.Name} has no static member {Member}.");
        return found switch
        {
            FieldInfo f => [.. (IEnumerable<string>)f.GetValue(null)!],
            PropertyInfo p => [.. (IEnumerable<string>)p.GetValue(null)!],
            MethodInfo { ReturnType: var r } m when r == typeof(string) && m.GetParameters() is [{ ParameterType.IsEnum: true } only] =>
                [.. Enum.GetValues(only.ParameterType).Cast<object>().Select(v => (string)m.Invoke(null, [v])!).Distinct(StringComparer.Ordinal)],
            _ => throw new InvalidOperationException($"{Source.Name}.{Member} is neither a list of strings nor a method naming an enum's values."),
        };
    }
}
