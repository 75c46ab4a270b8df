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

        var commandLine = new CommandLine(args[1..]);
        commandLine.RejectUnknown();
        if (commandLine.Words.Count > 0)
        {
            throw new UsageException($"unexpected '{commandLine.Words[0]}'\n{UsageText}");
        }

        var settings = Settings.Load(commandLine.ConfigArgs);
        IDatabase database;
        try
        {
            database = Database.Open(settings.Storage);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"Storage:ConnectionString: {e.Message}");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // The connection string is not echoed: a PostgreSQL one carries a password.
            Console.Error.WriteLine($"cannot migrate the {settings.Storage.Provider} store: {e.Message}");
            return 1;
        }

        using (database)
        {
            Console.WriteLine($"provider {database.Provider}");
            Console.WriteLine($"applied  {string.Join(", ", database.AppliedMigrations().Select(v => v.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))}");
        }

        return 0;
    }
}
