namespace Bitten.Gateway;

/// <summary>The ZeroMQ ports of PRODUCT.md §2 (section <c>Zmq</c>). Port 0 binds a random free port (tests).</summary>
public sealed class ZmqOptions
{
    public const string Section = "Zmq";

    public string BindHost { get; set; } = "127.0.0.1";

    public int CommandPort { get; set; } = 5555;

    public int MarketInPort { get; set; } = 5556;

    public int SignalPort { get; set; } = 5557;

    public int ConfirmPort { get; set; } = 5558;

    public int MarketOutPort { get; set; } = 5560;

    public int EventPort { get; set; } = 5570;

    public int EventInPort { get; set; } = 5571;

    /// <summary>
    /// The server's CURVE secret key (40 Z85 characters; `bitten curve-keygen` makes a pair). When set, every bound
    /// socket requires CURVE: EAs must connect with the server's public key. Set it from the environment
    /// (BITTEN_Zmq__CurveSecretKey), never in a committed file.
    /// </summary>
    public string? CurveSecretKey { get; set; }

    /// <summary>Makes <paramref name="socket"/> a CURVE server when a secret key is configured; call before Bind.</summary>
    public void Secure(Bitten.Zmq.ZmqSocket socket)
    {
        if (!string.IsNullOrEmpty(CurveSecretKey))
        {
            socket.SetCurveServer(CurveSecretKey);
        }
    }

    /// <summary>The endpoint a server socket binds for <paramref name="port"/>.</summary>
    public string BindEndpoint(int port) => $"tcp://{BindHost}:{(port == 0 ? "*" : port)}";

    /// <summary>The endpoint a local client connects to for <paramref name="port"/>.</summary>
    public string ConnectEndpoint(int port) => $"tcp://{ConnectHost}:{port}";

    /// <summary>Where a client in this process connects: loopback when the ports bind every interface.</summary>
    public string ConnectHost => BindHost is "0.0.0.0" or "*" ? "127.0.0.1" : BindHost;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(BindHost))
        {
            yield return "Zmq:BindHost must be set (127.0.0.1 by default)";
        }

        if (!string.IsNullOrEmpty(CurveSecretKey) && (CurveSecretKey.Length != 40 || !System.Text.Ascii.IsValid(CurveSecretKey)))
        {
            yield return "Zmq:CurveSecretKey must be 40 Z85 characters (bitten curve-keygen makes a pair)";
        }

        var ports = new (string Name, int Port)[]
        {
            ("CommandPort", CommandPort), ("MarketInPort", MarketInPort), ("SignalPort", SignalPort), ("ConfirmPort", ConfirmPort),
            ("MarketOutPort", MarketOutPort), ("EventPort", EventPort), ("EventInPort", EventInPort),
        };
        foreach (var (name, port) in ports)
        {
            if (port is < 0 or > 65535)
            {
                yield return $"Zmq:{name} must be a port number (0-65535), not {port}";
            }
        }

        foreach (var clash in ports.Where(p => p.Port != 0).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            yield return $"Zmq: {string.Join(" and ", clash.Select(c => c.Name))} share port {clash.Key}";
        }
    }
}
