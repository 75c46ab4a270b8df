using Bitten.Domain.Market;
using Bitten.Domain.Primitives;
using Bitten.Engine.Market;
using static Bitten.Engine.Tests.TestTicks;

namespace Bitten.Engine.Tests;

public class TickValidatorTests
{
    private static readonly long Now = At(12, 0);

    [Fact]
    public void AcceptsAnOrdinaryQuote()
    {
        var validator = new TickValidator(new MarketOptions());

        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.17602, 1.17605, Now)));
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.17610, 1.17612, Now + 100)));
    }

    [Fact]
    public void AcceptsAQuoteWithZeroSpread()
    {
        Assert.Equal(RejectReason.None, new TickValidator(new MarketOptions()).Validate(Quote(1.17602, 1.17602, Now)));
    }

    [Theory]
    [InlineData(double.NaN, 1.2)]
    [InlineData(1.1, double.NaN)]
    [InlineData(double.PositiveInfinity, 1.2)]
    [InlineData(1.1, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, 1.2)]
    public void RejectsNonFinitePrices(double bid, double ask)
    {
        Assert.Equal(RejectReason.NonFinitePrice, new TickValidator(new MarketOptions()).Validate(Quote(bid, ask, Now)));
    }

    [Theory]
    [InlineData(0, 1.2)]
    [InlineData(-1.1, 1.2)]
    [InlineData(0, 0)]
    [InlineData(-1.2, -1.1)]
    public void RejectsZeroOrNegativePrices(double bid, double ask)
    {
        Assert.Equal(RejectReason.NonPositivePrice, new TickValidator(new MarketOptions()).Validate(Quote(bid, ask, Now)));
    }

    [Fact]
    public void RejectsAskBelowBid()
    {
        Assert.Equal(RejectReason.AskBelowBid, new TickValidator(new MarketOptions()).Validate(Quote(1.17605, 1.17602, Now)));
    }

    [Fact]
    public void AcceptsTheFirstQuoteOfASymbolAtAnyPrice()
    {
        var validator = new TickValidator(new MarketOptions());

        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.1, 1.1, Now, symbol: EurUsd)));
        Assert.Equal(RejectReason.None, validator.Validate(Quote(3641.25, 3641.5, Now, symbol: GbpUsd)));
    }

    [Theory]
    [InlineData(1.11)]
    [InlineData(1.5)]
    [InlineData(0.89)]
    [InlineData(0.5)]
    public void RejectsAMidMoreThanTenPercentFromTheLastValidMid(double mid)
    {
        var validator = new TickValidator(new MarketOptions());
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.0, Now)));

        Assert.Equal(RejectReason.AbsurdJump, validator.Validate(Quote(mid, mid, Now + 1)));
    }

    [Theory]
    [InlineData(1.0999)]
    [InlineData(1.05)]
    [InlineData(0.9001)]
    public void AcceptsAMidWithinTenPercentOfTheLastValidMid(double mid)
    {
        var validator = new TickValidator(new MarketOptions());
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.0, Now)));

        Assert.Equal(RejectReason.None, validator.Validate(Quote(mid, mid, Now + 1)));
    }

    [Fact]
    public void MeasuresTheJumpOnTheMidNotOnBidOrAsk()
    {
        var validator = new TickValidator(new MarketOptions());
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.0, Now)));

        // Ask 12% up but bid unchanged: the mid moved 6%.
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.12, Now + 1)));
    }

    [Fact]
    public void UsesTheConfiguredJumpFraction()
    {
        var validator = new TickValidator(new MarketOptions { MaxJumpFraction = 0.5 });
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.0, Now)));

        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.4, 1.4, Now + 1)));
        Assert.Equal(RejectReason.AbsurdJump, validator.Validate(Quote(2.2, 2.2, Now + 2)));
    }

    [Fact]
    public void KeepsTheJumpReferencePerSymbol()
    {
        var validator = new TickValidator(new MarketOptions());
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.0, Now, symbol: EurUsd)));
        Assert.Equal(RejectReason.None, validator.Validate(Quote(2.0, 2.0, Now, symbol: GbpUsd)));

        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.05, 1.05, Now + 1, symbol: EurUsd)));
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.95, 1.95, Now + 1, symbol: GbpUsd)));
        Assert.Equal(RejectReason.AbsurdJump, validator.Validate(Quote(1.95, 1.95, Now + 2, symbol: EurUsd)));
    }

    [Fact]
    public void ARejectedSpikeDoesNotMoveTheReference()
    {
        var validator = new TickValidator(new MarketOptions());
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.0, Now)));

        Assert.Equal(RejectReason.AbsurdJump, validator.Validate(Quote(2.0, 2.0, Now + 1)));
        // Within 10% of the spike, but not of the last valid mid: still refused.
        Assert.Equal(RejectReason.AbsurdJump, validator.Validate(Quote(1.95, 1.95, Now + 2)));
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.01, 1.01, Now + 3)));
    }

    [Fact]
    public void QuotesRejectedForOtherRulesDoNotMoveTheReferenceEither()
    {
        var validator = new TickValidator(new MarketOptions());
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.0, Now)));

        Assert.Equal(RejectReason.AskBelowBid, validator.Validate(Quote(2.0, 1.9, Now + 1)));
        Assert.Equal(RejectReason.FutureTimestamp, validator.Validate(Quote(2.0, 2.0, Now + 3_600_000, Now + 2)));
        Assert.Equal(RejectReason.AbsurdJump, validator.Validate(Quote(1.95, 1.95, Now + 3)));
    }

    [Fact]
    public void AnAcceptedQuoteBecomesTheNewReference()
    {
        var validator = new TickValidator(new MarketOptions());
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.0, Now)));
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.09, 1.09, Now + 1)));

        // 18% above the first mid but 8.3% above the last valid one.
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.18, 1.18, Now + 2)));
    }

    [Fact]
    public void RejectsAnEventTimeMoreThanTheAllowedSkewAheadOfReceiveTime()
    {
        var validator = new TickValidator(new MarketOptions { MaxFutureSkewSeconds = 60 });

        Assert.Equal(RejectReason.FutureTimestamp, validator.Validate(Quote(1.1, 1.1, Now + 60_001, Now)));
        Assert.Equal(RejectReason.FutureTimestamp, validator.Validate(Quote(1.1, 1.1, Now + (3 * 3_600_000), Now)));
    }

    [Fact]
    public void AcceptsEventTimesUpToTheSkewAheadAndAnyAmountBehind()
    {
        var validator = new TickValidator(new MarketOptions { MaxFutureSkewSeconds = 60 });

        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.1, 1.1, Now + 60_000, Now)));
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.1, 1.1, Now - (24 * 3_600_000), Now)));
    }

    [Fact]
    public void UsesTheConfiguredFutureSkew()
    {
        var validator = new TickValidator(new MarketOptions { MaxFutureSkewSeconds = 0 });

        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.1, 1.1, Now, Now)));
        Assert.Equal(RejectReason.FutureTimestamp, validator.Validate(Quote(1.1, 1.1, Now + 1, Now)));
    }

    [Fact]
    public void HandlesSymbolIdsBeyondItsInitialCapacity()
    {
        var validator = new TickValidator(new MarketOptions());
        var far = new SymbolId(1000);

        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.0, 1.0, Now, symbol: far)));
        Assert.Equal(RejectReason.AbsurdJump, validator.Validate(Quote(1.2, 1.2, Now + 1, symbol: far)));
        Assert.Equal(RejectReason.None, validator.Validate(Quote(1.2, 1.2, Now + 1, symbol: new SymbolId(999))));
    }

    [Fact]
    public void AcceptsEveryOandaEurUsdTickOfADay()
    {
        var file = new Bitten.Simulation.Replay.TickFile(
            Bitten.Testing.SharedData.Path("ticks/oanda-fx/eurusd/20140506_quote.zip"), "EURUSD",
            Bitten.Simulation.Replay.TickFileFormat.LeanZip, new DateOnly(2014, 5, 6), TimeSpan.Zero);
        var validator = new TickValidator(new MarketOptions());
        var ticks = file.Load();
        Assert.NotEmpty(ticks);

        foreach (var t in ticks)
        {
            var reason = validator.Validate(new Tick(EurUsd, t.Bid, t.Ask, t.TimeMs, t.TimeMs));
            Assert.True(reason == RejectReason.None, $"{UnixMs.Format(t.TimeMs)} {t.Bid}/{t.Ask}: {reason}");
        }
    }
}
