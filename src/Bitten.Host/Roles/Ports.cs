using Bitten.Zmq;

namespace Bitten.Host.Roles;

/// <summary>How a role opens its sockets at start.</summary>
internal static class Ports
{
    /// <summary>
    /// Opens them; a port that cannot be opened ends the start with one sentence naming <paramref name="what"/> and the
    /// setting to change (<paramref name="advice"/>), not a stack trace.
    /// </summary>
    public static void Open(Action open, string what, string advice)
    {
        try
        {
            open();
        }
        catch (ZmqException e)
        {
            throw new StartupException($"Cannot open {what} ({e.Message}); {advice}", e);
        }
    }
}
