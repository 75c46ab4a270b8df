namespace Bitten.Domain.Signals;

/// <summary>
/// RAPID signals are short-horizon scalps, SNIPER signals structure trades. Which patterns belong to which class
/// is decided only by <see cref="PatternTypes.Class"/>.
/// </summary>
public enum SignalClass
{
    Rapid,
    Sniper,
}

public static class SignalClasses
{
    public static string WireName(this SignalClass signalClass) => signalClass switch
    {
        SignalClass.Rapid => "RAPID",
        SignalClass.Sniper => "SNIPER",
        _ => throw new ArgumentOutOfRangeException(nameof(signalClass), signalClass, "not a signal class"),
    };

    public static bool TryParse(ReadOnlySpan<char> text, out SignalClass signalClass)
    {
        switch (text)
        {
            case "RAPID":
                signalClass = SignalClass.Rapid;
                return true;
            case "SNIPER":
                signalClass = SignalClass.Sniper;
                return true;
            default:
                signalClass = default;
                return false;
        }
    }
}
