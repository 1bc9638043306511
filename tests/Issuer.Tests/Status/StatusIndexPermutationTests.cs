using Passport.Issuer.Status;

namespace Passport.Issuer.Tests.Status;

public sealed class StatusIndexPermutationTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1000)]
    [InlineData(1024)]
    [InlineData(5000)]
    [InlineData(65_537)]
    public void The_permutation_gives_every_index_of_the_list_exactly_once(int size)
    {
        using var permutation = new StatusIndexPermutation(StatusIndexPermutation.NewKey(), size);

        var indexes = Enumerable.Range(0, size).Select(position => permutation[position]).ToList();

        Assert.All(indexes, index => Assert.InRange(index, 0, size - 1));
        Assert.Equal(size, indexes.Distinct().Count());
    }

    [Fact]
    public void The_same_key_gives_the_same_order_and_another_key_another()
    {
        var key = StatusIndexPermutation.NewKey();
        using var first = new StatusIndexPermutation(key, 131_072);
        using var again = new StatusIndexPermutation((byte[])key.Clone(), 131_072);
        using var other = new StatusIndexPermutation(StatusIndexPermutation.NewKey(), 131_072);

        var order = Enumerable.Range(0, 64).Select(p => first[p]).ToList();

        Assert.Equal(order, Enumerable.Range(0, 64).Select(p => again[p]));
        Assert.NotEqual(order, Enumerable.Range(0, 64).Select(p => other[p]));
    }

    [Fact]
    public void Consecutive_positions_land_on_scattered_indexes_not_in_issuance_order()
    {
        using var permutation = new StatusIndexPermutation(StatusIndexPermutation.NewKey(), 131_072);

        var indexes = Enumerable.Range(0, 1000).Select(p => permutation[p]).ToList();

        // In order, or bunched in one part of the list, the index would tell when a credential was issued.
        var ascending = indexes.Zip(indexes.Skip(1)).Count(pair => pair.Second > pair.First);
        Assert.InRange(ascending, 400, 600);
        Assert.All(Enumerable.Range(0, 8), eighth => Assert.InRange(indexes.Count(i => i / 16_384 == eighth), 70, 190));
    }

    [Fact]
    public void A_key_of_the_wrong_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new StatusIndexPermutation(new byte[16], 1024));
    }
}
