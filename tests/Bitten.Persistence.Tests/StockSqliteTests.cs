using System.Diagnostics;
using System.Globalization;
using Bitten.Domain.Events;
using Bitten.Persistence.Events;

namespace Bitten.Persistence.Tests;

/// <summary>
/// The store as an operator opens it: with Debian's stock <c>sqlite3</c> shell and Python's <c>sqlite3</c> module, both
/// on the system's SQLite (3.40 on Debian 12), older than the one the server is built with. Whatever the migrations
/// create must parse there, or neither tool opens the file at all (PRODUCT.md §7).
/// </summary>
public sealed class StockSqliteTests : IDisposable
{
    private const string Shell = "/usr/bin/sqlite3";
    private const string Python = "/usr/bin/python3";
    private const long T0 = 1_763_000_000_000;

    private static readonly EventEnvelope[] Appended =
    [
        new(EventTypes.SignalGenerated, T0, "elite_guard",
            """{"signal_id":"S1","symbol":"EURUSD","direction":"BUY","confidence":84.5,"pattern_type":"VCB_BREAKOUT","entry_price":1.08412,"stop_pips":10,"target_pips":15,"expires_at":1763001800000}"""),
        new(EventTypes.MissionCreated, T0 + 1, "execution", """{"mission_id":"M1","signal_id":"S1","user_id":42}""", UserId: "42"),
        new(EventTypes.FireCommand, T0 + 2, "execution",
            """{"fire_id":"F1","signal_id":"S1","user_id":42,"symbol":"EURUSD","direction":"BUY","lot_size":0.12,"execution_mode":"AUTO","sl_price":1.08312,"tp_price":1.08562,"note":"a \"user_id\": in a string"}""",
            CorrelationId: "S1", UserId: "42"),
        new(EventTypes.SystemHealth, T0 + 3, "bridge", """{"component":"bridge","status":"running","uptime":12.5}"""),
    ];

    private readonly SqliteTestStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task TheStockShellOpensTheStoreCountsItsEventsAndReadsTheirJsonBack()
    {
        await WriteStoreAsync();

        var output = await RunAsync(Shell, null, "-batch", "-bail", _store.Path,
            "SELECT count(*) FROM events; SELECT data_json FROM events_json WHERE event_type = 'fire_command'; PRAGMA integrity_check;");

        Assert.Equal([Appended.Length.ToString(CultureInfo.InvariantCulture), Appended[2].DataJson, "ok"], Lines(output));
    }

    [Fact]
    public async Task PythonsSqliteModuleOpensTheStoreAndEveryRowOfTheViewIsTheJsonAppended()
    {
        await WriteStoreAsync();
        const string script = """
            import json, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute("SELECT count(*) FROM events").fetchone()[0])
            for (data,) in db.execute("SELECT data_json FROM events_json ORDER BY id"):
                json.loads(data)
                print(data)
            """;

        var output = await RunAsync(Python, script, "-", _store.Path);

        Assert.Equal([Appended.Length.ToString(CultureInfo.InvariantCulture), .. Appended.Select(e => e.DataJson)], Lines(output));
    }

    /// <summary>A real store, written as the server writes it: through the event log, its keys packed.</summary>
    private async Task WriteStoreAsync()
    {
        using var database = _store.Open();
        await using (var log = new EventLog(database, _store.Time))
        {
            foreach (var e in Appended)
            {
                log.Append(e);
            }

            await log.FlushAsync();
        }

        // The packing is really there for the tools to undo: the stored row is not the JSON appended.
        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data_json FROM events WHERE type_code = (SELECT code FROM event_types WHERE name = 'fire_command')";
        Assert.NotEqual(Appended[2].DataJson, command.ExecuteScalar());
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs a stock tool to completion (with <paramref name="stdin"/> as its input) and returns its stdout; fails with its stderr.</summary>
    private static async Task<string> RunAsync(string program, string? stdin, params string[] args)
    {
        if (!File.Exists(program))
        {
            throw new InvalidOperationException($"{program} is missing: scripts/setup.sh --test installs it");
        }

        var info = new ProcessStartInfo(program, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A pyenv or virtualenv on the PATH must not shadow Debian's own modules.
        info.Environment.Remove("PYTHONPATH");
        info.Environment.Remove("PYTHONHOME");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + program);
        await process.StandardInput.WriteAsync(stdin ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within a minute: {await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
