namespace Bitten.Engine.Tests;

/// <summary>
/// Allocation tests count bytes on their own thread; they run alone so no other test's work (JIT, thread-pool
/// continuations run inline) can be charged to that thread. Seen once: 3.6 kB during a full parallel run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "allocation";
}
