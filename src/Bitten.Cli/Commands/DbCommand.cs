using Bitten.Cli.Hosting;
using Bitten.Persistence;

namespace Bitten.Cli.Commands;

/// <summary>
/// <c>bitten db migrate</c>: opens the configured store (section <c>Storage</c>), which applies any missing migration,
/// and says what is applied. The server migrates at start too; this is for doing it ahead of a deploy.
/// </summary>
public static class DbCommand
{
    private const string UsageText = "usage: bitten db migrate [--Storage:Provider=sqlite|postgres] [--Storage:ConnectionString=…]";

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] != "migrate")
        {
            throw new UsageException(UsageText);
        }

        return StoreCommandLine.WithStore(new CommandLine(args[1..]), UsageText, database =>
        {
            Console.WriteLine($"provider {database.Provider}");
            Console.WriteLine($"applied  {string.Join(", ", database.AppliedMigrations().Select(v => v.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))}");
            return 0;
        });
    }
}
