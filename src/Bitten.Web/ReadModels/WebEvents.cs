using System.Text.Json;
using Bitten.Domain.Events;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;
using Bitten.Engine.Execution;
using Bitten.Engine.Tracking;
using Bitten.Web.Api;

namespace Bitten.Web.ReadModels;

/// <summary>
/// What the web keeps up to date from the engine's typed events (every one the event recorder records, on the kernel
/// thread): each user's <see cref="Activity"/>, and the <see cref="Hub"/>'s frames for the pages' event stream. A
/// frame is only built when someone listens. <paramref name="patternStates"/> is read after an outcome or an
/// override to tell pages which patterns switched on or off.
/// </summary>
public sealed class WebEvents(Func<PatternStates>? patternStates = null) : IExecutionObserver
{
    private IReadOnlySet<PatternType> _disabled = new HashSet<PatternType>();

    public TraderActivity Activity { get; } = new();

    public StreamHub Hub { get; } = new();

    public void OnEvent(TradingEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var fire = Activity.Apply(e);
        var patterns = e is SignalResolved or AdminActed ? PatternChanges() : [];
        if (Hub.Subscribers == 0)
        {
            return;
        }

        switch (e)
        {
            case SignalRaised raised:
                Publish("signal", SignalItemJson.Of(raised.Signal, null), null);
                break;
            case SignalResolved resolved:
                var o = resolved.Outcome;
                Publish("outcome", new OutcomeEventJson(o.SignalId, o.Outcome.WireName(), Math.Round(o.Pips, 1), o.ExitPrice, o.ExitTimeMs), null);
                break;
            case EmergencyStopChanged stop:
                Publish("stop", new StopEventJson(stop.Stop.WireName()), null);
                break;
            case MissionCreated created:
                Mission(created.UserId, created.MissionId, MissionStatus.Pending);
                break;
            case MissionExpired expired:
                Mission(expired.UserId, expired.MissionId, MissionStatus.Expired);
                break;
        }

        foreach (var (pattern, disabled) in patterns)
        {
            Publish("pattern", new PatternEventJson(pattern.WireName(), disabled), null);
        }

        if (fire is not null && e is TraderEvent trader)
        {
            Publish("fire", FireEventJson.Of(fire), trader.UserId);
            if (fire.MissionId is { } missionId && MissionStatusOf(fire.Status) is { } status)
            {
                Mission(trader.UserId, missionId, status);
            }
        }
    }

    private static MissionStatus? MissionStatusOf(string fireStatus) => fireStatus switch
    {
        "sent" => MissionStatus.Fired,
        "filled" => MissionStatus.Filled,
        "failed" => MissionStatus.Failed,
        "closed" => MissionStatus.Closed,
        _ => null,
    };

    private List<(PatternType Pattern, bool Disabled)> PatternChanges()
    {
        if (patternStates is null)
        {
            return [];
        }

        var now = patternStates().Disabled;
        var changes = new List<(PatternType, bool)>();
        foreach (var pattern in PatternTypes.All)
        {
            if (now.Contains(pattern) != _disabled.Contains(pattern))
            {
                changes.Add((pattern, now.Contains(pattern)));
            }
        }

        _disabled = now;
        return changes;
    }

    private void Mission(long userId, string missionId, MissionStatus status) =>
        Publish("mission", new MissionEventJson(missionId, status.WireName()), userId);

    private void Publish<T>(string name, T data, long? userId) =>
        Hub.Publish(StreamHub.Frame(name, JsonSerializer.SerializeToUtf8Bytes(data, ApiJson.Options)), userId);

    private sealed record OutcomeEventJson(string SignalId, string Result, double Pips, double ExitPrice, long ResolvedAt);

    private sealed record StopEventJson(string EmergencyStop);

    private sealed record PatternEventJson(string Pattern, bool Disabled);

    private sealed record MissionEventJson(string MissionId, string Status);
}

/// <summary>The stream's <c>fire</c> event: a fire's state after its last event.</summary>
internal sealed record FireEventJson(
    string FireId,
    string? MissionId,
    string Status,
    long? Ticket,
    double? Price,
    decimal Lot,
    double? ClosePrice,
    double? Pips,
    decimal? Profit,
    string? Message)
{
    public static FireEventJson Of(FireView f) => new(f.FireId, f.MissionId, f.Status, f.Ticket, f.FillPrice, f.Lot, f.ClosePrice, f.Pips, f.Profit, f.Message);
}

/// <summary>The mission HUD's <c>fire</c>: the same, with the fill price named as such.</summary>
internal sealed record MissionFireJson(
    string FireId,
    string Status,
    long? Ticket,
    double? FillPrice,
    decimal Lot,
    double? ClosePrice,
    double? Pips,
    decimal? Profit,
    string? Message)
{
    public static MissionFireJson Of(FireView f) => new(f.FireId, f.Status, f.Ticket, f.FillPrice, f.Lot, f.ClosePrice, f.Pips, f.Profit, f.Message);
}
