using System.Text.Json.Nodes;

namespace Passport.Credentials.SdJwt;

/// <summary>
/// Which parts of a claims object are selectively disclosable, recursively.
/// <c>Claims</c> names members of this object, <c>Elements</c> indexes of this array;
/// <c>Nested</c>/<c>NestedElements</c> give the frame for a member's or element's own content.
/// </summary>
public sealed class DisclosureFrame
{
    public HashSet<string> Claims { get; } = new(StringComparer.Ordinal);
    public HashSet<int> Elements { get; } = [];
    public Dictionary<string, DisclosureFrame> Nested { get; } = new(StringComparer.Ordinal);
    public Dictionary<int, DisclosureFrame> NestedElements { get; } = [];

    /// <summary>Decoy digests added to this object's <c>_sd</c> (RFC 9901 §4.2.5).</summary>
    public int Decoys { get; init; }

    public static DisclosureFrame None { get; } = new();

    /// <summary>
    /// Reads the frame notation used by several SD-JWT libraries:
    /// <c>{"_sd": ["a", "b"], "_sd_decoy": 2, "address": {"_sd": ["street"]}, "list": {"_sd": [0, 1]}}</c>.
    /// </summary>
    public static DisclosureFrame Parse(JsonObject notation)
    {
        ArgumentNullException.ThrowIfNull(notation);
        var decoys = notation["_sd_decoy"] is JsonValue d && d.TryGetValue<int>(out var n) ? n : 0;
        var frame = new DisclosureFrame { Decoys = decoys };
        foreach (var (key, value) in notation)
        {
            switch (key)
            {
                case "_sd_decoy":
                    break;
                case "_sd" when value is JsonArray items:
                    foreach (var item in items)
                    {
                        if (item is JsonValue v && v.TryGetValue<int>(out var index))
                            frame.Elements.Add(index);
                        else if (item is JsonValue s && s.TryGetValue<string>(out var name))
                            frame.Claims.Add(name);
                        else
                            throw new FormatException("Entries of _sd in a disclosure frame are claim names or array indexes.");
                    }
                    break;
                case "_sd":
                    throw new FormatException("_sd in a disclosure frame must be an array.");
                default:
                    if (value is not JsonObject child)
                        throw new FormatException($"The frame for '{key}' must be an object.");
                    if (int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i))
                        frame.NestedElements[i] = Parse(child);
                    else
                        frame.Nested[key] = Parse(child);
                    break;
            }
        }
        return frame;
    }
}
