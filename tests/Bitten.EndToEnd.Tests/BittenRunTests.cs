using System.Globalization;
using System.Text.RegularExpressions;
using Bitten.Testing;
using Bitten.Wire.Ea;
using Bitten.Zmq;

namespace Bitten.EndToEnd.Tests;

/// <summary><c>bitten run</c> as a user runs it: a real process on the embedded default.</summary>
public sealed partial class BittenRunTests
{
    [Fact]
    public async Task RunShowsTicksFlowingAndStopsCleanly()
    {
        using var bitten = BittenProcess.Start(
        [
            "run", "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0",
            "--Zmq:CommandPort=0", "--Zmq:ConfirmPort=0", "--Status:IntervalSeconds=1",
        ]);
        var banner = await bitten.WaitForLineAsync(BannerLine(), TimeSpan.FromSeconds(30));
        var outPort = int.Parse(banner.Groups["out"].Value, CultureInfo.InvariantCulture);

        // The demo user's login link names the port the web host really bound (port 0 here) and opens a session.
        var demo = await bitten.WaitForLineEverAsync(DemoLoginLine(), TimeSpan.FromSeconds(30));
        using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        using (var login = await browser.GetAsync(new Uri(demo.Groups["url"].Value)))
        {
            Assert.Equal((System.Net.HttpStatusCode.SeeOther, "/"), (login.StatusCode, login.Headers.Location?.OriginalString));
            Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bitten_session=", StringComparison.Ordinal));
        }

        // A subscriber on the output port sees real ticks, as any external consumer would.
        using var context = new ZmqContext();
        using var sub = context.CreateSocket(ZmqSocketType.Sub);
        sub.Subscribe([]);
        sub.ReceiveTimeout = 15_000;
        sub.Connect($"tcp://127.0.0.1:{outPort}");

        // Waits for the event itself; the deadline only turns a hang into a failure (a slow, shared CI machine is fine).
        var deadline = TimeSpan.FromSeconds(120);
        Match flowing;
        do
        {
            var left = deadline - bitten.Started.Elapsed;
            Assert.True(left > TimeSpan.Zero, $"hung: no status line showed ticks flowing within {deadline}; output so far:\n{bitten.Output}");
            flowing = await bitten.WaitForLineAsync(StatusLine(), left);
        }
        while (double.Parse(flowing.Groups["rate"].Value, CultureInfo.InvariantCulture) <= 0 || flowing.Groups["in"].Value == "0");

        // The handshake, heartbeats and the EA's OHLC history bars are republished too; the first tick is what this checks.
        EaMessage? message;
        do
        {
            message = EaMessageParser.Parse(sub.ReceiveFrame()).Message;
            Assert.NotNull(message);
        }
        while (message is EaTelemetry or EaBar);

        var tick = Assert.IsType<EaTick>(message);
        Assert.Contains(tick.Symbol, new[] { "EURUSD", "XAUUSD" });
        Assert.True(tick.Ask >= tick.Bid);

        Assert.Equal(0, await bitten.TerminateAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("Stopped. Bridge:", bitten.Output, StringComparison.Ordinal);
        Assert.Contains("rejected: none", bitten.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortsComeFromEnvironmentVariables()
    {
        var port = TestPorts.Next();
        using var bitten = BittenProcess.Start(["run", "--no-sim", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0"], new Dictionary<string, string>
        {
            ["BITTEN_Zmq__MarketInPort"] = port.ToString(CultureInfo.InvariantCulture),
        });
        var banner = await bitten.WaitForLineAsync(BannerLine(), TimeSpan.FromSeconds(30));
        Assert.Equal(port, int.Parse(banner.Groups["in"].Value, CultureInfo.InvariantCulture));
        Assert.Contains("Waiting for EAs", bitten.Output, StringComparison.Ordinal);
        Assert.Equal(0, await bitten.TerminateAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task RunWithCurveKeepsTheSimulatedEaConnected()
    {
        var (_, secret) = ZmqCurve.GenerateKeyPair();
        using var bitten = BittenProcess.Start(
            ["run", "--Zmq:MarketInPort=0", "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0", "--Zmq:CommandPort=0", "--Zmq:ConfirmPort=0",
                "--Status:IntervalSeconds=1"],
            new Dictionary<string, string> { ["BITTEN_Zmq__CurveSecretKey"] = secret });
        Match status;
        do
        {
            status = await bitten.WaitForLineAsync(StatusLine(), TimeSpan.FromSeconds(20));
        }
        while (status.Groups["in"].Value == "0");

        Assert.Equal(0, await bitten.TerminateAsync(TimeSpan.FromSeconds(20)));
        Assert.DoesNotContain(secret, bitten.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Zmq:MarketInPort=70000", "MarketInPort")]
    [InlineData("--Zmq:MarketInPort=abc", "bad configuration value")]
    [InlineData("--Zmq:NoSuchPort=1", "NoSuchPort")]
    [InlineData("--bogus", "bitten: Unknown option 'bogus'")]
    public async Task RefusesBadConfigurationWithAReason(string argument, string expected)
    {
        using var bitten = BittenProcess.Start(["run", argument]);
        Assert.Equal(2, await bitten.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(expected, bitten.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulatedEaProcessFeedsTheBridgeProcess()
    {
        var inPort = TestPorts.Next();
        using var bridge = BittenProcess.Start(["bridge", $"--Zmq:MarketInPort={inPort}", "--Zmq:MarketOutPort=0", "--Status:IntervalSeconds=1"]);
        await bridge.WaitForLineAsync(new Regex("Bridge running"), TimeSpan.FromSeconds(30));
        var ticks = Testing.SharedData.Path("ticks/oanda-fx/nzdusd/20140505_quote.zip");
        var expected = new Simulation.Replay.TickFile(ticks, "NZDUSD", Simulation.Replay.TickFileFormat.LeanZip, new DateOnly(2014, 5, 5), TimeSpan.Zero).Load().Length;

        using var ea = BittenProcess.Start(["sim-ea", "--uuid", "E2E_EA", "--ticks", ticks, "--speed", "max", "--market-port", inPort.ToString(CultureInfo.InvariantCulture),
            "--command-port", TestPorts.Next().ToString(CultureInfo.InvariantCulture), "--confirm-port", TestPorts.Next().ToString(CultureInfo.InvariantCulture)]);
        var done = await ea.WaitForLineAsync(new Regex(@"done, (?<n>\d+) ticks"), TimeSpan.FromSeconds(60));
        Assert.Equal(expected, int.Parse(done.Groups["n"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(0, await ea.WaitForExitAsync(TimeSpan.FromSeconds(20)));

        // handshake + ticks + DISCONNECT; the status line shows them once they are all in.
        var total = expected + 2;
        Match status;
        do
        {
            status = await bridge.WaitForLineAsync(StatusLine(), TimeSpan.FromSeconds(20));
        }
        while (int.Parse(status.Groups["in"].Value, CultureInfo.InvariantCulture) < total);

        Assert.Equal(0, await bridge.TerminateAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains($"{total} received, {total} published, rejected: none", bridge.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Demo login for user \d+ \(valid 10 minutes, once\): (?<url>http://127\.0\.0\.1:[1-9]\d*/login\?token=[A-Za-z0-9_-]{43})$")]
    private static partial Regex DemoLoginLine();

    [GeneratedRegex(@"market in (?<in>\d+),.* out on (?<out>\d+)[.;]")]
    private static partial Regex BannerLine();

    [GeneratedRegex(@"ticks/s.*? (?<rate>\d+\.\d)(?: |$).*\| in (?<in>\d+) out")]
    private static partial Regex StatusLine();
}
