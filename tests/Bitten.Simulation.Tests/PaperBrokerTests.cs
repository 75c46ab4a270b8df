using Bitten.Domain.Signals;
using Bitten.Simulation.Ea;
using Bitten.Wire.Ea;

namespace Bitten.Simulation.Tests;

/// <summary>The paper broker's rules on their own: fills, at-most-once fire_ids, rejects, SL/TP, profit, closes, account.</summary>
public sealed class PaperBrokerTests
{
    private const long Now = 1_700_000_000_000;

    private static PaperBroker Broker(double slippagePoints = 0, double rejectRate = 0, int seed = 1) =>
        new(new SimulatedEaOptions { Uuid = "EA-1", Balance = 10_000m, SlippagePoints = slippagePoints, RejectRate = rejectRate, Seed = seed });

    private static FireCommand Fire(string fireId, Direction direction, double sl = 0, double tp = 0, decimal lot = 0.10m, string symbol = "EURUSD") =>
        new("EA-1", fireId, symbol, direction, sl, tp, lot);

    [Fact]
    public void ABuyFillsAtTheAskAndASellAtTheBidEachWorsenedByTheSlippage()
    {
        var broker = Broker(slippagePoints: 3);
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        broker.OnPrice("XAUUSD", 2400.10, 2400.40, Now);

        var buy = broker.Execute(Fire("F-1", Direction.Buy), Now);
        var sell = broker.Execute(Fire("F-2", Direction.Sell), Now);
        var gold = broker.Execute(Fire("F-3", Direction.Buy, symbol: "XAUUSD"), Now);

        Assert.True(buy.Success, buy.Message);
        Assert.Equal(1.08515, buy.Price);
        Assert.Equal(1.08497, sell.Price);
        Assert.Equal(2400.43, gold.Price);
        Assert.Equal([PaperBroker.FirstTicket, PaperBroker.FirstTicket + 1, PaperBroker.FirstTicket + 2], [buy.Ticket, sell.Ticket, gold.Ticket]);
        Assert.Equal(0.10m, buy.Lot);
        Assert.Equal("F-1", buy.FireId);
        Assert.Equal("EA-1", buy.Uuid);
        Assert.Equal(Now, buy.TimestampMs);
        Assert.Equal(3, broker.Fills);
    }

    [Fact]
    public void AFireIdIsExecutedAtMostOnceAndARepeatGetsTheOriginalConfirmation()
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        var first = broker.Execute(Fire("F-1", Direction.Buy), Now);

        broker.OnPrice("EURUSD", 1.09000, 1.09012, Now + 1000);
        var again = broker.Execute(Fire("F-1", Direction.Buy), Now + 2000);

        Assert.Same(first, again);
        Assert.Single(broker.Positions);
        Assert.Equal(1, broker.Fills);
        Assert.Equal(1, broker.Duplicates);
        Assert.Equal(2, broker.FiresReceived);
    }

    [Fact]
    public void AFailedFireIdIsAnsweredWithTheSameFailureWhenRepeated()
    {
        var broker = Broker();
        var noPrice = broker.Execute(Fire("F-1", Direction.Buy), Now);
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);

        var again = broker.Execute(Fire("F-1", Direction.Buy), Now);

        Assert.False(noPrice.Success);
        Assert.Contains("no price", noPrice.Message, StringComparison.Ordinal);
        Assert.Same(noPrice, again);
        Assert.Empty(broker.Positions);
        Assert.Equal(1, broker.Rejects);
        Assert.Equal(1, broker.Duplicates);
    }

    [Fact]
    public void ARejectRateOfOneRejectsEveryFireAndZeroNone()
    {
        var always = Broker(rejectRate: 1);
        var never = Broker(rejectRate: 0);
        always.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        never.OnPrice("EURUSD", 1.08500, 1.08512, Now);

        for (var i = 0; i < 100; i++)
        {
            var rejected = always.Execute(Fire($"F-{i}", Direction.Buy), Now);
            Assert.False(rejected.Success);
            Assert.Equal("rejected (simulated)", rejected.Message);
            Assert.Equal(0, rejected.Ticket);
            Assert.True(never.Execute(Fire($"F-{i}", Direction.Buy), Now).Success);
        }

        Assert.Equal(100, always.Rejects);
        Assert.Equal(0, always.Fills);
        Assert.Equal(100, never.Fills);
    }

    [Fact]
    public void RejectsAreReproducibleFromTheSeed()
    {
        static bool[] Outcomes(int seed)
        {
            var broker = Broker(rejectRate: 0.5, seed: seed);
            broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
            return [.. Enumerable.Range(0, 200).Select(i => broker.Execute(Fire($"F-{i}", Direction.Buy), Now).Success)];
        }

        var first = Outcomes(7);

        Assert.Equal(first, Outcomes(7));
        Assert.NotEqual(first, Outcomes(8));
        Assert.InRange(first.Count(s => s), 60, 140);
    }

    [Fact]
    public void ALotOfZeroIsRefused()
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);

        Assert.Equal("invalid lot", broker.Execute(Fire("F-1", Direction.Sell, lot: 0m), Now).Message);
        Assert.Empty(broker.Positions);
    }

    [Fact]
    public void ABuyClosesOnTheBidAtItsStopLossNotOnTheAsk()
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        var fill = broker.Execute(Fire("F-1", Direction.Buy, sl: 1.08400, tp: 1.08700), Now);

        broker.OnPrice("EURUSD", 1.08395, 1.08410, Now + 1); // the ask is still above the SL; the bid is through it
        Assert.True(broker.TryTakeClose(out var close));

        Assert.Equal(fill.Ticket, close.Ticket);
        Assert.Equal("F-1", close.FireId);
        Assert.Equal("sl", close.Message);
        Assert.Equal(1.08395, close.ClosePrice);
        Assert.Equal(-11.70m, close.Profit); // (1.08395 − 1.08512) × 0.1 × 100,000
        Assert.Equal(10_000m - 11.70m, broker.Account.Balance);
        Assert.Empty(broker.Positions);
        Assert.False(broker.TryTakeClose(out _));
    }

    [Fact]
    public void AnAskThroughTheLevelDoesNotCloseABuyAndABidThroughItDoesNotCloseASell()
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        broker.Execute(Fire("F-buy", Direction.Buy, sl: 1.08400, tp: 1.08700), Now);
        broker.Execute(Fire("F-sell", Direction.Sell, sl: 1.08600, tp: 1.08300), Now);

        broker.OnPrice("EURUSD", 1.08690, 1.08705, Now + 1); // ask past the BUY's TP and the SELL's SL; bid neither
        Assert.True(broker.TryTakeClose(out var sellStopped));
        Assert.False(broker.TryTakeClose(out _));
        Assert.Equal("F-sell", sellStopped.FireId);
        Assert.Equal("sl", sellStopped.Message);
        Assert.Equal(1.08705, sellStopped.ClosePrice);

        broker.OnPrice("EURUSD", 1.08700, 1.08715, Now + 2); // now the bid reaches the BUY's TP
        Assert.True(broker.TryTakeClose(out var buyTaken));
        Assert.Equal("F-buy", buyTaken.FireId);
        Assert.Equal("tp", buyTaken.Message);
        Assert.Equal(18.80m, buyTaken.Profit); // (1.08700 − 1.08512) × 0.1 × 100,000
    }

    [Fact]
    public void ASellTakesItsProfitOnTheAsk()
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        broker.Execute(Fire("F-1", Direction.Sell, sl: 1.08700, tp: 1.08300), Now);

        broker.OnPrice("EURUSD", 1.08290, 1.08305, Now + 1); // bid through the TP, ask not
        Assert.False(broker.TryTakeClose(out _));
        broker.OnPrice("EURUSD", 1.08285, 1.08299, Now + 2);

        Assert.True(broker.TryTakeClose(out var close));
        Assert.Equal("tp", close.Message);
        Assert.Equal(20.10m, close.Profit); // (1.08500 − 1.08299) × 0.1 × 100,000
    }

    [Theory]
    [InlineData(Direction.Buy)]
    [InlineData(Direction.Sell)]
    public void WhenOneQuoteIsThroughBothStopLossAndTakeProfitTheStopLossWins(Direction direction)
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08500, Now);
        // Levels that one price can cross together: the stop sits beyond the take-profit (stops are taken as sent).
        var (sl, tp) = direction == Direction.Buy ? (1.08600, 1.08400) : (1.08400, 1.08600);
        broker.Execute(Fire("F-1", direction, sl, tp), Now);

        broker.OnPrice("EURUSD", 1.08500, 1.08500, Now + 1);

        Assert.True(broker.TryTakeClose(out var close));
        Assert.Equal("sl", close.Message);
    }

    [Fact]
    public void ProfitIsInTheAccountCurrencyWithTheSymbolsContractSize()
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        broker.OnPrice("XAUUSD", 2400.00, 2400.30, Now);
        var euro = broker.Execute(Fire("F-eur", Direction.Sell, lot: 0.25m), Now);        // at 1.08500
        var gold = broker.Execute(Fire("F-xau", Direction.Buy, lot: 0.5m, symbol: "XAUUSD"), Now); // at 2400.30

        broker.OnPrice("EURUSD", 1.08610, 1.08622, Now + 1);
        broker.OnPrice("XAUUSD", 2412.10, 2412.40, Now + 1);
        var euroClosed = Assert.IsType<CloseConfirmation>(broker.Close(new CloseTicketCommand("EA-1", "F-eur", euro.Ticket), Now + 2));
        var goldClosed = Assert.IsType<CloseConfirmation>(broker.Close(new CloseTicketCommand("EA-1", null, gold.Ticket), Now + 2));

        Assert.Equal(1.08622, euroClosed.ClosePrice);
        Assert.Equal(-30.50m, euroClosed.Profit);  // (1.08622 − 1.08500) × −1 × 0.25 × 100,000
        Assert.Equal(2412.10, goldClosed.ClosePrice);
        Assert.Equal(590.00m, goldClosed.Profit);  // (2412.10 − 2400.30) × 0.5 × 100 oz
        Assert.Equal("close_ticket", goldClosed.Message);
        Assert.Equal(10_000m - 30.50m + 590m, broker.Account.Balance);
        Assert.Equal(broker.Account.Balance, broker.Account.Equity);
        Assert.Empty(broker.Positions);
    }

    [Fact]
    public void CloseAllClosesEveryPositionAtTheCurrentQuotes()
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        broker.OnPrice("XAUUSD", 2400.00, 2400.30, Now);
        broker.Execute(Fire("F-1", Direction.Buy), Now);
        broker.Execute(Fire("F-2", Direction.Sell, symbol: "XAUUSD"), Now);

        var closed = broker.CloseAll();

        Assert.Equal(["F-1", "F-2"], closed.Select(c => c.FireId));
        Assert.Equal([1.08500, 2400.30], closed.Select(c => c.ClosePrice));
        Assert.Equal([-1.20m, -3.00m], closed.Select(c => c.Profit)); // the spread, paid once
        Assert.All(closed, c => Assert.Equal("close_all", c.Message));
        Assert.Empty(broker.Positions);
        Assert.Empty(broker.CloseAll());
        Assert.Equal(10_000m - 4.20m, broker.Account.Balance);
    }

    [Fact]
    public void ClosingAnUnknownTicketIsAFailedConfirmationThatSaysSo()
    {
        var broker = Broker();

        var refused = Assert.IsType<FireConfirmation>(broker.Close(new CloseTicketCommand("EA-1", "F-9", 424242), Now));

        Assert.False(refused.Success);
        Assert.Equal("F-9", refused.FireId);
        Assert.Contains("unknown ticket 424242", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PositionsAndEquityFollowTheLastQuotes()
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        var fill = broker.Execute(Fire("F-1", Direction.Buy, sl: 1.08000, tp: 1.09000, lot: 1m), Now);

        broker.OnPrice("EURUSD", 1.08600, 1.08612, Now + 1);

        var position = Assert.Single(broker.Positions);
        Assert.Equal(new EaPosition(fill.Ticket, "F-1", "EURUSD", "BUY", 1m, 1.08512, 1.08000, 1.09000, 88.00m), position);
        var account = broker.Account;
        Assert.Equal(10_000m, account.Balance);
        Assert.Equal(10_088m, account.Equity);
        Assert.Equal(217.02m, account.Margin); // 100,000 × 1.08512 / 500
        Assert.Equal(account.Equity - account.Margin, account.FreeMargin);
        Assert.Equal("EA-1", account.AccountLogin);
        Assert.Equal("USD", account.Currency);
    }

    [Fact]
    public async Task PricesAndOrdersFromTwoThreadsLeaveAConsistentBook()
    {
        var broker = Broker();
        broker.OnPrice("EURUSD", 1.08500, 1.08512, Now);
        var prices = Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var bid = 1.08500 + ((i % 200) * 0.00001);
                broker.OnPrice("EURUSD", bid, bid + 0.00012, Now + i);
            }
        });
        for (var i = 0; i < 500; i++)
        {
            broker.Execute(Fire($"F-{i}", Direction.Buy, sl: 1.08450, tp: 1.08650), Now);
        }

        await prices;
        var closes = 0;
        while (broker.TryTakeClose(out _))
        {
            closes++;
        }

        Assert.Equal(500, broker.Fills);
        Assert.Equal(500, closes + broker.Positions.Count);
    }
}
