using Bitten.Host.Configuration;
using Bitten.Persistence;

namespace Bitten.Cli.Hosting;

/// <summary>The part every store-only subcommand (<c>bitten user …</c>, <c>bitten db …</c>) shares: open the configured store.</summary>
public static class StoreCommandLine
{
    /// <summary>
    /// Checks the options before the database is touched (so a typo never creates a file), opens the store the
    /// options name, runs <paramref name="action"/> on it and returns its exit code. A connection string the provider
    /// cannot parse is a usage error; a store that cannot be opened is exit 1, said without echoing the connection
    /// string (a PostgreSQL one carries a password).
    /// </summary>
    public static int WithStore(Overrides overrides, Func<IDatabase, int> action)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(action);
        var settings = Settings.Load(overrides.Args);
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
            Console.Error.WriteLine($"cannot open the {settings.Storage.Provider} store: {e.Message}");
            return 1;
        }

        using (database)
        {
            return action(database);
        }
    }
}
