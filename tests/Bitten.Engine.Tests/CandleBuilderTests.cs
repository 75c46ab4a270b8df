using Bitten.Domain.Market;
using Bitten.Engine.Market;
using static Bitten.Engine.Tests.TestTicks;

namespace Bitten.Engine.Tests;

public class CandleBuilderTests
{
    [Theory]
    [InlineData(Timeframe.M1, 12, 3)]
    [InlineData(Timeframe.M5, 12, 0)]
    [InlineData(Timeframe.M15, 12, 0)]
    public void AlignsTheBarToTheClockBoundaryOfTheTickTime(Timeframe timeframe, int openHour, int openMinute)
    {
        var builder = new CandleBuilder(EurUsd, timeframe);

        Assert.Equal(TickResult.Updated, builder.Add(Quote(1.1, 1.1002, At(12, 3, 27, 500)), out _));

        Assert.True(builder.IsForming);
        Assert.Equal(At(openHour, openMinute), builder.FormingOpenTimeMs);
    }

    [Theory]
    [InlineData(Timeframe.M1, 12, 14)]
    [InlineData(Timeframe.M5, 12, 10)]
    [InlineData(Timeframe.M15, 12, 0)]
    public void AlignsTheLastMomentOfABucketToThatBucket(Timeframe timeframe, int openHour, int openMinute)
    {
        var builder = new CandleBuilder(EurUsd, timeframe);

        builder.Add(Quote(1.1, 1.1002, At(12, 14, 59, 999)), out _);

        Assert.Equal(At(openHour, openMinute), builder.FormingOpenTimeMs);
    }

    [Fact]
    public void AlignsToEventTimeNotReceiveTime()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);

        // Sent at 12:00:59.900, arrived at 12:01:00.300.
        builder.Add(Quote(1.1, 1.1002, At(12, 0, 59, 900), receivedMs: At(12, 1, 0, 300)), out _);
        var result = builder.Add(Quote(1.2, 1.2002, At(12, 0, 59, 950), receivedMs: At(12, 1, 0, 400)), out _);

        Assert.Equal(TickResult.Updated, result);
        Assert.Equal(At(12, 0), builder.FormingOpenTimeMs);
    }

    [Fact]
    public void NeverHandsOutTheFormingBarWhileTicksStayInItsBucket()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);

        for (var second = 0; second < 60; second++)
        {
            Assert.Equal(TickResult.Updated, builder.Add(Quote(1.1 + (second * 1e-5), 1.1002, At(12, 0, second)), out var closed));
            Assert.Equal(default, closed);
        }

        Assert.False(builder.CloseIfEnded(At(12, 0, 59, 999), 0, out _));
        Assert.True(builder.IsForming);
    }

    [Fact]
    public void ClosesTheBarWhenATickOfALaterBucketArrives()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);
        builder.Add(Quote(1.10000, 1.10020, At(12, 0, 1)), out _);
        builder.Add(Quote(1.10100, 1.10110, At(12, 0, 15)), out _);
        builder.Add(Quote(1.09900, 1.09950, At(12, 0, 30)), out _);
        builder.Add(Quote(1.10050, 1.10060, At(12, 0, 59, 999)), out _);

        var result = builder.Add(Quote(1.10070, 1.10080, At(12, 1)), out var closed);

        Assert.Equal(TickResult.Closed, result);
        Assert.Equal(EurUsd, closed.Symbol);
        Assert.Equal(Timeframe.M1, closed.Timeframe);
        Assert.Equal(At(12, 0), closed.OpenTimeMs);
        Assert.Equal(At(12, 1), closed.CloseTimeMs);
        Assert.Equal(new Ohlc(1.10000, 1.10100, 1.09900, 1.10050), closed.Bid);
        Assert.Equal(new Ohlc(1.10020, 1.10110, 1.09950, 1.10060), closed.Ask);
        Assert.Equal(new Ohlc((1.10000 + 1.10020) / 2, (1.10100 + 1.10110) / 2, (1.09900 + 1.09950) / 2, (1.10050 + 1.10060) / 2), closed.Mid);
        Assert.Equal(4, closed.TickCount);
        Assert.Equal(At(12, 1), builder.FormingOpenTimeMs);
    }

    [Fact]
    public void TracksHighAndLowOfBidAndAskSeparately()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);
        builder.Add(Quote(1.0, 1.5, At(12, 0, 1)), out _); // widest ask
        builder.Add(Quote(1.3, 1.31, At(12, 0, 2)), out _); // highest bid, lowest ask
        builder.Add(Quote(0.9, 1.4, At(12, 0, 3)), out _); // lowest bid

        builder.Add(Quote(1.0, 1.1, At(12, 1)), out var closed);

        Assert.Equal(new Ohlc(1.0, 1.3, 0.9, 0.9), closed.Bid);
        Assert.Equal(new Ohlc(1.5, 1.5, 1.31, 1.4), closed.Ask);
        Assert.Equal(new Ohlc((1.0 + 1.5) / 2, (1.3 + 1.31) / 2, (0.9 + 1.4) / 2, (0.9 + 1.4) / 2), closed.Mid);
    }

    [Fact]
    public void StartsTheNextBarFromTheTickThatClosedThePreviousOne()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);
        builder.Add(Quote(1.1, 1.1001, At(12, 0, 10)), out _);
        builder.Add(Quote(1.2, 1.2001, At(12, 1, 10)), out _);

        builder.Add(Quote(1.3, 1.3001, At(12, 2, 10)), out var closed);

        Assert.Equal(At(12, 1), closed.OpenTimeMs);
        Assert.Equal(new Ohlc(1.2, 1.2, 1.2, 1.2), closed.Bid);
        Assert.Equal(1, closed.TickCount);
    }

    [Fact]
    public void LeavesNoBarForBucketsWithoutTicks()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);
        builder.Add(Quote(1.1, 1.1001, At(12, 0, 10)), out _);

        Assert.Equal(TickResult.Closed, builder.Add(Quote(1.2, 1.2001, At(12, 7, 10)), out var closed));

        Assert.Equal(At(12, 0), closed.OpenTimeMs);
        Assert.Equal(At(12, 7), builder.FormingOpenTimeMs);
    }

    [Fact]
    public void IgnoresALateTickOfAnAlreadyClosedBar()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);
        builder.Add(Quote(1.1, 1.1001, At(12, 0, 10)), out _);
        builder.Add(Quote(1.2, 1.2001, At(12, 1, 10)), out _);

        var result = builder.Add(Quote(5.0, 5.0001, At(12, 0, 50)), out var closedByLate);

        Assert.Equal(TickResult.Late, result);
        Assert.Equal(default, closedByLate);
        Assert.Equal(At(12, 1), builder.FormingOpenTimeMs);
        builder.Add(Quote(1.3, 1.3001, At(12, 2)), out var closed);
        Assert.Equal(new Ohlc(1.2, 1.2, 1.2, 1.2), closed.Bid);
        Assert.Equal(1, closed.TickCount);
    }

    [Fact]
    public void TakesAnOutOfOrderTickWithinTheFormingBucketAsTheLatestPrice()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);
        builder.Add(Quote(1.1, 1.1001, At(12, 0, 40)), out _);
        Assert.Equal(TickResult.Updated, builder.Add(Quote(1.0, 1.0001, At(12, 0, 20)), out _));

        builder.Add(Quote(1.2, 1.2001, At(12, 1)), out var closed);

        Assert.Equal(new Ohlc(1.1, 1.1, 1.0, 1.0), closed.Bid);
        Assert.Equal(2, closed.TickCount);
    }

    [Fact]
    public void CountsTicksAsTheVolume()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M5);
        for (var i = 0; i < 37; i++)
        {
            builder.Add(Quote(1.1, 1.1001, At(12, 0) + (i * 7_000)), out _);
        }

        builder.Add(Quote(1.1, 1.1001, At(12, 5)), out var closed);

        Assert.Equal(37, closed.TickCount);
    }

    [Fact]
    public void ClosesByTimeOnlyOnceTheEndPlusGraceHasPassed()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);
        builder.Add(Quote(1.1, 1.1001, At(12, 0, 30)), out _);

        Assert.False(builder.CloseIfEnded(At(12, 1, 0, 499), 500, out _));
        Assert.True(builder.IsForming);
        Assert.True(builder.CloseIfEnded(At(12, 1, 0, 500), 500, out var closed));

        Assert.Equal(At(12, 0), closed.OpenTimeMs);
        Assert.Equal(1, closed.TickCount);
        Assert.False(builder.IsForming);
        Assert.False(builder.CloseIfEnded(At(12, 5), 500, out _));
    }

    [Fact]
    public void ABarClosedByTimeIsNotClosedAgainByTheNextTick()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);
        builder.Add(Quote(1.1, 1.1001, At(12, 0, 30)), out _);
        Assert.True(builder.CloseIfEnded(At(12, 1, 1), 500, out _));

        Assert.Equal(TickResult.Updated, builder.Add(Quote(1.2, 1.2001, At(12, 1, 2)), out _));
        Assert.Equal(At(12, 1), builder.FormingOpenTimeMs);
    }

    [Fact]
    public void IgnoresALateTickForABarAlreadyClosedByTime()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);
        builder.Add(Quote(1.1, 1.1001, At(12, 0, 30)), out _);
        Assert.True(builder.CloseIfEnded(At(12, 1, 0, 500), 500, out _));

        Assert.Equal(TickResult.Late, builder.Add(Quote(1.2, 1.2001, At(12, 0, 59, 900)), out _));
        Assert.False(builder.IsForming);
    }

    [Fact]
    public void DoesNotCloseAnEmptyBuilder()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);

        Assert.False(builder.CloseIfEnded(long.MaxValue / 2, 0, out var closed));
        Assert.False(builder.IsForming);
        Assert.Equal(default, closed);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(59_999, 0)]
    [InlineData(60_000, 60_000)]
    [InlineData(-1, -60_000)]
    [InlineData(-59_999, -60_000)]
    [InlineData(-60_000, -60_000)]
    [InlineData(-60_001, -120_000)]
    public void AlignsTimesAtAndAroundTheEpochIncludingNegativeOnes(long eventMs, long expectedOpenMs)
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M1);

        builder.Add(Quote(1.1, 1.1001, eventMs), out _);

        Assert.Equal(expectedOpenMs, builder.FormingOpenTimeMs);
    }

    [Fact]
    public void ClosesANegativeTimeBarWhenTheNextBucketStarts()
    {
        var builder = new CandleBuilder(EurUsd, Timeframe.M5);
        builder.Add(Quote(1.1, 1.1001, -1), out _);

        Assert.Equal(TickResult.Closed, builder.Add(Quote(1.2, 1.2001, 0), out var closed));

        Assert.Equal(-300_000, closed.OpenTimeMs);
        Assert.Equal(0, closed.CloseTimeMs);
    }
}
