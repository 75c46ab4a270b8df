using Bitten.Wire.Ea;
using static Bitten.Wire.Tests.Frames;

namespace Bitten.Wire.Tests;

public class EaTimestampTests
{
    [Fact]
    public void ReadsNumbersBelowOneHundredBillionAsSecondsAndTheRestAsMilliseconds()
    {
        // 99,999,999,999 s is in the year 5138; 100,000,000,000 ms is 1973-03-03.
        Assert.True(EaTimestamp.TryFromNumber(99_999_999_999, out var seconds, out var secondsKind));
        Assert.True(EaTimestamp.TryFromNumber(100_000_000_000, out var millis, out var millisKind));

        Assert.Equal(TimestampKind.UnixSeconds, secondsKind);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(99_999_999_999).ToUnixTimeMilliseconds(), seconds);
        Assert.Equal(TimestampKind.UnixMilliseconds, millisKind);
        Assert.Equal(new DateTimeOffset(1973, 3, 3, 9, 46, 40, TimeSpan.Zero).ToUnixTimeMilliseconds(), millis);
    }

    [Fact]
    public void RefusesTimesFromTheYearTenThousandOn()
    {
        var year10000 = new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero).ToUnixTimeMilliseconds() + 1;

        Assert.False(EaTimestamp.TryFromNumber(year10000, out _, out _));
        Assert.True(EaTimestamp.TryFromNumber(year10000 - 1, out var last, out _));
        Assert.Equal(year10000 - 1, last);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0)]
    [InlineData(-1)]
    public void RefusesNumbersThatAreNoTime(double value)
    {
        Assert.False(EaTimestamp.TryFromNumber(value, out _, out var kind));
        Assert.Equal(TimestampKind.None, kind);
    }

    [Theory]
    [InlineData("2025.09.15 19:41:16")]
    [InlineData("2025-09-15 19:41:16")]
    [InlineData("2025.09.15T19:41:16")]
    public void ReadsBrokerTimeAsIfItWereUtc(string text)
    {
        Assert.True(EaTimestamp.TryFromText(Utf8(text), out var ms, out var kind));

        Assert.Equal(TimestampKind.BrokerTime, kind);
        Assert.Equal(Ms(2025, 9, 15, 19, 41, 16), ms);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025/09/15 19:41:16")]
    [InlineData("2025.09.15 19.41.16")]
    [InlineData("2025.09.15")]
    [InlineData("2025.09.15 19:41:16Z")]
    [InlineData("abcd.ef.gh ij:kl:mn")]
    public void RefusesTextThatIsNotATime(string text)
    {
        Assert.False(EaTimestamp.TryFromText(Utf8(text), out _, out _));
    }
}
