using System.Buffers;
using System.Text.Json;

namespace Bitten.Wire.Ea;

/// <summary>
/// Writes EA → server messages (the simulated EA speaks exactly what the real one does). One instance per thread:
/// it reuses its buffer, so writing a tick allocates nothing. The returned span is valid until the next call.
/// </summary>
public sealed class EaMessageWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    public EaMessageWriter()
    {
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>TICK in the v2.05 form, with epoch-ms time (one of the accepted timestamp forms).</summary>
    public ReadOnlySpan<byte> Tick(string uuid, string nodeId, string symbol, double bid, double ask, double spreadPoints, long timestampMs)
    {
        Begin("TICK"u8);
        _json.WriteString("user_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        _json.WriteString("symbol"u8, symbol);
        _json.WriteNumber("bid"u8, bid);
        _json.WriteNumber("ask"u8, ask);
        _json.WriteNumber("spread"u8, spreadPoints);
        _json.WriteNumber("volume"u8, 0);
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    /// <summary>OHLC: one closed bar of the EA's chart (bid prices, as MT5's are), <c>time</c> its open in epoch seconds.</summary>
    public ReadOnlySpan<byte> Ohlc(string uuid, string nodeId, string symbol, string timeframe, long openTimeMs, double open, double high, double low,
        double close, long tickVolume)
    {
        Begin("OHLC"u8);
        _json.WriteString("user_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        _json.WriteString("symbol"u8, symbol);
        _json.WriteString("timeframe"u8, timeframe);
        _json.WriteNumber("time"u8, openTimeMs / 1000);
        _json.WriteNumber("open"u8, open);
        _json.WriteNumber("high"u8, high);
        _json.WriteNumber("low"u8, low);
        _json.WriteNumber("close"u8, close);
        _json.WriteNumber("tick_volume"u8, tickVolume);
        return End();
    }

    public ReadOnlySpan<byte> Handshake(string uuid, string nodeId, AccountReport account, int utcOffsetSeconds, IReadOnlyList<string> symbols, long timestampMs)
    {
        Begin("handshake"u8);
        _json.WriteString("deployment_mode"u8, "universal_dealer");
        _json.WriteString("user_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        WriteAccount(account);
        _json.WriteNumber("utc_offset_seconds"u8, utcOffsetSeconds);
        _json.WriteNumber("monitored_symbols"u8, symbols.Count);
        _json.WriteString("symbol_list"u8, string.Join(',', symbols));
        _json.WriteString("version"u8, "bitten-sim-1");
        _json.WriteString("socket_type"u8, "DEALER");
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    public ReadOnlySpan<byte> TelemetryHeartbeat(string uuid, string nodeId, AccountReport account, int symbolsMonitored, long ticksProcessed, long timestampMs)
    {
        Begin("heartbeat"u8);
        _json.WriteString("user_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        WriteAccount(account);
        _json.WriteNumber("symbols_monitored"u8, symbolsMonitored);
        _json.WriteNumber("ticks_processed"u8, ticksProcessed);
        _json.WriteString("socket_type"u8, "DEALER");
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    public ReadOnlySpan<byte> Disconnect(string uuid, string nodeId, int symbolsMonitored, long ticksProcessed, long timestampMs)
    {
        Begin("DISCONNECT"u8);
        _json.WriteString("deployment_mode"u8, "universal_dealer");
        _json.WriteString("user_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        _json.WriteNumber("symbols_monitored"u8, symbolsMonitored);
        _json.WriteNumber("ticks_processed"u8, ticksProcessed);
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    public ReadOnlySpan<byte> Hello(string uuid, string nodeId, AccountReport account, IReadOnlyList<EaPosition> positions, IReadOnlyList<SymbolSpecReport> symbols, string? pairingCode, long timestampMs,
        IReadOnlyList<string>? recentFireIds = null)
    {
        Begin("HELLO"u8);
        _json.WriteString("target_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        WriteAccount(account);
        _json.WriteString("version"u8, "bitten-sim-1");
        if (pairingCode is not null)
        {
            _json.WriteString("pairing_code"u8, pairingCode);
        }

        WritePositions(positions);
        _json.WriteStartArray("symbols"u8);
        foreach (var s in symbols)
        {
            _json.WriteStartObject();
            _json.WriteString("symbol"u8, s.Symbol);
            _json.WriteNumber("digits"u8, s.Digits);
            _json.WriteNumber("point"u8, s.Point);
            _json.WriteNumber("tick_value"u8, s.TickValue);
            _json.WriteNumber("tick_size"u8, s.TickSize);
            _json.WriteNumber("volume_min"u8, s.VolumeMin);
            _json.WriteNumber("volume_step"u8, s.VolumeStep);
            _json.WriteNumber("volume_max"u8, s.VolumeMax);
            _json.WriteNumber("stops_level"u8, s.StopsLevel);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        WriteRecentFireIds(recentFireIds);
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    public ReadOnlySpan<byte> Heartbeat(string uuid, string nodeId, AccountReport account, IReadOnlyList<EaPosition> positions, long ticksProcessed, long timestampMs,
        IReadOnlyList<string>? recentFireIds = null)
    {
        Begin("HEARTBEAT"u8);
        _json.WriteString("target_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        WriteAccount(account);
        _json.WriteNumber("ticks_processed"u8, ticksProcessed);
        WritePositions(positions);
        WriteRecentFireIds(recentFireIds);
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    private void WriteRecentFireIds(IReadOnlyList<string>? ids)
    {
        if (ids is null)
        {
            return;
        }

        _json.WriteStartArray("recent_fire_ids"u8);
        foreach (var id in ids)
        {
            _json.WriteStringValue(id);
        }

        _json.WriteEndArray();
    }

    public ReadOnlySpan<byte> Pong(string uuid, string nodeId, string pingId, long timestampMs)
    {
        Begin("pong"u8);
        _json.WriteString("ping_id"u8, pingId);
        _json.WriteString("user_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    /// <summary>The v2.05 answer to a command it cannot carry out (<c>command_type</c> tells which).</summary>
    public ReadOnlySpan<byte> Refusal(string uuid, string nodeId, string commandType, string? fireId, string message, AccountReport account, long timestampMs)
    {
        Begin("confirmation"u8);
        _json.WriteString("command_type"u8, commandType);
        _json.WriteString("fire_id"u8, fireId ?? "");
        _json.WriteString("user_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        _json.WriteString("status"u8, "failed");
        _json.WriteNumber("ticket"u8, 0);
        _json.WriteNumber("price"u8, 0);
        _json.WriteNumber("lot"u8, 0);
        _json.WriteString("message"u8, message);
        WriteAccount(account);
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    /// <summary>The seed-001 confirmation of a filled fire: the same fields as <see cref="Refusal"/>, status "success".</summary>
    public ReadOnlySpan<byte> Confirmation(string uuid, string nodeId, string fireId, long ticket, double price, decimal lot, string message, AccountReport account, long timestampMs)
    {
        Begin("confirmation"u8);
        _json.WriteString("command_type"u8, "fire"u8);
        _json.WriteString("fire_id"u8, fireId);
        _json.WriteString("user_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        _json.WriteString("status"u8, "success"u8);
        _json.WriteNumber("ticket"u8, ticket);
        _json.WriteNumber("price"u8, price);
        _json.WriteNumber("lot"u8, lot);
        _json.WriteString("message"u8, message);
        WriteAccount(account);
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    /// <summary>A closed position (by close_ticket, close_all, or its SL/TP), with the account after the close.</summary>
    public ReadOnlySpan<byte> CloseConfirmation(string uuid, string nodeId, string? fireId, long ticket, double closePrice, decimal profit, string message, AccountReport account, long timestampMs)
    {
        Begin("close_confirmation"u8);
        if (fireId is not null)
        {
            _json.WriteString("fire_id"u8, fireId);
        }

        _json.WriteString("user_uuid"u8, uuid);
        _json.WriteString("node_id"u8, nodeId);
        _json.WriteString("status"u8, "success"u8);
        _json.WriteNumber("ticket"u8, ticket);
        _json.WriteNumber("close_price"u8, closePrice);
        _json.WriteNumber("profit"u8, profit);
        _json.WriteString("message"u8, message);
        WriteAccount(account);
        _json.WriteNumber("timestamp"u8, timestampMs);
        return End();
    }

    private void Begin(ReadOnlySpan<byte> type)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
    }

    private ReadOnlySpan<byte> End()
    {
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    private void WriteAccount(AccountReport account)
    {
        _json.WriteNumber("balance"u8, account.Balance);
        _json.WriteNumber("equity"u8, account.Equity);
        _json.WriteNumber("margin"u8, account.Margin);
        _json.WriteNumber("free_margin"u8, account.FreeMargin);
        _json.WriteNumber("margin_level"u8, account.MarginLevel);
        _json.WriteString("currency"u8, account.Currency);
        _json.WriteNumber("leverage"u8, account.Leverage);
        _json.WriteString("account_login"u8, account.AccountLogin);
        _json.WriteString("broker"u8, account.Broker);
    }

    private void WritePositions(IReadOnlyList<EaPosition> positions)
    {
        _json.WriteStartArray("positions"u8);
        foreach (var p in positions)
        {
            _json.WriteStartObject();
            _json.WriteNumber("ticket"u8, p.Ticket);
            _json.WriteString("fire_id"u8, p.FireId);
            _json.WriteString("symbol"u8, p.Symbol);
            _json.WriteString("direction"u8, p.Direction);
            _json.WriteNumber("volume"u8, p.Volume);
            _json.WriteNumber("open_price"u8, p.OpenPrice);
            _json.WriteNumber("sl"u8, p.StopLoss);
            _json.WriteNumber("tp"u8, p.TakeProfit);
            _json.WriteNumber("profit"u8, p.Profit);
            _json.WriteEndObject();
        }

        _json.WriteEndArray();
    }
}
