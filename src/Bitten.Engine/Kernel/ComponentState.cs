using System.Collections.Concurrent;

namespace Bitten.Engine.Kernel;

/// <summary>A component's lifecycle, shown in the status line and /healthz instead of loose booleans.</summary>
public enum ComponentState
{
    Starting,
    Running,
    Degraded,
    Faulted,
    Stopped,
}

/// <summary>The latest state of every component, written by each component and read by health displays.</summary>
public sealed class ComponentHealth
{
    private readonly ConcurrentDictionary<string, (ComponentState State, string Detail)> _components = new();

    private long _version;

    public void Report(string component, ComponentState state, string detail = "")
    {
        _components[component] = (state, detail);
        Interlocked.Increment(ref _version);
    }

    /// <summary>Moves on every report: a reader caching what it made of the states rebuilds only when this moved.</summary>
    public long Version => Interlocked.Read(ref _version);

    public (ComponentState State, string Detail) Get(string component) =>
        _components.TryGetValue(component, out var value) ? value : (ComponentState.Stopped, "not started");

    public IReadOnlyList<(string Component, ComponentState State, string Detail)> Snapshot() =>
        [.. _components.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value.State, c.Value.Detail))];
}
