using Bitten.Engine.Execution;

namespace Bitten.Engine.Tests.Execution;

/// <summary>The news blackout: ±30 minutes around high-impact events for either currency of a symbol.</summary>
public class NewsCalendarTests
{
    private const string Csv =
        "time,currency,impact,title\n" +
        "2024-01-05T13:30:00Z,USD,High,Non-Farm Payrolls\n" +
        "2024-01-05 10:00,EUR,high,\"German CPI, prelim\"\n" +
        "2024-01-05T13:30:00Z,CAD,Medium,Employment Change\n" +
        "2024-01-06T00:30:00Z,JPY,HIGH,BoJ Rate Decision\n";

    private static readonly long Nfp = Ms("2024-01-05T13:30:00Z");

    private static long Ms(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static NewsCalendar Calendar()
    {
        var calendar = NewsCalendar.Parse(Csv, out var errors);
        Assert.Empty(errors);
        return calendar;
    }

    [Fact]
    public void AGoodFileIsReadInTimeOrder()
    {
        var events = Calendar().Events;
        Assert.Equal(4, events.Count);
        Assert.Equal(["EUR", "USD", "CAD", "JPY"], events.Select(e => e.Currency));
        Assert.Equal("German CPI, prelim", events[0].Title);
        Assert.Equal(Ms("2024-01-05T10:00:00Z"), events[0].TimeMs);
        Assert.Equal(Nfp, events[1].TimeMs);
    }

    [Fact]
    public void BadLinesAreSkippedAndReportedWithTheirLineNumbers()
    {
        const string text =
            "time,currency,impact,title\n" +
            "2024-01-05T13:30:00Z,USD,High,Non-Farm Payrolls\n" +
            "\n" +
            "not-a-time,USD,High,Bad time\n" +
            "2024-01-05T15:00:00Z,US,High,Bad currency\n" +
            "2024-01-05T15:00:00Z,JPY\n" +
            "2024-01-05T15:00:00Z,GBP,,No impact\n" +
            "2024-01-05T15:00:00Z,GBP,High,\"Unclosed\n" +
            "2024-01-05T16:00:00Z,GBP,High,BoE\n";
        var calendar = NewsCalendar.Parse(text, out var errors);
        Assert.Equal(2, calendar.Events.Count);
        Assert.Equal(5, errors.Count);
        Assert.StartsWith("line 4: ", errors[0], StringComparison.Ordinal);
        Assert.Contains("not-a-time", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("line 5: ", errors[1], StringComparison.Ordinal);
        Assert.StartsWith("line 6: ", errors[2], StringComparison.Ordinal);
        Assert.StartsWith("line 7: ", errors[3], StringComparison.Ordinal);
        Assert.StartsWith("line 8: ", errors[4], StringComparison.Ordinal);
    }

    [Fact]
    public void ColumnsMayComeInAnyOrderAndCaseWithExtrasIgnored()
    {
        const string text =
            "Title,Forecast,IMPACT,Currency,Time\r\n" +
            "Non-Farm Payrolls,180K,High,usd,2024-01-05T13:30:00Z\r\n";
        var calendar = NewsCalendar.Parse(text, out var errors);
        Assert.Empty(errors);
        var only = Assert.Single(calendar.Events);
        Assert.Equal(new NewsEvent(Nfp, "USD", "High", "Non-Farm Payrolls"), only);
    }

    [Fact]
    public void AHeaderWithoutTheFourColumnsReadsNothing()
    {
        var calendar = NewsCalendar.Parse("when,currency,impact,title\n2024-01-05T13:30:00Z,USD,High,NFP\n", out var errors);
        Assert.Empty(calendar.Events);
        Assert.StartsWith("line 1: ", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileIsAnEmptyCalendar()
    {
        var calendar = NewsCalendar.Parse("", out var errors);
        Assert.Empty(errors);
        Assert.False(calendar.IsBlackout("EURUSD", Nfp, out _));
    }

    [Fact]
    public void TheBlackoutNamesTheEvent()
    {
        Assert.True(Calendar().IsBlackout("EURUSD", Nfp, out var reason));
        Assert.Equal("USD high-impact news 'Non-Farm Payrolls' at 13:30 UTC", reason);
    }

    [Theory]
    [InlineData(-30 * 60_000, true)]
    [InlineData(30 * 60_000, true)]
    [InlineData((-30 * 60_000) - 1, false)]
    [InlineData((30 * 60_000) + 1, false)]
    [InlineData(-10 * 60_000, true)]
    [InlineData(2 * 60 * 60_000, false)]
    public void TheBlackoutRunsThirtyMinutesEitherSideEdgesIncluded(long offsetMs, bool blackout)
    {
        Assert.Equal(blackout, Calendar().IsBlackout("USDCHF", Nfp + offsetMs, out var reason));
        Assert.Equal(blackout, reason is not null);
    }

    [Theory]
    [InlineData("EURUSD", "2024-01-05T13:30:00Z", true)]   // USD
    [InlineData("EURUSD", "2024-01-05T10:00:00Z", true)]   // EUR
    [InlineData("EURGBP", "2024-01-05T10:00:00Z", true)]   // EUR as the base
    [InlineData("USDJPY", "2024-01-05T10:00:00Z", false)]  // EUR is neither
    [InlineData("EURUSD", "2024-01-06T00:30:00Z", false)]  // JPY is neither
    [InlineData("AUDJPY", "2024-01-06T00:30:00Z", true)]   // JPY
    [InlineData("XAUUSD", "2024-01-05T13:30:00Z", true)]   // gold moves on USD news
    [InlineData("eurusd", "2024-01-05T13:30:00Z", true)]
    [InlineData("EURUSD.m", "2024-01-05T13:30:00Z", true)] // a broker suffix is ignored
    [InlineData("EUR", "2024-01-05T13:30:00Z", false)]
    public void EitherCurrencyOfTheSymbolIsHit(string symbol, string at, bool blackout)
    {
        Assert.Equal(blackout, Calendar().IsBlackout(symbol, Ms(at), out _));
    }

    [Fact]
    public void OnlyHighImpactEventsBlackOut()
    {
        // CAD's medium-impact release at 13:30 does not stop CADJPY; USD's high-impact one stops USDCAD.
        Assert.False(Calendar().IsBlackout("CADJPY", Nfp, out var reason));
        Assert.Null(reason);
        Assert.True(Calendar().IsBlackout("USDCAD", Nfp, out reason));
        Assert.Contains("USD", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheEmptyCalendarNeverBlacksOut()
    {
        Assert.False(NewsCalendar.Empty.IsBlackout("EURUSD", Nfp, out var reason));
        Assert.Null(reason);
        Assert.Empty(NewsCalendar.Empty.Events);
    }

    [Fact]
    public void AYearOfEventsIsSearchedCorrectly()
    {
        // A GBP event every 2 hours for a year, plus noise in other currencies: each event time is hit, every point
        // an hour from the GBP events is not.
        var start = Ms("2024-01-01T00:00:00Z");
        var lines = new List<string> { "time,currency,impact,title" };
        for (var i = 0; i < 4_380; i++)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(start + (i * 7_200_000L)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            lines.Add($"{at},GBP,High,Event {i}");
            lines.Add($"{at},NZD,High,Noise {i}");
        }

        var calendar = NewsCalendar.Parse(string.Join('\n', lines), out var errors);
        Assert.Empty(errors);
        for (var i = 0; i < 4_380; i += 97)
        {
            var at = start + (i * 7_200_000L);
            Assert.True(calendar.IsBlackout("EURGBP", at, out var reason));
            Assert.Contains($"'Event {i}'", reason, StringComparison.Ordinal);
            Assert.False(calendar.IsBlackout("EURGBP", at + 3_600_000, out _));
        }
    }
}
