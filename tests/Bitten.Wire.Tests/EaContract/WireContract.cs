using System.Text.Json;
using System.Text.Json.Nodes;
using Bitten.Domain.Signals;
using Bitten.Wire.Ea;

namespace Bitten.Wire.Tests.EaContract;

/// <summary>
/// What Bitten.Wire (and so the simulated EA, which writes through it) says each message and command holds, found by
/// running it rather than by reading its source: a sample of every message written by <see cref="EaMessageWriter"/>
/// and of every command by <see cref="EaCommandWriter"/>, with every optional part present, gives the field names and
/// JSON kinds (nested objects' keys included, flattened); a field is required when the sample without it (removed
/// at every depth) is refused by <see cref="EaMessageParser"/> or <see cref="EaCommandParser"/>. A renamed or added
/// field in Wire changes these sets with no list here to update.
/// </summary>
public static class WireContract
{
    private const string Uuid = "user-1";
    private const string Node = "NODE_5038271";
    private const long Time = 1_757_965_276_123;
    private static readonly AccountReport Account = new(10000.50m, 10012.25m, 120.12m, 9892.13m, 8326.4m, "USD", 500, "5038271", "Broker-Live");
    private static readonly EaPosition[] Positions = [new(100001, "F1-7", "EURUSD", "BUY", 0.10m, 1.17602, 1.17302, 1.18202, -3.25m)];
    private static readonly SymbolSpecReport[] Specs = [new("EURUSD", 5, 0.00001, 1.0m, 0.00001, 0.01m, 0.01m, 100m, 10)];

    /// <summary>The port each message goes to: 5556 market data, 5555 the DEALER, 5558 confirmations (PRODUCT.md §2).</summary>
    public static int PortOf(string type) =>
        EaMessageTypes.Parse(System.Text.Encoding.UTF8.GetBytes(type)).IsMarketPortType() ? 5556 : type is "HELLO" or "HEARTBEAT" ? 5555 : 5558;

    /// <summary>One sample of every EA → server message, by its <c>type</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> Messages()
    {
        var w = new EaMessageWriter();
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["TICK"] = w.Tick(Uuid, Node, "EURUSD", 1.17602, 1.17605, 3.0, Time).ToArray(),
            ["OHLC"] = w.Ohlc(Uuid, Node, "EURUSD", "M5", 1_757_965_200_000, 1.176, 1.1765, 1.1755, 1.1762, 42).ToArray(),
            ["handshake"] = w.Handshake(Uuid, Node, Account, 7200, ["EURUSD", "XAUUSD"], Time).ToArray(),
            ["heartbeat"] = w.TelemetryHeartbeat(Uuid, Node, Account, 2, 1000, Time).ToArray(),
            ["DISCONNECT"] = w.Disconnect(Uuid, Node, 2, 1000, Time).ToArray(),
            ["HELLO"] = w.Hello(Uuid, Node, Account, Positions, Specs, "PAIR-77", Time, ["F1-7"]).ToArray(),
            ["HEARTBEAT"] = w.Heartbeat(Uuid, Node, Account, Positions, 1000, Time, ["F1-7"]).ToArray(),
            ["confirmation"] = w.Confirmation(Uuid, Node, "F1-7", 100001, 1.17605, 0.10m, "filled", Account, Time).ToArray(),
            ["close_confirmation"] = w.CloseConfirmation(Uuid, Node, "F1-7", 100001, 1.18202, 60.0m, "tp", Account, Time).ToArray(),
            ["pong"] = w.Pong(Uuid, Node, "p-1", Time).ToArray(),
        };
    }

    /// <summary>The failed confirmation; it must carry the same fields as the successful one (one message type).</summary>
    public static byte[] Refusal() =>
        new EaMessageWriter().Refusal(Uuid, Node, "fire", "F1-7", "sl is on the wrong side", Account, Time).ToArray();

    /// <summary>One sample of every server → EA command, by its <c>type</c>.</summary>
    public static IReadOnlyDictionary<string, byte[]> Commands()
    {
        var w = new EaCommandWriter();
        EaCommand[] commands =
        [
            new FireCommand(Uuid, "F1-7", "EURUSD", Direction.Buy, 1.17302, 1.18202, 0.10m),
            new CloseTicketCommand(Uuid, "F1-7", 100001),
            new CloseAllCommand(Uuid),
            new PingCommand(Uuid, "p-1"),
        ];
        return commands.ToDictionary(c => TypeOf(w.Write(c).ToArray()), c => w.Write(c).ToArray(), StringComparer.Ordinal);
    }

    public static string TypeOf(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("type").GetString()!;
    }

    /// <summary>Every property name in the document, at any depth, with its JSON kind.</summary>
    public static Dictionary<string, FieldKind> Fields(byte[] json)
    {
        var fields = new Dictionary<string, FieldKind>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement);
        return fields;

        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    fields.TryAdd(p.Name, p.Value.ValueKind switch
                    {
                        JsonValueKind.String => FieldKind.String,
                        JsonValueKind.Number => FieldKind.Number,
                        JsonValueKind.Array => FieldKind.Array,
                        var other => throw new InvalidOperationException($"{p.Name} is {other}: give the sample a value"),
                    });
                    Walk(p.Value);
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }
    }

    /// <summary>The fields whose absence makes <paramref name="accepts"/> refuse the sample.</summary>
    public static HashSet<string> Required(byte[] sample, Func<byte[], bool> accepts)
    {
        if (!accepts(sample))
        {
            throw new InvalidOperationException("the sample itself is refused");
        }

        return [.. Fields(sample).Keys.Where(field => !accepts(Without(sample, field)))];
    }

    public static bool MessageAccepted(byte[] json) => EaMessageParser.Parse(json).IsValid;

    public static bool CommandAccepted(byte[] json) => EaCommandParser.Parse(json, out _) is not null;

    private static byte[] Without(byte[] json, string field)
    {
        var root = JsonNode.Parse(json)!;
        Remove(root);
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());

        void Remove(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    o.Remove(field);
                    foreach (var (_, child) in o)
                    {
                        Remove(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Remove(child);
                    }

                    break;
            }
        }
    }
}
