using System.Buffers.Text;

namespace Bitten.Wire.Ea;

/// <summary>How a message stated its time. Broker time is the MT5 server's wall clock and needs the EA's UTC offset.</summary>
public enum TimestampKind
{
    None = 0,
    UnixSeconds,
    UnixMilliseconds,
    BrokerTime,
}

/// <summary>The three timestamp forms of PRODUCT.md §3, read from bytes.</summary>
public static class EaTimestamp
{
    /// <summary>Numbers below this are seconds, above it milliseconds (1e11 s is the year 5138; 1e11 ms is 1973).</summary>
    private const double MillisecondsThreshold = 1e11;

    public static bool TryFromNumber(double value, out long unixMs, out TimestampKind kind)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            unixMs = 0;
            kind = TimestampKind.None;
            return false;
        }

        if (value >= MillisecondsThreshold)
        {
            unixMs = (long)value;
            kind = TimestampKind.UnixMilliseconds;
        }
        else
        {
            unixMs = (long)Math.Round(value * 1000.0);
            kind = TimestampKind.UnixSeconds;
        }

        return unixMs < 253402300800000; // before year 10000
    }

    /// <summary>
    /// Parses broker time <c>YYYY.MM.DD HH:MM[:SS]</c> (also with '-' or 'T') as if it were UTC; the caller
    /// subtracts the EA's UTC offset. A numeric string is read as epoch seconds or ms.
    /// </summary>
    public static bool TryFromText(ReadOnlySpan<byte> text, out long unixMs, out TimestampKind kind)
    {
        unixMs = 0;
        kind = TimestampKind.None;
        if (text.Length > 0 && Utf8Parser.TryParse(text, out double number, out var consumed) && consumed == text.Length)
        {
            return TryFromNumber(number, out unixMs, out kind);
        }

        if (text.Length is not (16 or 19) && !(text.Length > 20 && text[19] == (byte)'.'))
        {
            return false;
        }

        if (!TryDigits(text[..4], out var year) || !IsDateSeparator(text[4]) || !TryDigits(text.Slice(5, 2), out var month)
            || !IsDateSeparator(text[7]) || !TryDigits(text.Slice(8, 2), out var day) || text[10] is not ((byte)' ' or (byte)'T')
            || !TryDigits(text.Slice(11, 2), out var hour) || text[13] != (byte)':' || !TryDigits(text.Slice(14, 2), out var minute))
        {
            return false;
        }

        var second = 0;
        if (text.Length >= 19 && (text[16] != (byte)':' || !TryDigits(text.Slice(17, 2), out second)))
        {
            return false;
        }

        if (year < 1970 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        unixMs = (long)(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;
        kind = TimestampKind.BrokerTime;
        return true;
    }

    private static bool IsDateSeparator(byte b) => b is (byte)'.' or (byte)'-';

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (d - '0');
        }

        return true;
    }
}
