using System.Text.Json;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;
using Bitten.Host.Execution;

namespace Bitten.Host.Tests;

public sealed class CheckpointJsonTests
{
    private static KernelState State()
    {
        var first = Signals.Make("EURUSD", 1);
        var second = Signals.Make("XAUUSD", 2);
        Mission On(Domain.Signals.Signal signal, long user, MissionStatus status = MissionStatus.Pending) =>
            new($"M-{user}-{signal.SignalId}", user, signal, Signals.Start, Signals.Start + 1_800_000, status,
                status == MissionStatus.Fired ? $"F-{user}-1" : null, LastRefusal: user == 3 ? new MissionRefusal(FireRefusal.NewsBlackout, "news") : null);
        var traders = Enumerable.Range(1, 3).Select(user => new TraderSnapshot(user, new AccountSnapshot(10_000m, 10_000m, 9_000m, "USD"), 10_000m, 19_724, 10_000m,
            [On(first, user, user == 2 ? MissionStatus.Fired : MissionStatus.Pending), On(second, user, MissionStatus.Expired)], [], [], [])).ToList();
        return new KernelState(new DeskSnapshot(7, EmergencyStop.None, traders), []);
    }

    [Fact]
    public void EachSignalIsWrittenOnceAndEveryMissionComesBackWithIt()
    {
        var state = State();

        var json = CheckpointJson.Write(state);
        var read = CheckpointJson.Read(json)!;

        // Six missions on two signals: two signal records in the text, each mission pointing at one by id.
        Assert.Equal(2, json.Split("\"EntryPrice\"").Length - 1);
        Assert.Equal(state.Desk.Traders.SelectMany(t => t.Missions), read.Desk.Traders.SelectMany(t => t.Missions));
        Assert.Equal((7L, 3), (read.Desk.FireSequence, read.Desk.Traders.Count));
        Assert.Same(read.Desk.Traders[0].Missions[0].Signal, read.Desk.Traders[2].Missions[0].Signal);
    }

    [Fact]
    public void ACheckpointWrittenBeforeTheSignalTableStillReads()
    {
        var state = State();
        var old = JsonSerializer.Serialize(state);

        var read = CheckpointJson.Read(old)!;

        Assert.Equal(state.Desk.Traders.SelectMany(t => t.Missions), read.Desk.Traders.SelectMany(t => t.Missions));
    }

    [Fact]
    public void AMissionWhoseSignalIsMissingIsRefusedNotGuessed()
    {
        var json = CheckpointJson.Write(State());
        using var document = JsonDocument.Parse(json);
        var broken = json.Replace(document.RootElement.GetProperty("Signals")[0].GetRawText(), "", StringComparison.Ordinal).Replace("[,", "[", StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => CheckpointJson.Read(broken));
    }
}
