using System.Buffers;
using System.Text.Json;
using Bitten.Domain.Signals;

namespace Bitten.Wire.Ea;

/// <summary>
/// Writes server → EA commands exactly as PRODUCT.md §3 states them (the v2.05 EA's seed format plus
/// <c>fire_id</c>). One instance per thread: it reuses its buffer; the returned span is valid until the next call.
/// </summary>
public sealed class EaCommandWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;

    public EaCommandWriter()
    {
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    public ReadOnlySpan<byte> Write(EaCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        switch (command)
        {
            case FireCommand fire:
                _json.WriteString("type"u8, "fire"u8);
                _json.WriteString("target_uuid"u8, fire.TargetUuid);
                _json.WriteString("fire_id"u8, fire.FireId);
                _json.WriteString("symbol"u8, fire.Symbol);
                _json.WriteString("direction"u8, fire.Direction.WireName());
                // entry 0 = market order: the seed EA reads a non-zero entry as a pending order's price.
                _json.WriteNumber("entry"u8, 0);
                _json.WriteNumber("sl"u8, fire.StopLoss);
                _json.WriteNumber("tp"u8, fire.TakeProfit);
                _json.WriteNumber("lot"u8, fire.Lot);
                break;
            case CloseTicketCommand close:
                _json.WriteString("type"u8, "close_ticket"u8);
                _json.WriteString("target_uuid"u8, close.TargetUuid);
                if (close.FireId is not null)
                {
                    _json.WriteString("fire_id"u8, close.FireId);
                }

                _json.WriteNumber("ticket"u8, close.Ticket);
                break;
            case CloseAllCommand all:
                _json.WriteString("type"u8, "close_all"u8);
                _json.WriteString("target_uuid"u8, all.TargetUuid);
                break;
            case PingCommand ping:
                _json.WriteString("type"u8, "ping"u8);
                _json.WriteString("ping_id"u8, ping.PingId);
                // §3's ping has only ping_id (the ROUTER already addresses it); the target is added when known so an
                // EA sharing a DEALER identity by mistake ignores it like every other command. Old EAs ignore it.
                if (ping.TargetUuid.Length > 0)
                {
                    _json.WriteString("target_uuid"u8, ping.TargetUuid);
                }

                break;
            default:
                throw new ArgumentException($"no wire form for {command.GetType().Name}", nameof(command));
        }

        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }
}
