using Bitten.Domain.Users;
using Bitten.Host.Configuration;
using Bitten.Host.Execution;
using Bitten.Host.Roles;
using Bitten.Persistence;
using Bitten.Simulation.Ea;
using Bitten.Telegram;
using Bitten.Web;
using Bitten.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bitten.Host.Tests;

public sealed class TelegramOptionsTests
{
    private const string Token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";

    [Fact]
    public void TheBotIsOffWithoutATokenByDefault()
    {
        var settings = Settings.Load([]);

        Assert.Equal((TelegramMode.Off, null), (settings.Telegram.EffectiveMode, settings.Telegram.BotToken));
    }

    [Fact]
    public void AModeAndATokenBindFromTheirSection()
    {
        var settings = Settings.Load(["--Telegram:Mode=polling", $"--Telegram:BotToken={Token}"]);

        Assert.Equal((TelegramMode.Polling, Token), (settings.Telegram.EffectiveMode, settings.Telegram.BotToken));
    }

    [Fact]
    public void AModeWithoutATokenOrAMistypedTokenIsRefusedWithoutEchoingIt()
    {
        var noToken = Assert.Throws<ConfigurationException>(() => Settings.Load(["--Telegram:Mode=webhook"]));
        var mistyped = Assert.Throws<ConfigurationException>(() => Settings.Load(["--Telegram:BotToken=secret-but-wrong"]));

        Assert.Contains("Telegram:Mode=Webhook needs Telegram:BotToken", noToken.Message, StringComparison.Ordinal);
        Assert.Contains("Telegram:BotToken is not a bot token", mistyped.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-but-wrong", mistyped.Message, StringComparison.Ordinal);
    }
}

/// <summary>Logins on the real stores: the adapter the web host uses, and the demo user's printed link.</summary>
public sealed class WebLoginTests : IDisposable
{
    private readonly TempStore _store = new();
    private readonly IDatabase _database;
    private readonly UserStore _users;
    private readonly LoginStore _logins;

    public WebLoginTests()
    {
        _database = _store.Open();
        _users = new UserStore(_database, TimeProvider.System);
        _logins = new LoginStore(_database, TimeProvider.System);
    }

    [Fact]
    public void TheStoreAdapterOpensASessionOnceAndNamesItsUserUntilItEnds()
    {
        var (user, _) = _users.Add(1001, Tier.Fang, Role.User, FireMode.Manual, null);
        var web = new StoreWebLogins(_users, _logins, " ");
        var link = _logins.CreateLink(user.UserId);

        var login = web.Redeem(link, TimeSpan.FromHours(1));
        var again = web.Redeem(link, TimeSpan.FromHours(1));

        Assert.Null(web.TelegramBotToken);
        Assert.Equal(user, login.User);
        Assert.Equal(user, web.BySession(login.SessionToken!));
        Assert.Equal(user, web.ByTelegramId(1001));
        Assert.Equal(LoginLinkProblem.Used, again.Problem);
        Assert.Equal(LoginLinkProblem.Unknown, web.Redeem("nope", TimeSpan.FromHours(1)).Problem);
        Assert.Equal(LoginLinkProblem.Expired, web.Redeem(_logins.CreateLink(user.UserId, TimeSpan.FromTicks(1)), TimeSpan.FromHours(1)).Problem);
        web.EndSession(login.SessionToken!);
        Assert.Null(web.BySession(login.SessionToken!));
    }

    [Fact]
    public void TheDemoLoginLinkUsesTheBoundPortOrThePublicUrlAndOpensTheDemoUsersSession()
    {
        var simEa = new SimulatedEaOptions();
        var demo = DemoUser.Ensure(_users, simEa.Uuid, TextWriter.Null)!;
        using var output = new StringWriter();
        var local = new DemoLogin(_users, _logins, Options.Create(simEa), Options.Create(new WebOptions()), new HostOutput(output)).Print(43210);
        var remote = new DemoLogin(_users, _logins, Options.Create(simEa), Options.Create(new WebOptions { PublicUrl = "https://bitten.example/" }),
            new HostOutput(TextWriter.Null)).Print(43210);

        Assert.StartsWith("http://127.0.0.1:43210/login?token=", local, StringComparison.Ordinal);
        Assert.StartsWith("https://bitten.example/login?token=", remote, StringComparison.Ordinal);
        Assert.Equal($"Demo login for user {demo.UserId} (valid 10 minutes, once): {local}", output.ToString().Trim());
        var token = Uri.UnescapeDataString(local![(local!.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(demo.UserId, _logins.Redeem(token, TimeSpan.FromHours(1)).UserId);
    }

    [Fact]
    public void WithoutADemoUserNoLinkIsPrinted()
    {
        using var output = new StringWriter();

        var link = new DemoLogin(_users, _logins, Options.Create(new SimulatedEaOptions()), Options.Create(new WebOptions()), new HostOutput(output)).Print(1);

        Assert.Null(link);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void TheDemoLinkIsComposedOnlyWhereASimulatedEaRuns()
    {
        using var withSim = _store.Services([HostRole.Engine, HostRole.EventLog, HostRole.Gateway, HostRole.Bridge, HostRole.Web, HostRole.SimulatedEa]);
        using var without = _store.Services([HostRole.Engine, HostRole.EventLog, HostRole.Web]);

        Assert.NotNull(withSim.GetService<DemoLogin>());
        Assert.Null(without.GetService<DemoLogin>());
    }

    public void Dispose()
    {
        _database.Dispose();
        _store.Dispose();
    }
}
