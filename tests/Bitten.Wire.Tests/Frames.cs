using System.Text;
using Bitten.Domain.Primitives;
using Bitten.Wire.Ea;

namespace Bitten.Wire.Tests;

/// <summary>Sample frames in the shapes PRODUCT.md §3 and the v2.05 reference give, and small parsing helpers.</summary>
internal static class Frames
{
    /// <summary>2025-09-15 19:41:16 UTC, the time of the reference's example TICK.</summary>
    public const long ExampleSeconds = 1757965276;

    public const string V205Tick =
        """{"type":"TICK","user_uuid":"user-1","node_id":"node-7","symbol":"EURUSD","bid":1.17602,"ask":1.17605,"spread":3.0,"volume":0,"timestamp":1757965276}""";

    public const string SeedTick =
        """{"type":"tick","symbol":"GBPUSD","bid":1.35211,"ask":1.35219,"spread":0.8,"volume":12,"timestamp":1757965277}""";

    public const string BrokerTimeTick =
        """{"type":"TICK","symbol":"EURUSD","bid":1.17602,"ask":1.17603,"spread":1.0,"volume":0,"timestamp":"2025.09.15 19:41:16","node_id":"n","user_uuid":"u"}""";

    public const string OhlcBar =
        """{"type":"OHLC","node_id":"node-7","user_uuid":"user-1","symbol":"XAUUSD","timeframe":"M5","time":1757965200,"open":3641.25,"high":3645.9,"low":3639.1,"close":3644.0,"tick_volume":314,"timestamp":"2025.09.15 19:41:16"}""";

    public const string Handshake =
        """{"type":"handshake","deployment_mode":"universal_dealer","node_id":"node-7","user_uuid":"user-1","account":"5038","broker":"Broker Ltd","server":"Broker-Live","chart_symbol":"EURUSD","monitored_symbols":2,"symbol_list":"EURUSD,XAUUSD","currency":"USD","balance":1000.5,"equity":1001.25,"leverage":500,"version":"2.05","socket_type":"DEALER","utc_offset_seconds":10800,"timestamp":"2025.09.15 22:41:16"}""";

    /// <summary>Valid frames of every market-port shape, for truncation and mutation tests.</summary>
    public static readonly string[] ValidMarketFrames = [V205Tick, SeedTick, BrokerTimeTick, OhlcBar, Handshake];

    /// <summary>Every reason <see cref="MarketFrameParser"/> can give; the bridge and validator add the others.</summary>
    public static readonly RejectReason[] ParserReasons =
    [
        RejectReason.None, RejectReason.EmptyFrame, RejectReason.NotJson, RejectReason.Truncated, RejectReason.NotAnObject,
        RejectReason.MissingType, RejectReason.UnknownType, RejectReason.MissingField, RejectReason.WrongFieldType,
        RejectReason.BadTimestamp, RejectReason.SymbolTooLong, RejectReason.BadSymbol, RejectReason.NonFinitePrice, RejectReason.NonPositivePrice,
        RejectReason.InconsistentBar, RejectReason.UnknownTimeframe, RejectReason.MisalignedBar,
    ];

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Parses with a heap scratch buffer, so the frame's spans stay valid in the caller.</summary>
    public static RejectReason Parse(string json, out MarketFrame frame) => Parse(Utf8(json), out frame);

    public static RejectReason Parse(byte[] json, out MarketFrame frame) =>
        MarketFrameParser.Parse(json, new byte[MarketFrameParser.ScratchBytes], out frame);

    public static RejectReason Reason(string json) => Parse(json, out _);

    public static long Ms(int year, int month, int day, int hour, int minute, int second, int millisecond = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero).ToUnixTimeMilliseconds();
}
