using System.Reflection;

namespace Bitten.EndToEnd.Tests;

/// <summary>Dependencies point inward (DESIGN.md): the domain knows nothing, the engine knows no adapter.</summary>
public sealed class ArchitectureTests
{
    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Bitten.Domain", [] },
        { "Bitten.Zmq", [] },
        { "Bitten.Indicators", ["Bitten.Domain"] },
        { "Bitten.Wire", ["Bitten.Domain"] },
        { "Bitten.Engine", ["Bitten.Domain", "Bitten.Indicators"] },
        { "Bitten.Gateway", ["Bitten.Domain", "Bitten.Wire", "Bitten.Zmq", "Bitten.Engine"] },
        { "Bitten.Simulation", ["Bitten.Domain", "Bitten.Wire", "Bitten.Zmq", "Bitten.Engine"] },
        { "Bitten.Persistence", ["Bitten.Domain"] },
        { "Bitten.Web", ["Bitten.Domain", "Bitten.Engine", "Bitten.Wire", "Bitten.Indicators"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void ProjectReferencesOnlyWhatItMay(string assembly, string[] allowed)
    {
        var references = Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Bitten.", StringComparison.Ordinal))
            .Order()
            .ToArray();
        Assert.All(references, r => Assert.Contains(r, allowed));
    }

    [Fact]
    public void DomainAndEngineReferenceNoPackagesOrIo()
    {
        foreach (var name in new[] { "Bitten.Domain", "Bitten.Indicators", "Bitten.Engine" })
        {
            var references = Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name!).ToArray();
            Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.Extensions", StringComparison.Ordinal) || r.StartsWith("Bitten.Zmq", StringComparison.Ordinal));
        }
    }
}
