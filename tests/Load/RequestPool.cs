namespace Passport.Load;

/// <summary>
/// Request bodies made before the measured window, so that the generator's ES256 signing (three KB-JWTs a request) is
/// not competing with the Verifier for the cores while it is measured. Should the pool run dry, bodies are made on the
/// fly and counted, and their cost shows in the generator's CPU.
/// </summary>
internal sealed class RequestPool
{
    private readonly Scenario _scenario;
    private readonly byte[]?[] _bodies;
    private int _next = -1;
    private int _madeOnTheFly;

    private RequestPool(Scenario scenario, byte[]?[] bodies)
    {
        _scenario = scenario;
        _bodies = bodies;
    }

    public int Size => _bodies.Length;

    public int MadeOnTheFly => Volatile.Read(ref _madeOnTheFly);

    public static async Task<RequestPool> CreateAsync(Scenario scenario, int count)
    {
        var bodies = new byte[]?[count];
        await Parallel.ForAsync(0, count, async (i, _) => bodies[i] = await scenario.NextRequestAsync());
        return new RequestPool(scenario, bodies);
    }

    public async ValueTask<byte[]> NextAsync()
    {
        var i = Interlocked.Increment(ref _next);
        if (i < _bodies.Length)
        {
            var body = _bodies[i]!;
            _bodies[i] = null;
            return body;
        }
        Interlocked.Increment(ref _madeOnTheFly);
        return await _scenario.NextRequestAsync();
    }
}
