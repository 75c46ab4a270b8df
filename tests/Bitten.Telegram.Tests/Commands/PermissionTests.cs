using Bitten.Domain.Users;
using Bitten.Telegram.Commands;

namespace Bitten.Telegram.Tests.Commands;

/// <summary>Every command for each tier and role: what it may use it answers, what it may not it refuses with the reason.</summary>
public sealed class PermissionTests
{
    public static TheoryData<Tier, Role> TiersAndRoles()
    {
        var data = new TheoryData<Tier, Role>();
        foreach (var tier in Enum.GetValues<Tier>())
        {
            foreach (var role in new[] { Role.User, Role.Admin })
            {
                data.Add(tier, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TiersAndRoles))]
    public async Task EveryCommandAnswersOrRefusesByTierAndRole(Tier tier, Role role)
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, tier, role);
        string[] refusals = [BotCommands.AdminsOnly, BotCommands.NotRegistered, BotCommands.Apology, BotCommands.UnknownCommand];
        foreach (var command in CommandCatalogue.All)
        {
            var text = BotHtml.ToPlainText(await h.TextAsync(user, "/" + command.Name));
            var adminOnly = command.Audience == CommandAudience.Admin;
            var tierAllows = command.TierRule is null || command.TierRule(tier);
            var allowed = (!adminOnly || role == Role.Admin) && tierAllows;
            if (allowed)
            {
                Assert.DoesNotContain(text, refusals);
                Assert.DoesNotContain("you are", text, StringComparison.Ordinal);
            }
            else if (adminOnly)
            {
                Assert.Equal(BotCommands.AdminsOnly, text);
            }
            else
            {
                Assert.Equal($"/{command.Name} is {command.TierRuleText}; you are {tier.WireName()}.", text);
            }
        }

        Assert.Empty(h.Log.Entries);
    }

    [Theory]
    [MemberData(nameof(TiersAndRoles))]
    public async Task HelpListsOnlyWhatThisUserMayDo(Tier tier, Role role)
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, tier, role);

        var help = await h.TextAsync(user, "/help");

        Assert.Equal(tier.AllowsAutoFire(), help.Contains("/autofire", StringComparison.Ordinal));
        Assert.Equal(role == Role.Admin, help.Contains("/stop", StringComparison.Ordinal));
        Assert.Equal(role == Role.Admin, help.Contains("/broadcast", StringComparison.Ordinal));
        // A RECRUIT gets the alerts only: no trading commands are offered until a press pass or a subscription.
        Assert.Equal(tier != Tier.Recruit, help.Contains("/fire", StringComparison.Ordinal));
        Assert.Equal(tier != Tier.Recruit, help.Contains("/positions", StringComparison.Ordinal));
        Assert.Contains("/token", help, StringComparison.Ordinal);

        // In a group the private-only commands are not offered.
        var inGroup = await h.TextAsync(user, "/help", privateChat: false);
        Assert.DoesNotContain("/token", inGroup, StringComparison.Ordinal);
        Assert.DoesNotContain("/login", inGroup, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/token")]
    [InlineData("/login")]
    [InlineData("/connect")]
    public async Task SecretsAreGivenOnlyInAPrivateChat(string command)
    {
        await using var h = new BotHarness();
        var user = await h.AddUserAsync(1, Tier.Fang);

        Assert.Equal(BotCommands.AskPrivately, await h.TextAsync(user, command, privateChat: false));
        Assert.DoesNotContain(BotCommands.AskPrivately, await h.TextAsync(user, command), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownUserIsToldToRegisterForAnythingButStartAndHelp()
    {
        await using var h = new BotHarness();
        foreach (var command in CommandCatalogue.All.Where(c => c.Audience != CommandAudience.Everyone))
        {
            Assert.Equal(BotCommands.NotRegistered, await h.TextAsync(null, "/" + command.Name));
        }

        Assert.StartsWith("Send /start to register. Until then:", await h.TextAsync(null, "/help"), StringComparison.Ordinal);
        Assert.Equal(BotCommands.NotRegistered, (await h.Bot.OnCallbackAsync(new IncomingCallback(999, 999, "fire:X"), CancellationToken.None)).Toast);
    }

    [Fact]
    public async Task StartRegistersANewUserAndLinksAKnownOne()
    {
        await using var h = new BotHarness();

        Assert.Contains("You are registered", await h.TextAsync(null, "/start"), StringComparison.Ordinal);
        Assert.NotNull(h.Users.ByTelegramId(999));
        Assert.Contains("Welcome back", await h.TextAsync(null, "/start"), StringComparison.Ordinal);
        Assert.DoesNotContain(BotCommands.NotRegistered, await h.TextAsync(null, "/status"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheMenusArePublicByDefaultUserCommandsInPrivateChatsAndAdminCommandsInEachAdminsChat()
    {
        var admin = new User(1, 1001, Tier.Commander, Role.Admin, FireMode.Manual, AutoFireSettings.Default, null, 0);
        var trader = admin with { UserId = 2, TelegramId = 1002, Role = Role.User };

        var scopes = BotCommandScopes.For([admin, trader]);

        Assert.Equal(["start", "help"], scopes.Single(s => s.Scope == "default").Commands.Select(c => c.Command));
        var privateChats = scopes.Single(s => s.Scope == "all_private_chats").Commands.Select(c => c.Command).ToList();
        Assert.Contains("fire", privateChats);
        Assert.DoesNotContain("stop", privateChats);
        var adminChat = Assert.Single(scopes, s => s.Scope == "chat");
        Assert.Equal(1001, adminChat.ChatId);
        Assert.Contains(("stop", "Emergency stop: /stop soft|hard"), adminChat.Commands);
        Assert.Contains("autofire", adminChat.Commands.Select(c => c.Command));
    }
}
