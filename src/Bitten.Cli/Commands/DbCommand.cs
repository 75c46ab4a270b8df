using System.Globalization;
using Bitten.Cli.Hosting;
using Spectre.Console.Cli;

namespace Bitten.Cli.Commands;

/// <summary>
/// <c>bitten db migrate</c>: opens the configured store (section <c>Storage</c>), which applies any missing migration,
/// and says what is applied. The server migrates at start too; this is for doing it ahead of a deploy.
/// </summary>
public sealed class DbMigrateCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken) =>
        StoreCommandLine.WithStore(Overrides.Of(context), database =>
        {
            Console.WriteLine($"provider {database.Provider}");
            Console.WriteLine($"applied  {string.Join(", ", database.AppliedMigrations().Select(v => v.ToString("D4", CultureInfo.InvariantCulture)))}");
            return 0;
        });
}
