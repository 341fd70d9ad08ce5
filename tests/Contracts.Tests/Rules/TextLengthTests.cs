using Ledger.Contracts.Rules;

namespace Ledger.Contracts.Tests.Rules;

public sealed class TextLengthTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("中国", 2)]
    [InlineData("\U0001F600", 1)]
    [InlineData("a\U0001F600b\U00020000", 4)]
    public void Characters_are_unicode_scalar_values_so_a_surrogate_pair_is_one(string text, int characters)
    {
        TextLength.Characters(text).Should().Be(characters);
    }
}
