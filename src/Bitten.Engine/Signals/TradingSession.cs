namespace Bitten.Engine.Signals;

/// <summary>
/// The trading session of a UTC time. One definition for signals, bonuses and analytics — the original had two
/// that disagreed, so only two of its four session bonuses could ever apply.
/// </summary>
public enum TradingSession
{
    /// <summary>00:00–07:00 UTC: Tokyo and Sydney.</summary>
    Asian,

    /// <summary>07:00–12:00 UTC: London before New York opens.</summary>
    London,

    /// <summary>12:00–16:00 UTC: London and New York both open, the most liquid hours.</summary>
    Overlap,

    /// <summary>16:00–21:00 UTC: New York after London closes.</summary>
    NewYork,

    /// <summary>21:00–24:00 UTC: the thin hours between New York's close and Asia.</summary>
    Late,
}

public static class TradingSessions
{
    public static TradingSession At(long unixMs)
    {
        var hour = (int)(((unixMs % 86_400_000) + 86_400_000) % 86_400_000 / 3_600_000);
        return hour switch
        {
            < 7 => TradingSession.Asian,
            < 12 => TradingSession.London,
            < 16 => TradingSession.Overlap,
            < 21 => TradingSession.NewYork,
            _ => TradingSession.Late,
        };
    }

    /// <summary>The name published in the signal JSON.</summary>
    public static string WireName(this TradingSession session) => session switch
    {
        TradingSession.Asian => "ASIAN",
        TradingSession.London => "LONDON",
        TradingSession.Overlap => "OVERLAP",
        TradingSession.NewYork => "NEWYORK",
        _ => "LATE",
    };
}
