namespace Bitten.Host;

/// <summary>
/// A part of BITTEN the host can run. Today's process runs them together; each is its own hosted service so a later
/// start can pick a subset (split deployment).
/// </summary>
public enum HostRole
{
    /// <summary>The kernel, Elite Guard, the execution desk and outcome tracking, with start-up recovery, checkpoints and user sync.</summary>
    Engine,

    /// <summary>The event log (the store's one writer) and the event bus on its ports.</summary>
    EventLog,

    /// <summary>The EA command and confirmation ports and the fire outbox.</summary>
    Gateway,

    /// <summary>The market-data bridge: EAs' ticks in, validated ticks out (and into the kernel when the engine runs here).</summary>
    Bridge,

    /// <summary>The web API.</summary>
    Web,

    /// <summary>The demo's simulated EA replaying recorded ticks against this process's own ports.</summary>
    SimulatedEa,

    /// <summary>The Telegram bot: commands, alerts and the outbox's sender; idle while Telegram is off (no bot token).</summary>
    Bot,
}

/// <summary>The roles one host runs, checked for what each still needs in the same process.</summary>
public sealed class HostRoles
{
    public static readonly IReadOnlySet<HostRole> Server = new HashSet<HostRole>
    {
        HostRole.Engine, HostRole.EventLog, HostRole.Gateway, HostRole.Bridge, HostRole.Web, HostRole.Bot,
    };

    private readonly HashSet<HostRole> _roles;

    public HostRoles(IEnumerable<HostRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        _roles = [.. roles];
        if (_roles.Count == 0)
        {
            throw new ArgumentException("a host runs at least one role", nameof(roles));
        }

        // Until the roles talk over the event bus instead of in memory, these run only beside what they call.
        Require(HostRole.Engine, HostRole.EventLog);
        Require(HostRole.EventLog, HostRole.Engine);
        Require(HostRole.Gateway, HostRole.Engine);
        Require(HostRole.Web, HostRole.Engine);
        Require(HostRole.Bot, HostRole.Engine);
        Require(HostRole.SimulatedEa, HostRole.Bridge);
        Require(HostRole.SimulatedEa, HostRole.Gateway);
    }

    public bool Has(HostRole role) => _roles.Contains(role);

    public override string ToString() => string.Join(", ", _roles.Order());

    private void Require(HostRole role, HostRole needs)
    {
        if (_roles.Contains(role) && !_roles.Contains(needs))
        {
            throw new ArgumentException($"the {role} role needs the {needs} role in the same host", "roles");
        }
    }
}
