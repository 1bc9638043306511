using System.Text;
using System.Text.Json;

namespace Passport.Messaging;

/// <summary>
/// What an event is about, for ordering: the credential and the deployment it names (top-level <c>CredentialId</c> and
/// <c>DeploymentId</c>). Two events that share either must reach the broker, and be applied, in the order they were
/// committed; events that share neither may overtake each other. An event that names neither is ordered with every other
/// such event (one key of its own, <see cref="Guid.Empty"/>).
/// </summary>
public static class OutboxOrder
{
    private static readonly byte[] CredentialId = Encoding.UTF8.GetBytes("CredentialId");
    private static readonly byte[] DeploymentId = Encoding.UTF8.GetBytes("DeploymentId");

    /// <summary>The keys of a serialized event: its deployment and its credential, or <see cref="Guid.Empty"/> when it names neither.</summary>
    public static IReadOnlyList<Guid> KeysOf(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Guid? credential = null, deployment = null;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(body));
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                continue;
            var isCredential = reader.ValueTextEquals(CredentialId);
            var isDeployment = !isCredential && reader.ValueTextEquals(DeploymentId);
            if (!reader.Read())
                break;
            if (reader.TokenType == JsonTokenType.String && (isCredential || isDeployment) && reader.TryGetGuid(out var id))
            {
                if (isCredential)
                    credential = id;
                else
                    deployment = id;
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }
        return (deployment, credential) switch
        {
            ({ } d, { } c) => [d, c],
            ({ } d, null) => [d],
            (null, { } c) => [c],
            _ => [Guid.Empty],
        };
    }

    /// <summary>The partition key a consumer orders a message by: its deployment, else its credential, else none.</summary>
    public static Guid? PartitionKeyOf<T>(T message) where T : class => PartitionKey<T>.Of?.Invoke(message);

    /// <summary>Whether messages of <typeparamref name="T"/> name a deployment or a credential to be ordered by.</summary>
    public static bool HasPartitionKey<T>() where T : class => PartitionKey<T>.Of is not null;

    private static class PartitionKey<T> where T : class
    {
        public static readonly Func<T, Guid>? Of = Build();

        private static Func<T, Guid>? Build()
        {
            var property = typeof(T).GetProperty("DeploymentId") ?? typeof(T).GetProperty("CredentialId");
            if (property is null || property.PropertyType != typeof(Guid))
                return null;
            return (Func<T, Guid>)Delegate.CreateDelegate(typeof(Func<T, Guid>), property.GetGetMethod()!);
        }
    }
}
