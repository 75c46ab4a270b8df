using System.Text.RegularExpressions;
using Bitten.Domain.Users;
using Bitten.Persistence;
using Microsoft.Data.Sqlite;

namespace Bitten.EndToEnd.Tests;

/// <summary><c>bitten user</c> as an operator runs it: real processes against one database file.</summary>
public sealed class UserCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("bitten-users-");

    private string DatabasePath => Path.Combine(_temp.FullName, "db", "bitten.db");

    [Fact]
    public async Task TheTokenOnTheLastLineOfAddAuthenticatesThatUser()
    {
        var (exit, output) = await RunAsync("user", "add", "--telegram-id", "1001", "--tier", "commander", "--mode", "AUTO", "--uuid", "EA-1", "--admin");

        Assert.Equal(0, exit);
        var lines = Lines(output);
        Assert.Equal("user 1: telegram 1001 COMMANDER ADMIN AUTO band 80-89 slots 10 risk 5% EA EA-1", lines[^2]);
        using var database = new SqliteDatabase($"Data Source={DatabasePath}");
        var user = new UserStore(database, TimeProvider.System).Authenticate(lines[^1]);
        Assert.NotNull(user);
        Assert.Equal((1001L, Tier.Commander, Role.Admin, FireMode.Auto, "EA-1"), (user.TelegramId, user.Tier, user.Role, user.Mode, user.EaUuid));
    }

    [Fact]
    public async Task ListShowsEveryUserInATable()
    {
        Assert.Equal(0, (await RunAsync("user", "add", "--telegram-id", "1001", "--tier", "FANG")).Exit);
        Assert.Equal(0, (await RunAsync("user", "add", "--telegram-id", "1002", "--tier", "NIBBLER", "--uuid", "EA-2")).Exit);

        var (exit, output) = await RunAsync("user", "list");

        Assert.Equal(0, exit);
        Assert.Equal(
            [
                "id  telegram_id  tier     role  mode    band   slots  risk  ea_uuid",
                "1   1001         FANG     USER  MANUAL  80-89  10     5%    -",
                "2   1002         NIBBLER  USER  MANUAL  80-89  10     5%    EA-2",
            ],
            Lines(output));
    }

    [Fact]
    public async Task SetChangesTheBandAndModeAndTheEnvironmentReachesTheSameFile()
    {
        Assert.Equal(0, (await RunAsync("user", "add", "--telegram-id", "1001", "--tier", "COMMANDER")).Exit);

        // The server's own configuration sources: the environment names the same file as --Storage:ConnectionString.
        using var bitten = BittenProcess.Start(
            ["user", "set", "--telegram-id", "1001", "--band", "75-85", "--mode", "auto", "--risk", "0.5", "--slots", "3"],
            new Dictionary<string, string> { ["BITTEN_Storage__ConnectionString"] = $"Data Source={DatabasePath}" });
        Assert.Equal(0, await bitten.WaitForExitAsync(Timeout));

        Assert.Equal("user 1: telegram 1001 COMMANDER USER AUTO band 75-85 slots 3 risk 0.5% EA -", Lines(bitten.Output)[^1]);
        using var database = new SqliteDatabase($"Data Source={DatabasePath}");
        var user = new UserStore(database, TimeProvider.System).ByTelegramId(1001);
        Assert.Equal((FireMode.Auto, new AutoFireSettings(75, 85, 3, 0.5m)), (user?.Mode, user?.Auto));
    }

    [Fact]
    public async Task ANewTokenReplacesTheOldOneAndPairPrintsACode()
    {
        var token = Lines((await RunAsync("user", "add", "--telegram-id", "1001", "--tier", "FANG")).Output)[^1];

        var (exit, output) = await RunAsync("user", "token", "--telegram-id", "1001");
        var (pairExit, pairOutput) = await RunAsync("user", "pair", "--telegram-id", "1001");

        Assert.Equal((0, 0), (exit, pairExit));
        using var database = new SqliteDatabase($"Data Source={DatabasePath}");
        var users = new UserStore(database, TimeProvider.System);
        Assert.Null(users.Authenticate(token));
        Assert.Equal(1001, users.Authenticate(Lines(output)[^1])?.TelegramId);
        Assert.Equal("EA-9", users.RedeemPairingCode(Lines(pairOutput).Single(l => Regex.IsMatch(l, "^[A-Z2-9]{8}$")), "EA-9")?.EaUuid);
    }

    [Fact]
    public async Task LoginLinkPrintsAOneTimeLinkOnThePublicUrlThatOpensASessionOfThatUser()
    {
        Assert.Equal(0, (await RunAsync("user", "add", "--telegram-id", "1001", "--tier", "FANG")).Exit);

        var (defaultExit, defaultOutput) = await RunAsync("user", "login-link", "--telegram-id", "1001", "--Web:Port=9123");
        var (publicExit, publicOutput) = await RunAsync("user", "login-link", "--telegram-id", "1001", "--Web:PublicUrl=https://bitten.example/");
        var (unknownExit, unknownOutput) = await RunAsync("user", "login-link", "--telegram-id", "5");

        Assert.Equal((0, 0, 2), (defaultExit, publicExit, unknownExit));
        // The link alone on its line (stdout); the note about it goes to stderr, which the process output interleaves.
        var local = Assert.Single(Lines(defaultOutput).Select(l => Regex.Match(l, @"^http://127\.0\.0\.1:9123/login\?token=([A-Za-z0-9_-]{43})$")), m => m.Success);
        var remote = Assert.Single(Lines(publicOutput).Select(l => Regex.Match(l, @"^https://bitten\.example/login\?token=([A-Za-z0-9_-]{43})$")), m => m.Success);
        Assert.Contains("bitten: no user with telegram id 5", unknownOutput, StringComparison.Ordinal);
        using var database = new SqliteDatabase($"Data Source={DatabasePath}");
        var logins = new LoginStore(database, TimeProvider.System);
        var user = new UserStore(database, TimeProvider.System).ByTelegramId(1001)!;
        var session = logins.Redeem(local.Groups[1].Value, TimeSpan.FromHours(1));
        Assert.Equal(user.UserId, logins.SessionUser(session.SessionToken));
        Assert.Equal(LoginLinkRefusal.Used, logins.Redeem(local.Groups[1].Value, TimeSpan.FromHours(1)).Refusal);
        Assert.Null(logins.Redeem(remote.Groups[1].Value, TimeSpan.FromHours(1)).Refusal);
    }

    [Theory]
    [InlineData("unknown tier 'GOLD': known are PRESS_PASS, NIBBLER, FANG, COMMANDER", "user", "add", "--telegram-id", "1", "--tier", "GOLD")]
    [InlineData("AUTO mode is for COMMANDER and PRESS_PASS only, not FANG", "user", "add", "--telegram-id", "1", "--tier", "FANG", "--mode", "AUTO")]
    [InlineData("--band takes two confidences within 0-100, low first (e.g. 80-89), not '89-80'", "user", "set", "--telegram-id", "1", "--band", "89-80")]
    [InlineData("no user with telegram id 5", "user", "set", "--telegram-id", "5", "--risk", "1")]
    [InlineData("no user with telegram id 5", "user", "token", "--telegram-id", "5")]
    [InlineData("Unknown option 'tear'", "user", "add", "--telegram-id", "1", "--tear", "FANG")]
    public async Task BadInputExitsTwoWithTheReason(string reason, params string[] args)
    {
        var (exit, output) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains("bitten: " + reason, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RiskOutsideTheRangeAndADuplicateUserExitTwo()
    {
        Assert.Equal(0, (await RunAsync("user", "add", "--telegram-id", "1001", "--tier", "FANG")).Exit);

        var risk = await RunAsync("user", "set", "--telegram-id", "1001", "--risk", "6");
        var duplicate = await RunAsync("user", "add", "--telegram-id", "1001", "--tier", "FANG");

        Assert.Equal(2, risk.Exit);
        Assert.Contains("bitten: risk must be 0.1-5 per cent", risk.Output, StringComparison.Ordinal);
        Assert.Equal(2, duplicate.Exit);
        Assert.Contains("bitten: a user with telegram id 1001 already exists", duplicate.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Delete(recursive: true);
    }

    private static List<string> Lines(string output) => [.. output.Split('\n').Where(l => l.Length > 0)];

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var bitten = BittenProcess.Start([.. args, $"--Storage:ConnectionString=Data Source={DatabasePath}"]);
        var exit = await bitten.WaitForExitAsync(Timeout);
        // WaitForExit returns once the output pipes close, so Output is complete here.
        return (exit, bitten.Output);
    }
}
