using System.Text.Json;
using Bitten.Domain.Signals;

namespace Bitten.Wire.Signals;

/// <summary>
/// A signal's score as the event log keeps it (inside signal_generated, under <c>score</c>), in the shape the API shows:
/// <c>{"confidence":{base, strength, quality, volume, session, range, citadel, total}, "citadel":{score, liquidity,
/// sweep, volatility, spread}}</c>. Stored unrounded, so the parts read back still sum to the confidence.
/// </summary>
public static class SignalScoreJson
{
    public static void Write(Utf8JsonWriter json, SignalScore score)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(score);
        json.WriteStartObject();
        json.WriteStartObject("confidence"u8);
        json.WriteNumber("base"u8, score.Base);
        json.WriteNumber("strength"u8, score.Strength);
        json.WriteNumber("quality"u8, score.Quality);
        json.WriteNumber("volume"u8, score.Volume);
        json.WriteNumber("session"u8, score.Session);
        json.WriteNumber("range"u8, score.Range);
        json.WriteNumber("citadel"u8, score.Citadel);
        json.WriteNumber("total"u8, score.Total);
        json.WriteEndObject();
        json.WriteStartObject("citadel"u8);
        json.WriteNumber("score"u8, score.CitadelScore);
        json.WriteNumber("liquidity"u8, score.Liquidity);
        json.WriteNumber("sweep"u8, score.Sweep);
        json.WriteNumber("volatility"u8, score.Volatility);
        json.WriteNumber("spread"u8, score.Spread);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The score written by <see cref="Write"/>, or null when <paramref name="score"/> is not one (an older event has none).</summary>
    public static SignalScore? Read(JsonElement score)
    {
        if (score.ValueKind != JsonValueKind.Object
            || !score.TryGetProperty("confidence"u8, out var c) || c.ValueKind != JsonValueKind.Object
            || !score.TryGetProperty("citadel"u8, out var s) || s.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        double? Part(JsonElement from, string name) =>
            from.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;
        return Part(c, "base") is { } b && Part(c, "strength") is { } strength && Part(c, "quality") is { } quality && Part(c, "volume") is { } volume
            && Part(c, "session") is { } session && Part(c, "range") is { } range && Part(c, "citadel") is { } citadel
            && Part(s, "score") is { } shield && Part(s, "liquidity") is { } liquidity && Part(s, "sweep") is { } sweep
            && Part(s, "volatility") is { } volatility && Part(s, "spread") is { } spread
            ? new SignalScore(b, strength, quality, volume, session, range, citadel, shield, liquidity, sweep, volatility, spread)
            : null;
    }
}
