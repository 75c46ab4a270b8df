using System.Text.Json;
using System.Text.Json.Serialization;
using Bitten.Domain.Signals;
using Bitten.Domain.Trading;

namespace Bitten.Host.Execution;

/// <summary>
/// The checkpoint's JSON: <c>{"Signals":[…],"State":{…}}</c>, each signal once and every mission pointing at its
/// signal by id. A thousand users' missions on one signal used to carry a thousand copies of it: at 60,000 missions
/// that was 33 million characters every checkpoint. A checkpoint written before this shape (the state alone, each
/// mission with its signal inline) still reads.
/// </summary>
public static class CheckpointJson
{
    private static readonly JsonSerializerOptions Plain = new() { WriteIndented = false };

    // WithoutTable needs no signal table: one set of options for every checkpoint, so the serializer's type metadata is built
    // once, not on every save (a few times a second). Reading, once a start, gets options around its table.
    private static readonly JsonSerializerOptions WithoutTable = With(null);

    public static string Write(KernelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var signals = state.Desk.Traders.SelectMany(t => t.Missions).Select(m => m.Signal).DistinctBy(s => s.SignalId, StringComparer.Ordinal).ToList();
        return JsonSerializer.Serialize(new Document(signals, state), WithoutTable);
    }

    public static KernelState? Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty(nameof(Document.State), out var state))
        {
            // Before the signal table: the state itself, its missions with their signals inline.
            return root.Deserialize<KernelState>(WithoutTable);
        }

        var signals = new Dictionary<string, Signal>(StringComparer.Ordinal);
        if (root.TryGetProperty(nameof(Document.Signals), out var table))
        {
            foreach (var signal in table.Deserialize<List<Signal>>(Plain) ?? [])
            {
                signals[signal.SignalId] = signal;
            }
        }

        return state.Deserialize<KernelState>(With(signals));
    }

    private static JsonSerializerOptions With(Dictionary<string, Signal>? signals) =>
        new(Plain) { Converters = { new MissionBySignal(signals) } };

    private sealed record Document(IReadOnlyList<Signal> Signals, KernelState State);

    /// <summary>A mission as the checkpoint keeps it: everything but its signal, which is in the table by id.</summary>
    private sealed record MissionRow(string MissionId, long UserId, string SignalId, long CreatedAtMs, long ExpiresAtMs, MissionStatus Status,
        string? FireId, PositionCloseReason? CloseReason, MissionRefusal? LastRefusal);

    private sealed class MissionBySignal(Dictionary<string, Signal>? signals) : JsonConverter<Mission>
    {
        public override Mission Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var mission = JsonDocument.ParseValue(ref reader);
            if (mission.RootElement.TryGetProperty(nameof(Mission.Signal), out _))
            {
                return mission.RootElement.Deserialize<Mission>(Plain) ?? throw new JsonException("an empty mission in the checkpoint");
            }

            var row = mission.RootElement.Deserialize<MissionRow>(Plain) ?? throw new JsonException("an empty mission in the checkpoint");
            if (signals is null || !signals.TryGetValue(row.SignalId, out var signal))
            {
                throw new JsonException($"mission {row.MissionId} points at signal {row.SignalId}, which the checkpoint does not hold");
            }

            return new Mission(row.MissionId, row.UserId, signal, row.CreatedAtMs, row.ExpiresAtMs, row.Status, row.FireId, row.CloseReason, row.LastRefusal);
        }

        public override void Write(Utf8JsonWriter writer, Mission value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new MissionRow(value.MissionId, value.UserId, value.Signal.SignalId, value.CreatedAtMs, value.ExpiresAtMs,
                value.Status, value.FireId, value.CloseReason, value.LastRefusal), Plain);
    }
}
