using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bitten.Simulation.Telegram;
using Bitten.Testing;
using Npgsql;

namespace Bitten.EndToEnd.Tests;

/// <summary>
/// The Telegram bot apart from the engine, as an operator deploys it: the engine (bridge, collector, gateway, web) on
/// PostgreSQL with the bot token but not the bot role, and <c>bitten run --roles bot</c> as a bot edge on the same
/// database, polling a local Bot API. The edge is the one process that talks to Telegram: a command's reply, the
/// signal's alerts (with the deep link made of the edge's getMe), a FIRE press that becomes one fire at the EA and its
/// fill notice all go through it, and the engine's own Bot API address hears nothing. An update that comes while the
/// engine is down waits at the edge, unconfirmed, and is answered once the engine is back.
/// </summary>
public sealed partial class BotEdgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const long Trader = 9301;
    private const long Group = -100_9301;

    [PostgresStoreFact]
    public async Task TheBotApartFromTheEngineCarriesCommandsAlertsAndAFireAndLosesNothingWhileTheEngineIsDown()
    {
        var (connection, drop) = TestPostgres.Fresh("bitten_bot_edge_");
        try
        {
            await Run(connection);
        }
        finally
        {
            drop();
        }
    }

    private static async Task Run(string pg)
    {
        await using var telegram = await SimulatedBotApi.StartAsync();
        await using var engineSide = await SimulatedBotApi.StartAsync();
        string[] store = ["--Storage:Provider=postgres", $"--Storage:ConnectionString={pg}"];
        string[] bot = [$"--Telegram:BotToken={telegram.Token}"];
        string admin;
        using (var add = BittenProcess.Start(["user", "add", "--telegram-id", Trader.ToString(CultureInfo.InvariantCulture), "--tier", "COMMANDER",
            "--uuid", "BOT_EDGE_EA", "--mode", "MANUAL", "--admin", .. store]))
        {
            Assert.True(await add.WaitForExitAsync(Timeout) == 0, add.Output);
            admin = add.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        }

        var (marketIn, command, confirm, web) = (TestPorts.Next(), TestPorts.Next(), TestPorts.Next(), TestPorts.Next());
        string[] engineArgs = ["run", "--roles", "bridge,engine,collector,gateway,web", $"--Zmq:MarketInPort={marketIn}",
            "--Zmq:MarketOutPort=0", "--Zmq:SignalPort=0", "--Zmq:EventPort=0", "--Zmq:EventInPort=0", $"--Zmq:CommandPort={command}",
            $"--Zmq:ConfirmPort={confirm}", $"--Web:Port={web}", "--Status:IntervalSeconds=1",
            "--EliteGuard:GlobalThreshold=100", "--EliteGuard:TuneThreshold=false", $"--Telegram:GroupChatId={Group}",
            // The engine's own Bot API address: it must never be called while the bot runs apart.
            $"--Telegram:ApiBaseUrl={engineSide.BaseUrl}", .. bot, .. store];
        var engine = BittenProcess.Start(engineArgs);
        try
        {
            await engine.WaitForLineAsync(RunningLine(), Timeout);
            using var ea = BittenProcess.Start(["sim-ea", "--uuid", "BOT_EDGE_EA", "--ticks", SharedData.Path("ticks/oanda-fx/eurusd"), "--speed", "max",
                "--loop", "--timestamps", "now", "--host", "127.0.0.1", "--market-port", marketIn.ToString(CultureInfo.InvariantCulture),
                "--command-port", command.ToString(CultureInfo.InvariantCulture), "--confirm-port", confirm.ToString(CultureInfo.InvariantCulture),
                "--SimEa:HeartbeatSeconds=1"]);
            await engine.WaitForLineEverAsync(Connected(), Timeout);
            using var edge = BittenProcess.Start(["run", "--roles", "bot", $"--Web:Upstream=http://127.0.0.1:{web}",
                $"--Telegram:ApiBaseUrl={telegram.BaseUrl}", .. bot, .. store]);
            await edge.WaitForLineAsync(RunningLine(), Timeout);
            Assert.Matches(EdgeLine(), edge.Output);

            // A command: polled by the edge, stepped by the engine, its reply stored and sent by the edge.
            telegram.PushUpdate(SimulatedUpdates.Message(Trader, "/alerts on"));
            await WaitForAsync(telegram, m => m.ChatId == Trader && m.Text.Contains("alert", StringComparison.OrdinalIgnoreCase), edge);

            // A signal: the engine's alerts, the edge's sending, the deep link made of the bot's name from the edge's getMe.
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{web}") };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            await InjectedSignals.PostStoppedOutBuysAsync(api, 1);
            var announced = await WaitForAsync(telegram, m => m.ChatId == Group && m.Text.Contains("EURUSD BUY", StringComparison.Ordinal), edge);
            var alert = await WaitForAsync(telegram, m => m.ChatId == Trader && m.ReplyMarkup?.GetRawText().Contains("\"fire:", StringComparison.Ordinal) == true, edge);
            Assert.StartsWith("https://t.me/bitten_test_bot?start=brief_", Button(announced, 0, 0).GetProperty("url").GetString(), StringComparison.Ordinal);
            var fire = Button(alert, 0, 0).GetProperty("callback_data").GetString()!;
            var missionId = fire["fire:".Length..];

            // FIRE pressed in Telegram: one fire at the EA, the press answered by the edge, the fill told.
            telegram.PushUpdate(SimulatedUpdates.Callback(Trader, fire, alert.MessageId));
            await WaitForAsync(telegram, m => m.ChatId == Trader && m.Text.Contains("Filled", StringComparison.Ordinal), edge);
            var answered = await telegram.WaitForCallAsync("answerCallbackQuery", Timeout);
            Assert.Equal($"q{alert.MessageId}", answered.Parameters["callback_query_id"]);
            await using (var db = NpgsqlDataSource.Create(pg))
            {
                Assert.Equal(1, TestPostgres.Count(db, $"SELECT COUNT(*) FROM fires WHERE mission_id = '{missionId}'"));
            }

            // The engine away: an update waits at the edge (not confirmed to Telegram) and is answered once it is back.
            Assert.Equal(0, await engine.TerminateAsync(Timeout));
            engine.Dispose();
            telegram.PushUpdate(SimulatedUpdates.Message(Trader, "/help"));
            await edge.WaitForLineEverAsync(Unreachable(), Timeout);
            engine = BittenProcess.Start(engineArgs);
            await engine.WaitForLineAsync(RunningLine(), Timeout);
            var help = await WaitForAsync(telegram, m => m.ChatId == Trader && m.Text.Contains("/mode", StringComparison.Ordinal), edge);
            Assert.Equal(1, telegram.Messages.Count(m => m.Text == help.Text));

            Assert.Empty(engineSide.Calls);
            Assert.Equal(0, await ea.TerminateAsync(Timeout));
            var stats = FinalStats().Match(ea.Output);
            Assert.True(stats.Success, ea.Output);
            Assert.Equal(("1", "0"), (stats.Groups["received"].Value, stats.Groups["repeated"].Value));
            Assert.Equal(0, await edge.TerminateAsync(Timeout));
            Assert.Equal(0, await engine.TerminateAsync(Timeout));
        }
        finally
        {
            engine.Dispose();
        }
    }

    private static JsonElement Button(SimulatedMessage message, int row, int column)
    {
        Assert.True(message.ReplyMarkup is not null, $"no buttons under: {message.Text}");
        return message.ReplyMarkup.Value.GetProperty("inline_keyboard")[row][column];
    }

    /// <summary>The first message the Bot API received that matches, once it has come; the edge's output with a timeout.</summary>
    private static async Task<SimulatedMessage> WaitForAsync(SimulatedBotApi telegram, Func<SimulatedMessage, bool> match, BittenProcess edge)
    {
        try
        {
            return await telegram.WaitForMessageAsync(match, Timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nbot edge:\n{edge.Output}", e);
        }
    }

    [GeneratedRegex(@"^BITTEN running\.")]
    private static partial Regex RunningLine();

    [GeneratedRegex(@"bot edge: Telegram's updates to the engine's web at http://127\.0\.0\.1:\d+")]
    private static partial Regex EdgeLine();

    [GeneratedRegex(@"EA BOT_EDGE_EA connected")]
    private static partial Regex Connected();

    [GeneratedRegex(@"could not go to the engine at http://127\.0\.0\.1:\d+/: engine unreachable")]
    private static partial Regex Unreachable();

    [GeneratedRegex(@"fires received (?<received>\d+), filled \d+, rejected \d+, repeated fire ids (?<repeated>\d+), open \d+")]
    private static partial Regex FinalStats();
}
