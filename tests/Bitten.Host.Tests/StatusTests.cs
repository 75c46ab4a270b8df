using Bitten.Domain.Signals;
using Bitten.Engine.Execution;
using Bitten.Gateway.Market;
using Bitten.Host.Execution;
using Bitten.Host.Status;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bitten.Host.Tests;

public sealed class OutcomeLogTests
{
    [Fact]
    public void CountsWinsAndLossesForTheStatusLine()
    {
        var log = new OutcomeLog(NullLogger.Instance);
        var signal = Signals.Make("EURUSD", 1);

        log.OnResolved(Signals.Win(signal, Signals.Start));
        log.OnResolved(Signals.Win(signal, Signals.Start) with { Outcome = Outcome.Loss });
        log.OnResolved(Signals.Win(signal, Signals.Start) with { Outcome = Outcome.Loss });

        Assert.Equal((1, 2), (log.Wins, log.Losses));
    }
}

public sealed class StatusLineTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task ABridgeWithoutEasSaysItIsWaitingAndHasRejectedNothing()
    {
        await using var services = _store.Services([HostRole.Bridge]);
        var status = services.GetRequiredService<StatusLine>();

        Assert.Contains("(waiting for an EA)", status.Next(), StringComparison.Ordinal);
        Assert.Equal("none", status.Rejects());
        Assert.Equal(0, services.GetRequiredService<MarketBridge>().Stats.Received);
    }
}

public sealed class NewsCalendarFileTests : IDisposable
{
    private readonly TempStore _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void NoFileConfiguredMeansNoCalendarAndAFileIsParsed()
    {
        Assert.Null(NewsCalendarFile.Load(new ExecutionOptions(), NullLogger.Instance));
        var path = Path.Combine(Path.GetDirectoryName(_folder.Path)!, "news.csv");
        File.WriteAllText(path, "");

        Assert.NotNull(NewsCalendarFile.Load(new ExecutionOptions { NewsCalendar = path }, NullLogger.Instance));
    }
}
