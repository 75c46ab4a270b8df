using Bitten.Cli.Commands;
using Bitten.Cli.Hosting;
using Bitten.Host;
using Bitten.Host.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Bitten.Cli;

/// <summary>
/// The <c>bitten</c> command line: parses, hands the command its flags and the configuration overrides, and turns
/// every mistake into a sentence and exit code 2 (usage on stderr), never a stack trace.
/// </summary>
public static partial class BittenCli
{
    public const string ConfigurationNote =
        "Every option can also come from appsettings.json, BITTEN_<Section>__<Key> environment variables or --<Section>:<Key>=value, e.g. --Zmq:MarketInPort=15556.";

    private static readonly HashSet<string> Groups = new(StringComparer.Ordinal) { "user", "db", "bench" };

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Help([]));
            return 2;
        }

        var (command, overrides) = Overrides.Split(args is ["help", .. var rest] ? ["--help", .. rest] : args);
        if (command is [var group, .. var more] && Groups.Contains(group) && (more.Length == 0 || more[0] is not ("-h" or "--help") && more[0].StartsWith('-')))
        {
            // The parser would show the group's help and exit 1; a group without its command is a usage mistake.
            return Usage($"'{group}' needs a command.", command);
        }

        var app = new CommandApp();
        app.Configure(config => Configure(config, overrides, AnsiConsole.Console));
        try
        {
            return await app.RunAsync(command);
        }
        catch (CommandParseException e)
        {
            return Usage(e.Message, command);
        }
        catch (CommandRuntimeException e)
        {
            return Usage(Worded(e.Message, command), command);
        }
        catch (UsageException e)
        {
            return Fail(e.Message, command);
        }
        catch (ConfigurationException e)
        {
            return Fail(e.Message, command);
        }
        catch (StartupException e)
        {
            Console.Error.WriteLine($"bitten: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or OverflowException
            or System.Data.Common.DbException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            // A file that is not there or not readable, a number that is not one, a database or a helper program out of
            // reach, a bench that timed out: the operator's to fix, said plainly.
            return Fail(e.Message, command);
        }
    }

    private static void Configure(IConfigurator config, Overrides overrides, IAnsiConsole console)
    {
        config.SetApplicationName("bitten");
        config.Settings.Console = console;
        config.Settings.StrictParsing = true;
        config.PropagateExceptions();
        config.AddExample("run");
        config.AddExample("run", "--no-sim", "--Zmq:MarketInPort=15556");
        config.AddCommand<RunCommand>("run").WithData(overrides)
            .WithDescription("The whole system on the embedded default: bridge, kernel, Elite Guard, missions and fires, the EA ports, the web API on 8888 and a simulated EA (paper broker) replaying bundled real ticks, with a live status line. " + ConfigurationNote);
        config.AddCommand<BridgeCommand>("bridge").WithData(overrides)
            .WithDescription("The EA market-data bridge alone (PULL 5556 → PUB 5560).");
        config.AddCommand<SimEaCommand>("sim-ea").WithData(overrides)
            .WithDescription("A simulated EA replaying recorded ticks against a running server.")
            .WithExample("sim-ea", "--uuid", "EA_1", "--ticks", "demo/ticks", "--speed", "60", "--loop");
        config.AddBranch("keys", keys =>
        {
            keys.SetDescription("CURVE keys for the ZeroMQ ports.");
            keys.AddCommand<KeysGenerateCommand>("generate")
                .WithDescription("A CURVE key pair: the secret for BITTEN_Zmq__CurveSecretKey, the public key for EAs.");
        });
        // The command's name before `keys generate`, kept so scripts and notes that use it still work.
        config.AddCommand<KeysGenerateCommand>("curve-keygen").IsHidden()
            .WithDescription("The same as keys generate.");
        config.AddCommand<IndicatorsCommand>("indicators")
            .WithDescription("An indicator over a CSV of bars (comma or tab, header naming date/open/high/low/close), as CSV on stdout.")
            .WithExample("indicators", "--input", "ohlc.csv", "--name", "BB", "--params", "20,2");
        config.AddCommand<BacktestCommand>("backtest").WithData(overrides)
            .WithDescription("The kernel over recorded ticks, with per-pattern statistics.")
            .WithExample("backtest", "--ticks", "eurusd/", "xauusd/", "--from", "2024-01-01", "--json", "out.json", "--html", "report.html");
        config.AddBranch("user", user =>
        {
            user.SetDescription("Users in the Storage database (--Storage:ConnectionString, default ./data/bitten.db).");
            user.AddCommand<UserAddCommand>("add").WithData(overrides).WithDescription("Add a user; prints the API token last (shown once).");
            user.AddCommand<UserListCommand>("list").WithData(overrides).WithDescription("Every user, as a table.");
            user.AddCommand<UserSetCommand>("set").WithData(overrides).WithDescription("Change a user's tier, mode, auto-fire band, slots, risk or EA.");
            user.AddCommand<UserTokenCommand>("token").WithData(overrides).WithDescription("A new API token for a user (the old one stops working).");
            user.AddCommand<UserPairCommand>("pair").WithData(overrides).WithDescription("A 15-minute EA pairing code for a user.");
            user.AddCommand<UserLoginLinkCommand>("login-link").WithData(overrides)
                .WithDescription("A one-time web login link for a user (10 minutes, once): {Web:PublicUrl}/login?token=…");
        });
        config.AddCommand<ChatCommand>("chat").WithData(overrides)
            .WithDescription("The Telegram bot's commands in the terminal, as one user in a private chat, on the configured store (engine in-process); !DATA presses a button.")
            .WithExample("chat", "--telegram-id", "101");
        config.AddBranch("db", db =>
        {
            db.SetDescription("The Storage database.");
            db.AddCommand<DbMigrateCommand>("migrate").WithData(overrides)
                .WithDescription("Apply the missing migrations (also done at start) and list them.");
        });
        config.AddCommand<StopCommand>("stop").WithData(overrides)
            .WithDescription("Emergency stop of the running server (SOFT: no new fires; HARD: also close every position); resume lifts it.");
        config.AddCommand<ResumeCommand>("resume").WithData(overrides)
            .WithDescription("Lift the emergency stop of the running server.");
        config.AddBranch("bench", bench =>
        {
            bench.SetDescription("End-to-end benchmarks of this machine.");
            bench.AddCommand<BenchIngestCommand>("ingest").WithDescription("Bridge throughput and latency vs a pyzmq relay.");
            bench.AddCommand<BenchReplayCommand>("replay").WithDescription("Single-thread replay through the signal engine.");
            bench.AddCommand<BenchWebCommand>("web").WithDescription("wrk against /healthz, the analytics and a HUD page, beside bare Kestrel.");
            bench.AddCommand<BenchFireCommand>("fire").WithDescription("Signal → fire at N EAs, and the confirmation round trip.");
            bench.AddCommand<BenchTelegramCommand>("telegram").WithDescription("One signal's alert to N users through the outbox at the flood limit.");
            bench.AddCommand<BenchSoakCommand>("soak").WithDescription("The whole server under steady load for minutes: memory and live state, flat or growing.");
            bench.AddCommand<BenchEventsCommand>("events").WithDescription("Event log append and commit throughput (SQLite, and PostgreSQL when given).");
        });
    }

    /// <summary>The help of the deepest command <paramref name="command"/> names (the whole tool's when it names none).</summary>
    private static string Help(string[] command)
    {
        var words = command.TakeWhile(w => !w.StartsWith('-')).Take(2).ToList();
        for (var n = words.Count; n >= 0; n--)
        {
            using var text = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(text),
            });
            console.Profile.Width = 120;
            var app = new CommandApp();
            app.Configure(config => Configure(config, new Overrides([]), console));
            try
            {
                if (app.Run([.. words.Take(n), "--help"]) == 0)
                {
                    return text.ToString().TrimEnd();
                }
            }
            catch (CommandParseException)
            {
                // Not a command: try the one above it.
            }
        }

        return "";
    }

    /// <summary>
    /// The parser's "Failed to convert 'many' to Int32." names neither the option nor what it wants; said as the option
    /// and the kind of value it takes (the value's option is the word before it on the command line).
    /// </summary>
    internal static string Worded(string message, IReadOnlyList<string> command)
    {
        var match = ConversionFailure().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var value = match.Groups["value"].Value;
        var at = Enumerable.Range(1, Math.Max(0, command.Count - 1)).FirstOrDefault(i => command[i] == value && command[i - 1].StartsWith("--", StringComparison.Ordinal));
        var kind = match.Groups["type"].Value is "Int32" or "Int64" ? "a whole number" : "a number";
        return at > 0 ? $"{command[at - 1]} must be {kind}, not '{value}'" : $"'{value}' is not {kind}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Failed to convert '(?<value>.*)' to (?<type>Int32|Int64|Double|Decimal)\.?$")]
    private static partial System.Text.RegularExpressions.Regex ConversionFailure();

    private static int Usage(string message, string[] command)
    {
        Console.Error.WriteLine($"bitten: {message}");
        Console.Error.WriteLine();
        Console.Error.WriteLine(Help(command));
        return 2;
    }

    private static int Fail(string message, string[] command)
    {
        Console.Error.WriteLine($"bitten: {message}");
        var words = string.Join(' ', command.TakeWhile(w => !w.StartsWith('-')).Take(2));
        Console.Error.WriteLine($"run 'bitten {(words.Length > 0 ? words + " " : "")}--help' for the options");
        return 2;
    }
}

/// <summary>A mistake in the command line or configuration, reported as such (exit code 2), not as a crash.</summary>
public sealed class UsageException(string message) : Exception(message);
