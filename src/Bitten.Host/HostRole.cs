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

    /// <summary>The trader's site: pages, the web API, /healthz and /metrics.</summary>
    Web,

    /// <summary>The Commander Throne, the admin's site (loopback by default).</summary>
    Throne,

    /// <summary>The demo's simulated EA replaying recorded ticks against this process's own ports.</summary>
    SimulatedEa,

    /// <summary>
    /// The Telegram bot's link to Telegram: registration, long polling and the outbox's sender (its alerts and commands
    /// run beside the engine); idle while Telegram is off (no bot token). Without the engine, a bot edge.
    /// </summary>
    Bot,
}

/// <summary>The roles one host runs, checked for what each still needs in the same process.</summary>
public sealed class HostRoles
{
    public static readonly IReadOnlySet<HostRole> Server = new HashSet<HostRole>
    {
        HostRole.Engine, HostRole.EventLog, HostRole.Gateway, HostRole.Bridge, HostRole.Web, HostRole.Throne, HostRole.Bot,
    };

    /// <summary>The names <c>bitten run --roles</c> takes, each with its role (the seed's: the event log is the "collector").</summary>
    public static readonly IReadOnlyList<(string Name, HostRole Role)> Names =
    [
        ("bridge", HostRole.Bridge), ("engine", HostRole.Engine), ("gateway", HostRole.Gateway), ("web", HostRole.Web),
        ("throne", HostRole.Throne), ("bot", HostRole.Bot), ("collector", HostRole.EventLog), ("sim-ea", HostRole.SimulatedEa),
    ];

    /// <summary>
    /// The roles of a comma-separated list such as <c>bridge,engine,gateway</c> (names as in <see cref="Names"/>, any case,
    /// spaces ignored), or a sentence saying what is wrong with it: an unknown name, or a set whose roles still need
    /// one another in one process.
    /// </summary>
    public static (HostRoles? Roles, string? Error) Parse(string? list)
    {
        var roles = new List<HostRole>();
        foreach (var name in (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Names.Where(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)).Select(n => (HostRole?)n.Role).FirstOrDefault();
            if (match is null)
            {
                return (null, $"unknown role '{name}': the roles are {string.Join(", ", Names.Select(n => n.Name))}");
            }

            roles.Add(match.Value);
        }

        if (roles.Count == 0)
        {
            return (null, $"--roles needs at least one of {string.Join(", ", Names.Select(n => n.Name))}");
        }

        try
        {
            return (new HostRoles(roles), null);
        }
        catch (ArgumentException e)
        {
            var end = e.Message.IndexOf(" (Parameter", StringComparison.Ordinal);
            return (null, end >= 0 ? e.Message[..end] : e.Message);
        }
    }

    /// <summary>The name <c>--roles</c> gives <paramref name="role"/>.</summary>
    public static string NameOf(HostRole role) => Names.First(n => n.Role == role).Name;

    private readonly HashSet<HostRole> _roles;

    public HostRoles(IEnumerable<HostRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        _roles = [.. roles];
        if (_roles.Count == 0)
        {
            throw new ArgumentException("a host runs at least one role", nameof(roles));
        }

        // The bridge talks to the others over its ports (an engine elsewhere subscribes to its market-out port,
        // Bridge:Upstream); a web or Throne without the engine is an edge forwarding to the engine's (Web:Upstream,
        // Throne:Upstream), and a bot without it an edge forwarding Telegram's updates there and sending the engine's
        // stored messages. The rest still call the kernel in memory, so they run beside it: the kernel's thread owns
        // trading state, and the one writer of its store (the collector) must be the one that orders its events.
        Require(HostRole.Engine, HostRole.EventLog);
        Require(HostRole.EventLog, HostRole.Engine);
        Require(HostRole.Gateway, HostRole.Engine);
        Require(HostRole.SimulatedEa, HostRole.Bridge);
        Require(HostRole.SimulatedEa, HostRole.Gateway);
    }

    public bool Has(HostRole role) => _roles.Contains(role);

    public override string ToString() => string.Join(",", _roles.Order().Select(NameOf));

    private void Require(HostRole role, HostRole needs)
    {
        if (_roles.Contains(role) && !_roles.Contains(needs))
        {
            throw new ArgumentException($"the {NameOf(role)} role needs the {NameOf(needs)} role in the same process"
                + (needs == HostRole.Engine ? " (it calls the engine's kernel in memory; only the bridge and the web, Throne and bot edges run apart)" : ""), "roles");
        }
    }
}
