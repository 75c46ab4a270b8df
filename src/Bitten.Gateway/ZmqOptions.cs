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
    /// The server's CURVE secret key (40 Z85 characters; `bitten keys generate` makes a pair). When set, every bound
    /// socket requires CURVE: EAs must connect with the server's public key. Set it from the environment
    /// (BITTEN_Zmq__CurveSecretKey), never in a committed file.
    /// </summary>
    public string? CurveSecretKey { get; set; }

    /// <summary>
    /// When the ports require CURVE: <see cref="CurveMode.Auto"/> (the default) whenever <see cref="BindHost"/> is not
    /// loopback — an EA's ticks and fires then cross a network, so start refuses without a key —, <see cref="CurveMode.On"/>
    /// always, <see cref="CurveMode.Off"/> never (a network the operator vouches for; logged as a warning at start).
    /// </summary>
    public CurveMode Curve { get; set; } = CurveMode.Auto;

    /// <summary>Whether the bound sockets must be CURVE servers (and so a key must be set).</summary>
    public bool CurveRequired => Curve == CurveMode.On || (Curve == CurveMode.Auto && !IsLoopback(BindHost));

    /// <summary>Whether the bound sockets are CURVE servers.</summary>
    public bool CurveEnabled => Curve != CurveMode.Off && !string.IsNullOrEmpty(CurveSecretKey);

    /// <summary>The public key clients of these ports connect with (derived from the secret), or null when CURVE is off.</summary>
    public string? CurvePublicKey => CurveEnabled ? Bitten.Zmq.ZmqCurve.PublicKeyOf(CurveSecretKey!) : null;

    /// <summary>
    /// ZMTP heartbeats on every port: a PING this often, and a connection silent for <see cref="PingTimeoutSeconds"/> is
    /// closed. A pulled cable is noticed in that time instead of after minutes of TCP retransmission, the EA dials again,
    /// and the link is back within a moment of the network (docs/operations.md).
    /// </summary>
    public int PingSeconds { get; set; } = 5;

    /// <summary>How long a connection may carry nothing, not even a PING, before it is closed as dead.</summary>
    public int PingTimeoutSeconds { get; set; } = 15;

    /// <summary>Makes <paramref name="socket"/> one of our bound sockets: a CURVE server when CURVE is on, with ZMTP heartbeats; call before Bind.</summary>
    public void Serve(Bitten.Zmq.ZmqSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (CurveEnabled)
        {
            socket.SetCurveServer(CurveSecretKey!);
        }

        socket.Heartbeat(TimeSpan.FromSeconds(PingSeconds), TimeSpan.FromSeconds(PingTimeoutSeconds));
    }

    /// <summary>
    /// Makes <paramref name="socket"/> a client of another BITTEN machine's ports (an engine's SUB to its bridge): CURVE
    /// with this deployment's key when on, heartbeats, and a connect that gives up and dials again after the timeout.
    /// </summary>
    public void Dial(Bitten.Zmq.ZmqSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (CurvePublicKey is { } serverKey)
        {
            var (clientPublic, clientSecret) = Bitten.Zmq.ZmqCurve.GenerateKeyPair();
            socket.SetCurveClient(serverKey, clientPublic, clientSecret);
        }

        socket.Heartbeat(TimeSpan.FromSeconds(PingSeconds), TimeSpan.FromSeconds(PingTimeoutSeconds));
    }

    /// <summary>127.0.0.0/8, ::1 and localhost; every other address (0.0.0.0 and * included) reaches past this machine.</summary>
    public static bool IsLoopback(string? host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host?.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

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
            yield return "Zmq:CurveSecretKey must be 40 Z85 characters (bitten keys generate makes a pair)";
        }

        if (!Enum.IsDefined(Curve))
        {
            yield return $"Zmq:Curve must be auto, on or off, not {Curve}";
        }
        else if (CurveRequired && string.IsNullOrEmpty(CurveSecretKey))
        {
            yield return Curve == CurveMode.On
                ? "Zmq:Curve is on but no Zmq:CurveSecretKey is set, so the ports cannot speak CURVE: set it from the environment (BITTEN_Zmq__CurveSecretKey; bitten keys generate makes a pair)"
                : $"Zmq:BindHost {BindHost} is not loopback, so the EA ports need CURVE: set Zmq:CurveSecretKey from the environment "
                  + "(BITTEN_Zmq__CurveSecretKey; bitten keys generate makes a pair), or Zmq:Curve=off for a network you trust";
        }
        else if (Curve == CurveMode.Off && !string.IsNullOrEmpty(CurveSecretKey))
        {
            yield return "Zmq:Curve is off but Zmq:CurveSecretKey is set: remove the key or set Zmq:Curve to auto";
        }

        if (PingSeconds is < 1 or > 3600)
        {
            yield return $"Zmq:PingSeconds must be between 1 and 3600, not {PingSeconds}";
        }
        else if (PingTimeoutSeconds <= PingSeconds || PingTimeoutSeconds > 3600)
        {
            yield return $"Zmq:PingTimeoutSeconds must be longer than Zmq:PingSeconds ({PingSeconds}) and at most 3600, not {PingTimeoutSeconds}";
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

/// <summary>When the ZeroMQ ports require CURVE (<see cref="ZmqOptions.Curve"/>).</summary>
public enum CurveMode
{
    /// <summary>Whenever the ports bind an address that is not loopback.</summary>
    Auto,

    /// <summary>Always: a key must be set.</summary>
    On,

    /// <summary>Never, even off loopback.</summary>
    Off,
}
