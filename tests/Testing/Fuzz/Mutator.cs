using System.Globalization;
using System.Text;

namespace Passport.Testing.Fuzz;

/// <summary>
/// Seeded mutations of a valid input: byte flips, truncation, insertion, invalid UTF-8, segment shuffles, duplicate JSON members,
/// control characters and huge values. The same seed gives the same inputs, so a failure can be replayed.
/// </summary>
public sealed class Mutator(int seed)
{
    private static readonly byte[][] InvalidUtf8 = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]];
    private static readonly string[] Controls = ["\0", "\u0001", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\\u0000", "\\u001b", "\\ud800"];
    private static readonly string[] Interesting = ["\"", "{", "}", "[", "]", "~", ".", ",", ":", "\\", "=", "+", "/", "null", "-1", "1e400", "\"\":", "\u2028", "😀"];

    private readonly Random _random = new(seed);

    public string Last { get; private set; } = "";

    /// <summary>One mutation of <paramref name="input"/> chosen at random; <see cref="Last"/> names it.</summary>
    public byte[] Mutate(byte[] input, params char[] separators)
    {
        ArgumentNullException.ThrowIfNull(input);
        var kind = _random.Next(separators.Length > 0 ? 10 : 8);
        Last = kind switch
        {
            0 => "flip", 1 => "truncate", 2 => "insert", 3 => "invalid_utf8", 4 => "duplicate_member", 5 => "control_character",
            6 => "huge_value", 7 => "splice", 8 => "segment_shuffle", _ => "segment_drop_or_repeat",
        };
        return kind switch
        {
            0 => Flip(input),
            1 => input.Length == 0 ? input : input[.._random.Next(input.Length)],
            2 => Insert(input, Encoding.UTF8.GetBytes(Interesting[_random.Next(Interesting.Length)])),
            3 => Insert(input, InvalidUtf8[_random.Next(InvalidUtf8.Length)]),
            4 => DuplicateMember(input),
            5 => Insert(input, Encoding.UTF8.GetBytes(Controls[_random.Next(Controls.Length)])),
            6 => Huge(input),
            7 => Splice(input),
            8 => Segments(input, separators[_random.Next(separators.Length)], shuffle: true),
            _ => Segments(input, separators[_random.Next(separators.Length)], shuffle: false),
        };
    }

    public string Mutate(string input, params char[] separators) => Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(input), separators));

    /// <summary>Like <see cref="Mutate(byte[], char[])"/>, but the result is printable ASCII (for a header value).</summary>
    public string MutateAscii(string input, params char[] separators)
    {
        var mutated = Mutate(Encoding.ASCII.GetBytes(input), separators);
        return new string([.. mutated.Select(b => b is >= 0x21 and <= 0x7E ? (char)b : 'A')]);
    }

    public int Next(int max) => _random.Next(max);

    private byte[] Flip(byte[] input)
    {
        if (input.Length == 0)
            return [0xFF];
        var copy = (byte[])input.Clone();
        var flips = 1 + _random.Next(3);
        for (var i = 0; i < flips; i++)
            copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        return copy;
    }

    private byte[] Insert(byte[] input, byte[] what)
    {
        var at = _random.Next(input.Length + 1);
        return [.. input.AsSpan(0, at), .. what, .. input.AsSpan(at)];
    }

    private byte[] Splice(byte[] input)
    {
        if (input.Length < 2)
            return Flip(input);
        var from = _random.Next(input.Length);
        var length = 1 + _random.Next(Math.Min(64, input.Length - from));
        return Insert(input, input[from..(from + length)]);
    }

    private byte[] Huge(byte[] input)
    {
        var size = _random.Next(4) switch { 0 => 1_000, 1 => 20_000, 2 => 200_000, _ => 2_000_000 };
        var filler = _random.Next(4) switch
        {
            0 => new string('A', size),
            1 => new string('9', Math.Min(size, 5_000)),
            2 => new string('[', Math.Min(size, 10_000)),
            _ => string.Concat(Enumerable.Repeat("\"a\":", Math.Min(size / 4, 50_000))),
        };
        return Insert(input, Encoding.ASCII.GetBytes(filler));
    }

    // Repeats a member ("name":value) just after itself with another value, wherever a member starts.
    private byte[] DuplicateMember(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var starts = new List<int>();
        for (var i = 0; i < text.Length - 1; i++)
        {
            if ((text[i] == '{' || text[i] == ',') && text[i + 1] == '"')
                starts.Add(i + 1);
        }
        if (starts.Count == 0)
            return Insert(input, "\"a\":1,\"a\":2,"u8.ToArray());
        var start = starts[_random.Next(starts.Count)];
        var colon = text.IndexOf("\":", start + 1, StringComparison.Ordinal);
        if (colon < 0)
            return Flip(input);
        var name = text[start..(colon + 2)];
        var value = _random.Next(3) switch { 0 => "\"changed\"", 1 => "null", _ => (_random.Next(1000) - 500).ToString(CultureInfo.InvariantCulture) };
        return Encoding.UTF8.GetBytes(text[..start] + name + value + "," + text[start..]);
    }

    private byte[] Segments(byte[] input, char separator, bool shuffle)
    {
        var parts = Encoding.UTF8.GetString(input).Split(separator).ToList();
        if (parts.Count < 2)
            return Flip(input);
        if (shuffle)
        {
            var i = _random.Next(parts.Count);
            var j = _random.Next(parts.Count);
            (parts[i], parts[j]) = (parts[j], parts[i]);
            if (i == j && parts.Count > 1)
                (parts[0], parts[^1]) = (parts[^1], parts[0]);
        }
        else
        {
            var i = _random.Next(parts.Count);
            if (_random.Next(2) == 0)
                parts.RemoveAt(i);
            else
                parts.Insert(i, parts[i]);
        }
        return Encoding.UTF8.GetBytes(string.Join(separator, parts));
    }
}

/// <summary>What a fuzz run saw: inputs, answers by status code, changed inputs that were accepted, and server errors.</summary>
public sealed class FuzzCounts(string target)
{
    private readonly SortedDictionary<int, int> _statuses = [];
    private readonly List<string> _failures = [];

    public string Target { get; } = target;
    public int Inputs { get; private set; }
    public int AcceptedAfterMutation { get; private set; }
    public int ServerErrors { get; private set; }
    public int StoredByRefusal { get; private set; }
    public IReadOnlyList<string> Failures => _failures;

    public void Record(int status, bool acceptedChanged, bool storedByRefusal, string what)
    {
        Inputs++;
        _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
        if (status >= 500)
            Fail(ref _serverErrorsBox, $"{status} from {what}");
        if (acceptedChanged)
            Fail(ref _acceptedBox, $"accepted after mutation: {what}");
        if (storedByRefusal)
            Fail(ref _storedBox, $"refused ({status}) but stored: {what}");
        ServerErrors = _serverErrorsBox;
        AcceptedAfterMutation = _acceptedBox;
        StoredByRefusal = _storedBox;
    }

    private int _serverErrorsBox;
    private int _acceptedBox;
    private int _storedBox;

    private void Fail(ref int counter, string message)
    {
        counter++;
        if (_failures.Count < 20)
            _failures.Add(message.Length > 400 ? message[..400] + "..." : message);
    }

    public override string ToString() =>
        $"{Target}: inputs={Inputs} statuses=[{string.Join(", ", _statuses.Select(s => $"{s.Key}:{s.Value}"))}] accepted_after_mutation={AcceptedAfterMutation} "
        + $"stored_by_refusal={StoredByRefusal} 5xx={ServerErrors}";

    public bool IsClean => ServerErrors == 0 && AcceptedAfterMutation == 0 && StoredByRefusal == 0;

    /// <summary>The counts and the first findings; also appended to the long run's report file (<c>PASSPORT_FUZZ_REPORT</c>).</summary>
    public string Report()
    {
        var text = ToString() + Environment.NewLine + string.Concat(_failures.Select(f => "  " + f + Environment.NewLine));
        if (Environment.GetEnvironmentVariable("PASSPORT_FUZZ_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, text);
        return text;
    }

    /// <summary>How many inputs a target gets: its share of the normal suite, or <c>PASSPORT_FUZZ_INPUTS</c> in the long run.</summary>
    public static int Budget(int normal) =>
        int.TryParse(Environment.GetEnvironmentVariable("PASSPORT_FUZZ_INPUTS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : normal;

    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("PASSPORT_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261206;
}
