using Bitten.Domain.Signals;
using Bitten.Domain.Users;

namespace Bitten.Engine.Execution;

/// <summary>Who fires a new signal at once, without asking: a COMMANDER in AUTO mode whose band holds the signal's confidence.</summary>
public static class AutoFire
{
    public static bool Wants(User user, Signal signal)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(signal);
        return user.Mode == FireMode.Auto && user.Tier.AllowsAutoFire() && user.Auto.Contains(signal.Confidence);
    }
}
