using System.Diagnostics;
using System.Globalization;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// Machines on one machine: network namespaces the test creates and removes itself, each with a veth pair into one
/// Linux bridge in the root namespace (which has the subnet's .1, so the test reaches every namespace). Namespace k has
/// 10.213.S.(10+k). Needs root and iproute2; <see cref="SkipReason"/> says when the machine cannot.
/// </summary>
internal sealed class NetworkNamespaces : IDisposable
{
    private readonly string _id;
    private readonly int _subnet;
    private readonly List<string> _namespaces = [];

    private NetworkNamespaces(int count)
    {
        _id = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..5];
        _subnet = Random.Shared.Next(1, 250);
        try
        {
            Ip($"link add {Bridge} type bridge");
            Ip($"addr add 10.213.{_subnet}.1/24 dev {Bridge}");
            Ip($"link set {Bridge} up");
            for (var k = 0; k < count; k++)
            {
                var ns = $"bt{_id}n{k}";
                Ip($"netns add {ns}");
                _namespaces.Add(ns);
                Ip($"link add {HostSide(k)} type veth peer name bt{_id}{k}n");
                Ip($"link set {HostSide(k)} master {Bridge} up");
                Ip($"link set bt{_id}{k}n netns {ns}");
                Ip($"-n {ns} addr add {Address(k)}/24 dev bt{_id}{k}n");
                Ip($"-n {ns} link set bt{_id}{k}n up");
                Ip($"-n {ns} link set lo up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Why this machine cannot run namespace tests, or null when it can (probed once: a namespace and a bridge made and removed).</summary>
    public static string? SkipReason { get; } = Probe();

    private string Bridge => $"bt{_id}br";

    public static NetworkNamespaces Create(int count) => new(count);

    /// <summary>The name of namespace <paramref name="k"/>.</summary>
    public string this[int k] => _namespaces[k];

    /// <summary>The root namespace's address on the namespaces' bridge: where the test's own servers listen for them.</summary>
    public string RootAddress => string.Create(CultureInfo.InvariantCulture, $"10.213.{_subnet}.1");

    /// <summary>Namespace <paramref name="k"/>'s address.</summary>
    public string Address(int k) => string.Create(CultureInfo.InvariantCulture, $"10.213.{_subnet}.{10 + k}");

    /// <summary>Cuts namespace <paramref name="k"/> off the others (its cable pulled: the veth's bridge side goes down), or plugs it back.</summary>
    public void SetLink(int k, bool up) => Ip($"link set {HostSide(k)} {(up ? "up" : "down")}");

    private string HostSide(int k) => $"bt{_id}{k}h";

    public void Dispose()
    {
        foreach (var ns in _namespaces)
        {
            TryIp($"netns del {ns}");
        }

        TryIp($"link del {Bridge}");
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces are Linux's";
        }

        var name = string.Create(CultureInfo.InvariantCulture, $"btprobe{Environment.ProcessId % 100000}");
        try
        {
            Ip($"netns add {name}");
            try
            {
                Ip($"link add {name}b type bridge");
                TryIp($"link del {name}b");
            }
            finally
            {
                TryIp($"netns del {name}");
            }

            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "this machine cannot create network namespaces and bridges (needs root and iproute2): " + e.Message;
        }
    }

    private static void TryIp(string arguments)
    {
        try
        {
            Ip(arguments);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static void Ip(string arguments)
    {
        using var ip = Process.Start(new ProcessStartInfo("ip", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("cannot start ip");
        var error = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        if (ip.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {arguments}: {error.Trim()}");
        }
    }
}

/// <summary>A test on network namespaces: skipped with the reason when the machine cannot create them.</summary>
public sealed class NamespacesFactAttribute : FactAttribute
{
    public NamespacesFactAttribute()
    {
        Skip = NetworkNamespaces.SkipReason;
    }
}
