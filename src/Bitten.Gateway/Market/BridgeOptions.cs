namespace Bitten.Gateway.Market;

/// <summary>The market-data bridge (section <c>Bridge</c>).</summary>
public sealed class BridgeOptions
{
    public const string Section = "Bridge";

    /// <summary>An EA silent this long is reported (the sockets stay up: it may come back).</summary>
    public int SilenceSeconds { get; set; } = 30;

    /// <summary>Frames larger than this are refused unread (a tick is ~200 bytes).</summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Messages the republishing PUB socket queues per subscriber before a slow one loses data.</summary>
    public int PublishHighWatermark { get; set; } = 1_000_000;

    /// <summary>UTC offset of broker-time timestamps from EAs that did not declare one in their handshake.</summary>
    public int DefaultBrokerUtcOffsetSeconds { get; set; }

    /// <summary>
    /// For an engine on another machine than its bridge: the bridge's market-out port (e.g. <c>tcp://10.0.0.2:5560</c>),
    /// which the engine subscribes to instead of binding the market ports itself (a CURVE client with the public key of
    /// this deployment's Zmq:CurveSecretKey when one is set). Ignored where the bridge role runs.
    /// </summary>
    public string? Upstream { get; set; }

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(Upstream)
            && (!Upstream.StartsWith("tcp://", StringComparison.Ordinal) || !Uri.TryCreate(Upstream, UriKind.Absolute, out var upstream) || upstream.Port <= 0))
        {
            yield return $"Bridge:Upstream must be a bridge's market-out address such as tcp://10.0.0.2:5560, not '{Upstream}'";
        }

        if (SilenceSeconds < 1)
        {
            yield return "Bridge:SilenceSeconds must be at least 1";
        }

        if (MaxFrameBytes is < 256 or > 16 * 1024 * 1024)
        {
            yield return "Bridge:MaxFrameBytes must be between 256 and 16777216";
        }

        if (PublishHighWatermark < 0)
        {
            yield return "Bridge:PublishHighWatermark must not be negative (0 = unlimited)";
        }

        if (Math.Abs(DefaultBrokerUtcOffsetSeconds) > 14 * 3600)
        {
            yield return "Bridge:DefaultBrokerUtcOffsetSeconds must be within ±14 h";
        }
    }
}
