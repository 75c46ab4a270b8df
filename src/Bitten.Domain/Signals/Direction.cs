namespace Bitten.Domain.Signals;

/// <summary>Which way a signal trades. A BUY enters at the ask and exits at the bid; a SELL the reverse.</summary>
public enum Direction
{
    Buy,
    Sell,
}

public static class Directions
{
    public static string WireName(this Direction direction) => direction switch
    {
        Direction.Buy => "BUY",
        Direction.Sell => "SELL",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "not a direction"),
    };

    /// <summary>+1 for a BUY, −1 for a SELL: multiplies a price move into a move in the trade's favour.</summary>
    public static int Sign(this Direction direction) => direction == Direction.Buy ? 1 : -1;

    public static bool TryParse(ReadOnlySpan<char> text, out Direction direction)
    {
        switch (text)
        {
            case "BUY":
                direction = Direction.Buy;
                return true;
            case "SELL":
                direction = Direction.Sell;
                return true;
            default:
                direction = default;
                return false;
        }
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out Direction direction)
    {
        if (utf8.SequenceEqual("BUY"u8))
        {
            direction = Direction.Buy;
            return true;
        }

        if (utf8.SequenceEqual("SELL"u8))
        {
            direction = Direction.Sell;
            return true;
        }

        direction = default;
        return false;
    }
}
