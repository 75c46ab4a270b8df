using Bitten.Cli.Commands;

namespace Bitten.Cli;

/// <summary>The <c>bitten</c> command line: picks a subcommand and hands it the rest of the arguments.</summary>
public static class BittenCli
{
    public const string Usage = """
        bitten — BITTEN FX signal and execution platform

        usage: bitten <command> [options] [--Section:Key=value ...]

        commands:
          run        the whole system on the embedded default: bridge, kernel, Elite Guard, missions and fires, the
                     EA ports, the web API on 8888 and a simulated EA (paper broker) replaying bundled real ticks,
                     with a live status line (--no-sim: without the simulated EA)
          bridge     the EA market-data bridge alone (PULL 5556 → PUB 5560)
          sim-ea     a simulated EA: --uuid X --ticks <files or folders> [--speed 1|60|max] [--loop]
                     [--timestamps now|original] [--start-at HH:mm] [--symbol S] [--tz-offset H] [--host H]
                     [--market-port P] [--command-port P] [--confirm-port P] [--curve-server-key K]
          curve-keygen  a CURVE key pair: the secret for BITTEN_Zmq__CurveSecretKey, the public key for EAs
          indicators  --input ohlc.csv --name BB|EMA|RSI|ATR|KELTNER|KALMAN [--params 20,2]: an indicator over a CSV
                     of bars (comma or tab, header naming date/open/high/low/close), as CSV on stdout
          backtest   --ticks <files or folders> [--symbols EURUSD,XAUUSD] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                     [--tz-offset H] [--json out.json] [--html report.html]: the kernel over recorded ticks, per-pattern stats
          user       users in the Storage database (--Storage:ConnectionString, default ./data/bitten.db):
                     user add --telegram-id N --tier T [--uuid EA_UUID] [--mode AUTO] [--admin]  (prints the API token last)
                     user list | user token --telegram-id N | user pair --telegram-id N  (a 15-minute EA pairing code)
                     user set --telegram-id N [--tier T] [--mode M] [--band 80-89] [--slots 10] [--risk 5] [--uuid U]
          db         db migrate: apply the Storage database's missing migrations (also done at start) and list them
          stop       stop --soft|--hard [--url U] [--token T | BITTEN_API_TOKEN]: emergency stop of the running server
                     (SOFT: no new fires; HARD: also close every position); resume lifts it
          bench      bench ingest [--ticks N] [--runs N] [--no-baseline]: bridge throughput and latency vs a pyzmq relay
                     bench replay [--ticks PATH] [--passes N]: single-thread replay through the signal engine
                     bench fire [--users N] [--signals N]: signal → fire at N EAs, and the confirmation round trip

        Every option can also come from appsettings.json, BITTEN_<Section>__<Key> environment variables
        or --<Section>:<Key>=value, e.g. --Zmq:MarketInPort=15556.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        var rest = args[1..];
        try
        {
            return args[0] switch
            {
                "run" => await RunCommand.RunAsync(rest),
                "bridge" => await BridgeCommand.RunAsync(rest),
                "sim-ea" => await SimEaCommand.RunAsync(rest),
                "bench" => await BenchCommand.RunAsync(rest),
                "backtest" => BacktestCommand.Run(rest),
                "curve-keygen" => CurveKeygen(),
                "indicators" => IndicatorsCommand.Run(rest),
                "user" => UserCommand.Run(rest),
                "db" => DbCommand.Run(rest),
                "stop" => await StopCommand.RunAsync(rest, resume: false),
                "resume" => await StopCommand.RunAsync(rest, resume: true),
                _ => Fail($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException e)
        {
            return Fail(e.Message);
        }
    }

    private static int CurveKeygen()
    {
        var (publicKey, secretKey) = Bitten.Zmq.ZmqCurve.GenerateKeyPair();
        Console.WriteLine($"public {publicKey}");
        Console.WriteLine($"secret {secretKey}");
        Console.Error.WriteLine("Give EAs the public key. Keep the secret out of the repository: BITTEN_Zmq__CurveSecretKey=<secret>.");
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"bitten: {message}");
        Console.Error.WriteLine("run 'bitten --help' for the commands and options");
        return 2;
    }
}

/// <summary>A mistake in the command line or configuration, reported as such (exit code 2), not as a crash.</summary>
public sealed class UsageException(string message) : Exception(message);
