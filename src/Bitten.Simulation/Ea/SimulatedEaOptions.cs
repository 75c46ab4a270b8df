namespace Bitten.Simulation.Ea;

/// <summary>How the simulated EA stamps its ticks.</summary>
public enum TickTimestamps
{
    /// <summary>The time the tick is sent, as a live EA does (the default at speed 1).</summary>
    Now,

    /// <summary>The recorded time (the default at any other speed, so candles match the recording).</summary>
    Original,
}

/// <summary>The simulated EA (section <c>SimEa</c> for <c>bitten run</c>; flags for <c>bitten sim-ea</c>).</summary>
public sealed class SimulatedEaOptions
{
    public const string Section = "SimEa";

    public string Uuid { get; set; } = "SIM_EA_001";

    /// <summary>The server's host (the EA connects; the server binds).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Where the market port is when the bridge runs on another machine than the engine (unset: <see cref="Host"/>).</summary>
    public string? MarketHost { get; set; }

    public int CommandPort { get; set; } = 5555;

    public int MarketPort { get; set; } = 5556;

    public int ConfirmPort { get; set; } = 5558;

    /// <summary>Replay speed: 1 = real time, 60 = a minute per second, 0 = as fast as the bridge takes them.</summary>
    public double Speed { get; set; } = 1;

    public TickTimestamps? Timestamps { get; set; }

    /// <summary>Tick files or folders to replay; <c>bitten run</c> uses the bundled demo ticks when empty.</summary>
    public string? Ticks { get; set; }

    /// <summary>
    /// Begin the first pass at this UTC time of day of the first day (e.g. "07:00", the London open), skipping the
    /// quiet hours before it; later passes replay everything.
    /// </summary>
    public TimeSpan? StartTimeOfDay { get; set; }

    /// <summary>
    /// How many closed M5 bars per symbol the EA sends as OHLC history on connect, as a terminal sends its chart: built
    /// from the recorded ticks before <see cref="StartTimeOfDay"/> (so there are only as many as those ticks make).
    /// 0 sends none.
    /// </summary>
    public int HistoryBars { get; set; } = 300;

    /// <summary>Start again from the first tick when the files run out.</summary>
    public bool Loop { get; set; }

    /// <summary>The longest the replay waits between two ticks; longer gaps (nights, weekends) are cut short.</summary>
    public double MaxPauseSeconds { get; set; } = 10;

    public int HeartbeatSeconds { get; set; } = 30;

    /// <summary>ZMTP heartbeats on the EA's sockets, as the server's Zmq:PingSeconds: a pulled cable is noticed and redialled.</summary>
    public int PingSeconds { get; set; } = 5;

    /// <summary>How long a connection may carry nothing before the EA drops it and dials again.</summary>
    public int PingTimeoutSeconds { get; set; } = 15;

    /// <summary>The server's CURVE public key, when the server requires CURVE (the EA makes its own key pair).</summary>
    public string? CurveServerKey { get; set; }

    public decimal Balance { get; set; } = 10_000m;

    public string Currency { get; set; } = "USD";

    public int Leverage { get; set; } = 500;

    /// <summary>Paper broker: how many points a fill is worse than the quote (BUY above the ask, SELL below the bid).</summary>
    public double SlippagePoints { get; set; }

    /// <summary>Paper broker: how long the EA takes to answer a fire or close, as a terminal's round trip to its broker does.</summary>
    public int FillLatencyMs { get; set; }

    /// <summary>Paper broker: the share of fires (0 to 1) refused "rejected (simulated)", drawn from <see cref="Seed"/>.</summary>
    public double RejectRate { get; set; }

    /// <summary>Paper broker: the seed of the reject draws, so a run's rejects can be reproduced.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Sent as HELLO's <c>pairing_code</c>, as a user's EA does to link itself to their account.</summary>
    public string? PairingCode { get; set; }

    public TickTimestamps EffectiveTimestamps => Timestamps ?? (Speed == 1 ? TickTimestamps.Now : TickTimestamps.Original);

    public string NodeId => $"NODE_SIM_{Uuid}";

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Uuid) || Uuid.Length > 64)
        {
            yield return "the EA uuid must be 1 to 64 characters";
        }

        if (!(Speed >= 0) || double.IsInfinity(Speed))
        {
            yield return "speed must be a positive number, or max";
        }

        if (StartTimeOfDay is { } start && (start < TimeSpan.Zero || start >= TimeSpan.FromDays(1)))
        {
            yield return "the start time of day must be between 00:00 and 23:59";
        }

        if (!(SlippagePoints >= 0) || double.IsInfinity(SlippagePoints))
        {
            yield return "slippage must be 0 or more points";
        }

        if (FillLatencyMs < 0)
        {
            yield return "fill latency must be 0 ms or more";
        }

        if (!(RejectRate is >= 0 and <= 1))
        {
            yield return "the reject rate must be between 0 and 1";
        }

        if (HistoryBars is < 0 or > 10_000)
        {
            yield return "history bars must be between 0 and 10000";
        }

        if (HeartbeatSeconds < 1)
        {
            yield return "heartbeat interval must be at least 1 s";
        }

        if (PingSeconds < 1 || PingTimeoutSeconds <= PingSeconds)
        {
            yield return "ping interval must be at least 1 s and the ping timeout longer than it";
        }
    }
}
